// Parsing `archive add --id-from jsonl` input: one {"id": "...", "text": "..."}
// object per line (internal; untrusted input, fuzzed by fuzz/fuzz_archive_jsonl).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "unspin/error.h"
#include "unspin/trace.h"

namespace unspin::trace {

struct DocumentLine {
  std::size_t line = 0;                      // 1-based
  std::optional<ArchiveDocument> document;   // set when the line is good
  ErrorCode error_code = ErrorCode::kUsage;  // otherwise why not
  std::string error;
};

// Every non-blank line, good or bad, in order: a bad line (not JSON, not an
// object, id or text missing or not a string, empty id, text failing
// validate_input) is reported with its reason and never throws. Ids may be
// JSON strings or integers (written in decimal).
std::vector<DocumentLine> parse_document_lines(std::string_view data, std::size_t max_text_bytes);

}  // namespace unspin::trace
