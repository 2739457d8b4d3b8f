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

// "64M", "2G", "1000" -> bytes; throws Error(kUsage) on junk.
std::size_t parse_size(const std::string& text);

// An --allow file: words and phrases never flagged, one per line; blank
// lines and '#' comments skipped. Empty path: empty list.
std::vector<std::string> read_allow_list(const std::string& path);

}  // namespace unspin::cli
