#include "trace/documents_input.h"

#include <nlohmann/json.hpp>

#include "common/json_limits.h"

namespace unspin::trace {

std::vector<DocumentLine> parse_document_lines(std::string_view data, std::size_t max_text_bytes) {
  std::vector<DocumentLine> out;
  std::size_t start = 0, line_no = 0;
  while (start < data.size()) {
    std::size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    const std::string_view line = data.substr(start, end - start);
    start = end + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    DocumentLine result;
    result.line = line_no;
    try {
      const nlohmann::json j = parse_untrusted_json(line, "not a JSON object");
      if (!j.is_object()) throw Error(ErrorCode::kUsage, "expected a JSON object {\"id\": ..., \"text\": ...}");
      const auto id = j.find("id");
      const auto text = j.find("text");
      if (id == j.end()) throw Error(ErrorCode::kUsage, "missing \"id\"");
      if (text == j.end() || !text->is_string()) throw Error(ErrorCode::kUsage, "missing or non-string \"text\"");
      ArchiveDocument doc;
      if (id->is_string())
        doc.id = id->get<std::string>();
      else if (id->is_number_integer())
        doc.id = id->dump();
      else
        throw Error(ErrorCode::kUsage, "\"id\" must be a string or an integer");
      if (doc.id.empty()) throw Error(ErrorCode::kUsage, "empty \"id\"");
      doc.text = text->get<std::string>();
      validate_input(doc.text, max_text_bytes);
      result.document = std::move(doc);
    } catch (const MalformedJson& e) {  // unparsable, or nested deeper than kMaxJsonDepth
      result.error_code = ErrorCode::kUsage;
      result.error = e.what();
    } catch (const Error& e) {
      result.error_code = e.code();
      result.error = e.what();
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace unspin::trace
