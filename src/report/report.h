// The one place a check result becomes JSON (docs/SCHEMA.md): the CLI's
// --json and --jsonl, and later the service and the Python module, all call
// these functions, so every interface keeps the same contract.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "unspin/error.h"
#include "unspin/engine.h"
#include "unspin/trace.h"

namespace unspin::report {

enum class OffsetUnit { kCodePoint, kUtf16 };
// "codepoint" / "utf16"; throws Error(kUsage) otherwise.
OffsetUnit parse_offset_unit(std::string_view name);

// Members document_json may leave out, for a caller that writes them as
// text itself (`check --jsonl`: append_json_string, append_paragraphs_json).
struct DocumentJsonParts {
  bool restored = true;
  bool paragraphs = true;
};
// The document result of docs/SCHEMA.md §2 for `text` (the input the result
// was computed on).
nlohmann::json document_json(std::string_view text, const DocumentResult& result, OffsetUnit unit,
                             const Provenance* provenance, DocumentJsonParts parts = {});
// The "provenance" member of document_json (SCHEMA §2).
nlohmann::json provenance_json(const Provenance& provenance);
// One traced source as `unspin trace --json` and Python's trace() give it:
// id, score, aligned share and its substitutions (docs/TRACE.md).
nlohmann::json traced_source_json(const TracedSource& source);
// restore --jsonl / POST /v1/restore (SCHEMA §6): {"restored", "edits"}.
nlohmann::json restore_json(std::string_view text, const DocumentResult& result, OffsetUnit unit);
// {"code", "exit_code", "message"} (SCHEMA §7).
nlohmann::json error_json(const Error& error);
std::string_view error_code_name(ErrorCode code);

// One line of a JSON-lines batch (SCHEMA §6: `check --jsonl`, `restore
// --jsonl`, POST /v1/batch). `line` is {"id", "text", "url"?}; `compute`
// turns its text into the result object (document_json or restore_json, and
// may throw Error). The answer is {"line", "id"?, "url"?, ...result} or, for
// a blank or malformed line or a failed compute, {"line", "id"?, "url"?,
// "error": {code, exit_code, message}}; `error` then holds the Error.
// Every interface that reads JSON lines answers them here, in this order: a
// blank line is `usage`; invalid UTF-8 `invalid_utf8`; a line that is not
// JSON, is nested deeper than kMaxJsonDepth, or whose `id`/`url` is nested
// deeper than kMaxValueDepth (common/json_limits.h) is `malformed_json`
// (exit_code 2, Error code kUsage); `id` and `url` are echoed as given.
struct JsonlAnswer {
  nlohmann::json out;
  std::optional<Error> error;
};
JsonlAnswer answer_jsonl_line(std::string_view line, std::size_t line_number,
                              const std::function<nlohmann::json(const std::string& text)>& compute);
// The same for interfaces that take HTML too (`check --jsonl`): a line may
// carry "html" instead of "text" (not both); compute gets the field's value
// and whether it is HTML (`html_default` makes "text" HTML too: --html).
JsonlAnswer answer_jsonl_line(std::string_view line, std::size_t line_number, bool html_default,
                              const std::function<nlohmann::json(const std::string& content, bool html)>& compute);

// Compact JSON text without building a nlohmann::json, for the hot path of
// `check --jsonl` (a news document's result is mostly its restored text and
// the constant provenance). Every function writes the very bytes nlohmann's
// dump(-1, ' ', false, error_handler_t::replace) writes for the same value
// (report/json_text_test.cpp compares them).
//
// Appends `s` as a JSON string: quoted, with '"', '\\' and control
// characters escaped as nlohmann escapes them, other UTF-8 as it is; a string
// that is not valid UTF-8 is handed to nlohmann (its replacement rules).
void append_json_string(std::string& out, std::string_view s);
// Appends a number as nlohmann writes a double (its Grisu2 to_chars; null
// when not finite).
void append_json_number(std::string& out, double value);
// Appends document_json's "paragraphs" value: the same array, as text.
void append_paragraphs_json(std::string& out, std::string_view text, const DocumentResult& result, OffsetUnit unit);
// A member whose value is JSON text already (e.g. append_json_string's).
struct RawMember {
  std::string_view key;
  std::string_view json;
};
// `object` (a JSON object) dumped with the `raw` members added, in the key
// order nlohmann keeps (std::map: bytewise), as if they had been members of
// it; a key of `raw` must not be one of `object`'s. Appends to `out`.
void append_object_with_members(std::string& out, const nlohmann::json& object, std::vector<RawMember> raw);

// Maps byte offsets of a UTF-8 text to code points or UTF-16 units;
// ascending queries are linear overall.
class OffsetMapper {
 public:
  OffsetMapper(std::string_view text, OffsetUnit unit) : text_(text), unit_(unit) {}
  std::uint32_t at(std::uint32_t byte);

 private:
  std::string_view text_;
  OffsetUnit unit_;
  std::uint32_t byte_ = 0, units_ = 0;
};

}  // namespace unspin::report
