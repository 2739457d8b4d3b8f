#include "cli/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "unspin/error.h"

namespace unspin::cli {
namespace {

std::string too_large(const std::string& name, std::size_t max_bytes) {
  return name + " is larger than the input limit of " + std::to_string(max_bytes) +
         " bytes; raise it with --max-input-bytes (e.g. --max-input-bytes 4G)";
}

}  // namespace

std::string read_input(const std::string& path, std::size_t max_bytes) {
  const bool is_stdin = path == "-";
  const std::string name = is_stdin ? std::string("standard input") : path;
  int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    throw Error(ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    if (!is_stdin) ::close(fd);
    throw Error(ErrorCode::kIo, "cannot read " + name + ": " + std::strerror(err));
  }
  if (S_ISDIR(st.st_mode)) {
    if (!is_stdin) ::close(fd);
    throw Error(ErrorCode::kIo, path + " is a directory; give a file (or - for standard input)");
  }
  if (S_ISREG(st.st_mode) && static_cast<std::size_t>(st.st_size) > max_bytes) {
    if (!is_stdin) ::close(fd);
    throw Error(ErrorCode::kTooLarge, too_large(name, max_bytes));
  }
  std::string data;
  if (S_ISREG(st.st_mode)) data.reserve(static_cast<std::size_t>(st.st_size));
  char buffer[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      if (!is_stdin) ::close(fd);
      throw Error(ErrorCode::kIo, "cannot read " + name + ": " + std::strerror(err));
    }
    if (n == 0) break;
    if (data.size() + static_cast<std::size_t>(n) > max_bytes) {
      if (!is_stdin) ::close(fd);
      throw Error(ErrorCode::kTooLarge, too_large(name, max_bytes));
    }
    data.append(buffer, static_cast<std::size_t>(n));
  }
  if (!is_stdin) ::close(fd);
  return data;
}

std::size_t parse_size(const std::string& text) {
  std::size_t pos = 0;
  unsigned long long value = 0;
  try {
    value = std::stoull(text, &pos);
  } catch (const std::exception&) {
    throw Error(ErrorCode::kUsage, "not a size: '" + text + "' (try 64M or 2G)");
  }
  std::string unit = text.substr(pos);
  unsigned shift = 0;
  if (unit.empty() || unit == "B") shift = 0;
  else if (unit == "K" || unit == "k" || unit == "KB") shift = 10;
  else if (unit == "M" || unit == "MB") shift = 20;
  else if (unit == "G" || unit == "GB") shift = 30;
  else throw Error(ErrorCode::kUsage, "not a size: '" + text + "' (try 64M or 2G)");
  if (value > (~0ull >> shift)) throw Error(ErrorCode::kUsage, "size too large: " + text);
  return static_cast<std::size_t>(value << shift);
}

std::vector<std::string> read_allow_list(const std::string& path) {
  std::vector<std::string> out;
  if (path.empty()) return out;
  const std::string data = read_input(path, 64u << 20);
  std::size_t start = 0;
  while (start < data.size()) {
    std::size_t end = data.find('\n', start);
    if (end == std::string::npos) end = data.size();
    std::string line = data.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::size_t first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') continue;
    out.push_back(line.substr(first));
  }
  return out;
}

}  // namespace unspin::cli
