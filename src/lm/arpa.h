// ARPA backoff language models: reader (plain or gzip) and writer.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "lm/ngram_set.h"

namespace unspin::lm {

struct ArpaLimits {
  std::size_t max_line_bytes = 1u << 20;  // a longer line is an error, not an allocation
};

// Source of lines without their terminators ("\n" or "\r\n").
class LineSource {
 public:
  virtual ~LineSource() = default;
  // False at end of input. The view is valid until the next call.
  virtual bool next(std::string_view& line) = 0;
};

std::unique_ptr<LineSource> lines_from_memory(std::string_view text, const ArpaLimits& limits = {});
// Reads plain or gzip-compressed files (zlib detects which). Throws Error(kIo).
std::unique_ptr<LineSource> lines_from_file(const std::string& path, const ArpaLimits& limits = {});

// Parses an ARPA model of order 1..5. Malformed input throws
// Error(kBadData) with "name:line: what was found; what was expected".
// The result is not yet closed (see close_ngram_set).
NgramSet read_arpa(LineSource& lines, const std::string& name);
NgramSet read_arpa_file(const std::string& path, const ArpaLimits& limits = {});

// Writes `set` as ARPA text (gzip when `path` ends in .gz). Scores are written
// in the shortest form that reads back to the same float.
void write_arpa(const NgramSet& set, const std::string& path);

}  // namespace unspin::lm
