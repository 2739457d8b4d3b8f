// Reading user input for the CLI: files or "-" for stdin, with size limits
// checked before anything is read, so a 2 GB file is refused in O(1).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace unspin::cli {

inline constexpr std::size_t kDefaultMaxInputBytes = 64u << 20;

// Reads the whole file (or stdin for "-"). Throws unspin::Error: kIo for a
// missing file, a directory or a read failure; kTooLarge past max_bytes.
// Does not validate the content (see unspin::validate_input).
std::string read_input(const std::string& path, std::size_t max_bytes);

// Reads a file (or stdin for "-") line by line in bounded memory, for
// --jsonl streams of any size. A line longer than max_line_bytes is not kept:
// next() skips to its end and reports it as too long. Lines end at '\n' (a
// '\r' before it stays in the line); a last line without '\n' counts.
class LineReader {
 public:
  // Throws Error(kIo) when the file cannot be opened or is a directory.
  LineReader(const std::string& path, std::size_t max_line_bytes);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;
  struct Line {
    std::string text;  // without the '\n'; empty when too_long
    bool too_long = false;
    std::size_t bytes = 0;  // bytes of input it took, '\n' included
  };
  // The next line, or false at the end of the input. Throws Error(kIo) on a
  // read failure.
  bool next(Line* line);
  // Size of the input when it is a regular file (for an ETA), else 0.
  std::size_t size_hint() const { return size_hint_; }

 private:
  bool fill();
  int fd_ = -1;
  bool owned_ = false;
  std::string name_;
  std::size_t max_line_;
  std::size_t size_hint_ = 0;
  std::string buffer_;
  std::size_t pos_ = 0, end_ = 0;
  bool eof_ = false;
};

// "64M", "2G", "1000" -> bytes; throws Error(kUsage) on junk.
std::size_t parse_size(const std::string& text);

// An --allow file: words and phrases never flagged, one per line; blank
// lines and '#' comments skipped. Empty path: empty list.
std::vector<std::string> read_allow_list(const std::string& path);

}  // namespace unspin::cli
