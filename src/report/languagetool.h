// The LanguageTool view of a check result (docs/SCHEMA.md §6, POST /v2/check):
// LanguageTool's response shape so that its clients (editor plug-ins, LTeX,
// language_tool_python, ...) show spun spans and their originals unchanged.
// Built on document_json(), so matches keep SCHEMA §3's fields; offsets count
// UTF-16 code units, as LanguageTool's do.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "unspin/restore.h"

namespace unspin::report {

// `requested_language` is the client's `language` parameter ("en-US",
// "auto", ...): echoed as language.code ("auto" answers "en-US").
// `map_offset`, when given, maps a UTF-16 offset of `text` to the client's
// document (LanguageTool's `data` annotation: text plus markup); its second
// argument is true for the end of a span.
using OffsetMap = std::function<std::uint32_t(std::uint32_t offset, bool is_end)>;
nlohmann::json languagetool_json(std::string_view text, const DocumentResult& result,
                                 std::string_view requested_language, const OffsetMap& map_offset = {});

// The answer to LanguageTool's /v2/check for a text with nothing to check
// (empty or only white space): no matches, as LanguageTool answers.
nlohmann::json languagetool_empty_json(std::string_view requested_language);

// GET /v2/languages: [{name, code, longCode}], the English variants accepted.
nlohmann::json languagetool_languages_json();

}  // namespace unspin::report
