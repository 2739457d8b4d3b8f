#include "cli/input.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
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

LineReader::LineReader(const std::string& path, std::size_t max_line_bytes)
    : name_(path == "-" ? std::string("standard input") : path), max_line_(max_line_bytes), buffer_(1 << 20, '\0') {
  owned_ = path != "-";
  fd_ = owned_ ? ::open(path.c_str(), O_RDONLY | O_CLOEXEC) : STDIN_FILENO;
  if (fd_ < 0) throw Error(ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
    const bool dir = S_ISDIR(st.st_mode);
    const int err = errno;
    if (owned_) ::close(fd_);
    fd_ = -1;
    throw Error(ErrorCode::kIo, dir ? path + " is a directory; give a file (or - for standard input)"
                                    : "cannot read " + name_ + ": " + std::strerror(err));
  }
  if (S_ISREG(st.st_mode)) size_hint_ = static_cast<std::size_t>(st.st_size);
}

LineReader::~LineReader() {
  if (owned_ && fd_ >= 0) ::close(fd_);
}

// Refills the buffer after the bytes already returned; false at the end.
bool LineReader::fill() {
  if (eof_) return false;
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    end_ -= pos_;
    pos_ = 0;
    buffer_.resize(std::max<std::size_t>(buffer_.size(), 1 << 20));
  }
  if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
  for (;;) {
    const ssize_t n = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw Error(ErrorCode::kIo, "cannot read " + name_ + ": " + std::strerror(errno));
    if (n == 0) {
      eof_ = true;
      return false;
    }
    end_ += static_cast<std::size_t>(n);
    return true;
  }
}

bool LineReader::next(Line* line) {
  line->text.clear();
  line->too_long = false;
  line->bytes = 0;
  std::size_t scanned = pos_;  // bytes of the current line already searched for '\n'
  for (;;) {
    const void* nl = std::memchr(buffer_.data() + scanned, '\n', end_ - scanned);
    if (nl) {
      const std::size_t at = static_cast<const char*>(nl) - buffer_.data();
      if (!line->too_long) line->text.assign(buffer_, pos_, at - pos_);
      line->bytes += at + 1 - pos_;
      pos_ = at + 1;
      if (line->too_long) line->text.clear();
      return true;
    }
    if (end_ - pos_ > max_line_) {
      // Too long to keep: drop what was read of it and go on to its end.
      line->too_long = true;
      line->bytes += end_ - pos_;
      pos_ = end_;
    }
    const std::size_t kept = end_ - pos_;
    if (!fill()) {
      if (kept == 0 && line->bytes == 0) return false;
      if (!line->too_long) line->text.assign(buffer_, pos_, end_ - pos_);
      line->bytes += end_ - pos_;
      pos_ = end_;
      return true;
    }
    scanned = pos_ + kept;
  }
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
  if (unit.empty() || unit == "B")
    shift = 0;
  else if (unit == "K" || unit == "k" || unit == "KB")
    shift = 10;
  else if (unit == "M" || unit == "MB")
    shift = 20;
  else if (unit == "G" || unit == "GB")
    shift = 30;
  else
    throw Error(ErrorCode::kUsage, "not a size: '" + text + "' (try 64M or 2G)");
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
