#include "report/languagetool.h"

#include <algorithm>
#include <cctype>

#include "report/report.h"

namespace unspin::report {

using nlohmann::json;

namespace {

struct Variant {
  const char* code;
  const char* name;
};
constexpr Variant kVariants[] = {
    {"en-US", "English (US)"},       {"en-GB", "English (GB)"},          {"en-AU", "English (Australian)"},
    {"en-CA", "English (Canadian)"}, {"en-NZ", "English (New Zealand)"}, {"en-ZA", "English (South African)"},
};

// The code and name answered for a requested language.
Variant answered_language(std::string_view requested) {
  std::string lower(requested);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const Variant& v : kVariants) {
    std::string code(v.code);
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return std::tolower(c); });
    if (code == lower) return v;
  }
  if (lower == "en") return {"en", "English"};
  return kVariants[0];  // "auto" and other English variants: US English, the LM's
}

json software_json() {
  return {{"name", "unspin"}, {"version", std::string(version())},
          {"buildDate", ""},  {"apiVersion", 1},
          {"premium", false}, {"status", ""}};
}

json language_json(std::string_view requested, double confidence) {
  const Variant v = answered_language(requested);
  return {{"name", v.name},
          {"code", v.code},
          {"detectedLanguage", {{"name", v.name}, {"code", v.code}, {"confidence", confidence}}}};
}

}  // namespace

json languagetool_json(std::string_view text, const DocumentResult& result, std::string_view requested_language,
                       const OffsetMap& map_offset) {
  json doc = document_json(text, result, OffsetUnit::kUtf16, nullptr);
  json out;
  out["software"] = software_json();
  out["warnings"] = {{"incompleteResults", false}};
  out["language"] = language_json(requested_language, result.english_share);
  if (!result.calibrated) {
    // LanguageTool has no such field; clients that do not know it ignore it.
    out["calibrated"] = false;
    out["warnings"]["uncalibrated"] = true;
  }
  json matches = std::move(doc["matches"]);
  // Each span once: the applied edits, then the review spans that are not
  // edits, as matches of their own rule (SCHEMA §6), in text order.
  for (const json& rs : doc["review"]) {
    if (rs["applied"].get<bool>()) continue;
    json m;
    m["offset"] = rs["offset"];
    m["length"] = rs["length"];
    m["byteOffset"] = rs["byteOffset"];
    m["byteLength"] = rs["byteLength"];
    const std::string spun = rs["spun"].get<std::string>();
    if (rs["original"].is_string()) {
      const std::string original = rs["original"].get<std::string>();
      m["message"] = "Possibly spun: \"" + spun + "\" may be a replacement for \"" + original + "\".";
      m["replacements"] = json::array({json{{"value", original}}});
    } else {
      m["message"] = "Unusual wording, likely spun: clean English almost never joins \"" + spun + "\".";
      m["replacements"] = json::array();
    }
    m["shortMessage"] = "review: possibly spun";
    m["rule"] = {{"id", "UNSPIN_REVIEW"},
                 {"description", "Suspicious wording for a reviewer (below the confidence edits are applied at)"},
                 {"issueType", "style"},
                 {"category", {{"id", "SPUN_TEXT"}, {"name", "Spun text"}}}};
    m["confidence"] = rs["confidence"];
    m["spun"] = spun;
    m["original"] = rs["original"];
    m["context"] = {{"text", spun}, {"offset", 0}, {"length", rs["length"]}};
    m["sentence"] = spun;
    matches.push_back(std::move(m));
  }
  std::stable_sort(matches.begin(), matches.end(), [](const json& a, const json& b) {
    return a["offset"].get<std::uint32_t>() < b["offset"].get<std::uint32_t>();
  });
  for (json& m : matches) {
    if (map_offset) {
      const std::uint32_t begin = m["offset"].get<std::uint32_t>();
      const std::uint32_t end = begin + m["length"].get<std::uint32_t>();
      const std::uint32_t mapped_begin = map_offset(begin, false);
      m["offset"] = mapped_begin;
      m["length"] = std::max(mapped_begin, map_offset(end, true)) - mapped_begin;
    }
    // LanguageTool's fields that clients read and unspin has no use for.
    m["type"] = {{"typeName", "Other"}};
    m["ignoreForIncompleteSentence"] = false;
    m["contextForSureMatch"] = 0;
  }
  out["matches"] = std::move(matches);
  // unspin's own (SCHEMA §6): a LanguageTool client ignores them.
  out["score"] = std::move(doc["score"]);
  out["verdict"] = std::move(doc["verdict"]);
  out["offset_unit"] = "utf16";
  return out;
}

json languagetool_empty_json(std::string_view requested_language) {
  return {{"software", software_json()},
          {"warnings", {{"incompleteResults", false}}},
          {"language", language_json(requested_language, 0.0)},
          {"matches", json::array()},
          {"score", nullptr},
          {"verdict", "too short"},
          {"offset_unit", "utf16"}};
}

json languagetool_languages_json() {
  json out = json::array();
  out.push_back({{"name", "English"}, {"code", "en"}, {"longCode", "en"}});
  for (const Variant& v : kVariants) out.push_back({{"name", v.name}, {"code", "en"}, {"longCode", v.code}});
  return out;
}

}  // namespace unspin::report
