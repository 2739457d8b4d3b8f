#include "report/report.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/json_limits.h"
#include "listed/phrase_list.h"
#include "unspin/text.h"

namespace unspin::report {

using nlohmann::json;

OffsetUnit parse_offset_unit(std::string_view name) {
  if (name == "codepoint") return OffsetUnit::kCodePoint;
  if (name == "utf16") return OffsetUnit::kUtf16;
  throw Error(ErrorCode::kUsage, "unknown offset unit \"" + std::string(name) + "\"; use codepoint or utf16");
}

std::uint32_t OffsetMapper::at(std::uint32_t byte) {
  byte = std::min<std::uint32_t>(byte, static_cast<std::uint32_t>(text_.size()));
  if (byte < byte_) {
    byte_ = 0;
    units_ = 0;
  }
  while (byte_ < byte) {
    const unsigned char c = static_cast<unsigned char>(text_[byte_]);
    std::uint32_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if ((c & 0xC0) == 0x80) len = 1;  // stray continuation byte (input is validated; be safe)
    units_ += (unit_ == OffsetUnit::kUtf16 && len == 4) ? 2 : 1;
    byte_ += len;
  }
  return units_;
}

std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kUsage: return "usage";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kInvalidUtf8: return "invalid_utf8";
    case ErrorCode::kBinaryInput: return "binary";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kEmptyInput: return "empty";
    case ErrorCode::kBadModel: return "bad_model";
    case ErrorCode::kBadData: return "bad_data";
    case ErrorCode::kModelMismatch: return "model_mismatch";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

json error_json(const Error& error) {
  return {{"code", error_code_name(error.code())},
          {"exit_code", static_cast<int>(error.code())},
          {"message", error.what()}};
}

namespace {

std::string_view unit_name(OffsetUnit unit) { return unit == OffsetUnit::kUtf16 ? "utf16" : "codepoint"; }

// A match's "sentence" longer than this many bytes is cut to kSentenceWindow
// code points either side of the span.
constexpr std::uint32_t kMaxSentenceBytes = 2000;
constexpr int kSentenceWindow = 200;

// Byte offsets where the tokenizer's sentences start, ascending.
std::vector<std::uint32_t> sentence_starts(const TokenizedText& t) {
  std::vector<std::uint32_t> starts;
  for (const Token& tok : t.tokens) {
    if (tok.sentence_start) starts.push_back(tok.byte_begin);
  }
  return starts;
}

// Byte range of the sentence holding byte `at` (a binary search: a long
// document with many edits stays linear overall).
std::pair<std::uint32_t, std::uint32_t> sentence_of(const TokenizedText& t, const std::vector<std::uint32_t>& starts,
                                                    std::uint32_t at) {
  auto it = std::upper_bound(starts.begin(), starts.end(), at);
  const std::uint32_t begin = it == starts.begin() ? 0 : *(it - 1);
  std::uint32_t end = it == starts.end() ? static_cast<std::uint32_t>(t.source.size()) : *it;
  while (end > begin && (t.source[end - 1] == ' ' || t.source[end - 1] == '\n' || t.source[end - 1] == '\r')) --end;
  return {begin, end};
}

// Moves a byte offset back (or forward) by up to n code points.
std::uint32_t step_code_points(std::string_view s, std::uint32_t at, int n) {
  while (n > 0 && at > 0) {
    --at;
    while (at > 0 && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
    --n;
  }
  while (n < 0 && at < s.size()) {
    ++at;
    while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
    ++n;
  }
  return at;
}

json edit_core(const Edit& e, OffsetMapper& map) {
  const std::uint32_t begin = map.at(e.byte_begin);
  const std::uint32_t end = map.at(e.byte_end);
  return {{"offset", begin},
          {"length", end - begin},
          {"byteOffset", e.byte_begin},
          {"byteLength", e.byte_end - e.byte_begin},
          {"spun", e.spun},
          {"original", e.original},
          {"confidence", e.confidence},
          {"rule", e.rule}};
}

std::string_view rule_description(std::string_view id) {
  if (id == "UNSPIN_TABLE") return "Replacement listed in the given spinner table";
  if (id == "UNSPIN_LEARNED") return "Replacement from a spinner table learned from the site's pages";
  if (id == "UNSPIN_ARTICLE") return "Article changed to agree with a restored word";
  if (id == "UNSPIN_SOURCE") return "Restored by alignment with the source in the archive";
  if (id == "UNSPIN_LISTED") return "A tortured phrase listed by the Problematic Paper Screener";
  return "Word or phrase substitution typical of article spinners";
}

// "Tortured phrase: "X" is listed by the Problematic Paper Screener (found in N
// papers); the established term is "Y"."
std::string listed_message(const Edit& e) {
  std::string m = "Tortured phrase: \"" + e.spun + "\" is listed by the Problematic Paper Screener";
  if (e.papers > 0) m += " (found in " + std::to_string(e.papers) + (e.papers == 1 ? " paper)" : " papers)");
  m += e.original.empty() ? "; the list does not give the established term."
                          : "; the established term is \"" + e.original + "\".";
  return m;
}

}  // namespace

json restore_json(std::string_view text, const DocumentResult& r, OffsetUnit unit) {
  OffsetMapper map(text, unit);
  json edits = json::array();
  for (const Edit& e : r.edits) edits.push_back(edit_core(e, map));
  return {{"restored", r.restored}, {"edits", std::move(edits)}, {"offset_unit", unit_name(unit)}};
}

json document_json(std::string_view text, const DocumentResult& r, OffsetUnit unit, const Provenance* provenance,
                   DocumentJsonParts parts) {
  // Sentences are only needed for matches' "sentence": a result without
  // edits (every document the screen answers) is not tokenized again.
  TokenizedText tokens;
  std::vector<std::uint32_t> starts;
  if (!r.edits.empty()) {
    tokenize(text, tokens);
    starts = sentence_starts(tokens);
  }
  OffsetMapper map(text, unit);
  json matches = json::array();
  for (const Edit& e : r.edits) {
    const std::uint32_t begin = map.at(e.byte_begin);
    const std::uint32_t end = map.at(e.byte_end);
    json m;
    m["offset"] = begin;
    m["length"] = end - begin;
    m["byteOffset"] = e.byte_begin;
    m["byteLength"] = e.byte_end - e.byte_begin;
    const bool listed = e.rule == "UNSPIN_LISTED";
    if (listed) {
      m["message"] = listed_message(e);
      m["shortMessage"] = "tortured phrase";
    } else {
      m["message"] = e.rule == "UNSPIN_ARTICLE"
                         ? "Article adjusted to the restored word: \"" + e.spun + "\" -> \"" + e.original + "\"."
                         : "Possibly spun: \"" + e.spun + "\" is likely a replacement for \"" + e.original + "\".";
      m["shortMessage"] = "possibly spun";
    }
    m["replacements"] = e.original.empty() ? json::array() : json::array({json{{"value", e.original}}});
    m["rule"] = {{"id", e.rule},
                 {"description", rule_description(e.rule)},
                 {"issueType", "style"},
                 {"category", listed ? json{{"id", "TORTURED_PHRASE"}, {"name", "Tortured phrase"}}
                                     : json{{"id", "SPUN_TEXT"}, {"name", "Spun text"}}}};
    m["confidence"] = e.confidence;
    m["spun"] = e.spun;
    m["original"] = e.original;
    if (listed) m["papers"] = e.papers;
    const std::uint32_t ctx_begin = step_code_points(text, e.byte_begin, 40);
    const std::uint32_t ctx_end = step_code_points(text, e.byte_end, -40);
    OffsetMapper local(text.substr(ctx_begin, ctx_end - ctx_begin), unit);
    const std::uint32_t in_ctx = local.at(e.byte_begin - ctx_begin);
    m["context"] = {{"text", std::string(text.substr(ctx_begin, ctx_end - ctx_begin))},
                    {"offset", in_ctx},
                    {"length", local.at(e.byte_end - ctx_begin) - in_ctx}};
    auto [sb, se] = sentence_of(tokens, starts, e.byte_begin);
    if (se - sb > kMaxSentenceBytes) {
      // Run-on text (no sentence ends): the words around the span, so that
      // the output stays linear in the input (SCHEMA §3).
      sb = std::max(sb, step_code_points(text, e.byte_begin, kSentenceWindow));
      se = std::min(se, step_code_points(text, e.byte_end, -kSentenceWindow));
    }
    m["sentence"] = std::string(text.substr(sb, se - sb));
    matches.push_back(std::move(m));
  }
  // Review spans (SCHEMA §3b) and the counts a screening reviewer triages by.
  json review = json::array();
  std::size_t listed_matches = 0, unlisted_review = 0;
  for (const Edit& e : r.edits) listed_matches += e.rule == "UNSPIN_LISTED";
  OffsetMapper review_map(text, unit);
  for (const ReviewSpan& s : r.review) {
    const std::uint32_t b = review_map.at(s.byte_begin);
    review.push_back({{"offset", b},
                      {"length", review_map.at(s.byte_end) - b},
                      {"byteOffset", s.byte_begin},
                      {"byteLength", s.byte_end - s.byte_begin},
                      {"spun", s.spun},
                      {"original", s.original.empty() ? json(nullptr) : json(s.original)},
                      {"confidence", s.confidence},
                      {"applied", s.applied},
                      {"rule", s.rule},
                      {"reason", s.reason}});
    unlisted_review += s.reason != "listed";
  }
  json reasons = json::array();
  for (const Reason& reason : r.reasons) {
    json j{{"kind", reason.kind}, {"message", reason.message}, {"weight", reason.weight}};
    if (reason.has_span) {
      const std::uint32_t b = map.at(reason.byte_begin);
      j["offset"] = b;
      j["length"] = map.at(reason.byte_end) - b;
    }
    reasons.push_back(std::move(j));
  }
  json paragraphs = json::array();
  for (const ParagraphResult& p : r.paragraphs) {
    if (!parts.paragraphs) break;  // the caller writes them (append_paragraphs_json)
    const std::uint32_t b = map.at(p.byte_begin);
    paragraphs.push_back({{"offset", b},
                          {"length", map.at(p.byte_end) - b},
                          {"words", p.words},
                          {"score", p.has_score ? json(p.score) : json(nullptr)},
                          {"verdict", verdict_name(p.verdict)}});
  }
  json out;
  out["software"] = {{"name", "unspin"}, {"version", std::string(version())}};
  // LanguageTool's detectedLanguage beside SCHEMA's own `detected` (issue 13).
  out["language"] = {{"code", "en"},
                     {"name", "English"},
                     {"detected", r.english_share},
                     {"detectedLanguage", {{"name", "English"}, {"code", "en"}, {"confidence", r.english_share}}}};
  out["offset_unit"] = unit_name(unit);
  out["score"] = r.has_score ? json(r.score) : json(nullptr);
  out["verdict"] = verdict_name(r.verdict);
  out["threshold"] = r.threshold;
  out["spin_rate"] = r.spin_rate;
  out["words"] = r.tokens;
  out["tokens"] = r.tokens;
  out["matches"] = std::move(matches);
  out["review"] = std::move(review);
  out["counts"] = {{"matches", r.edits.size()},
                   {"listed", listed_matches},
                   {"review", r.review.size()},
                   {"unlisted", unlisted_review}};
  out["base_rate"] = r.base_rate;
  out["review_threshold"] = r.review_threshold;
  out["stage"] = r.stage;
  // Written only when false (docs/SCHEMA.md §2): absent means calibrated.
  if (!r.calibrated) out["calibrated"] = false;
  out["reasons"] = std::move(reasons);
  if (parts.paragraphs) out["paragraphs"] = std::move(paragraphs);
  if (parts.restored) out["restored"] = r.restored;
  if (provenance) out["provenance"] = provenance_json(*provenance);
  return out;
}

json traced_source_json(const TracedSource& source) {
  json substitutions = json::array();
  for (const TracedSubstitution& t : source.substitutions) {
    substitutions.push_back({{"offset", t.offset},
                             {"length", t.length},
                             {"spun", t.spun},
                             {"original", t.original},
                             {"source_offset", t.source_offset},
                             {"source_length", t.source_length}});
  }
  return {{"id", source.id},
          {"score", source.score},
          {"aligned", source.aligned},
          {"substitutions", std::move(substitutions)}};
}

json provenance_json(const Provenance& p) {
  json models = json::array();
  for (const ModelInfo& m : p.models) {
    if (m.role == "archive") {  // a database, not a model file: no checksum
      models.push_back({{"role", m.role}, {"path", m.path}});
      continue;
    }
    json entry{{"role", m.role}, {"path", m.path}, {"checksum", m.checksum}};
    if (m.role == "listed_phrases") {  // SCHEMA §2: the list's name, version, licence and attribution
      const listed::ListInfo& info = listed::PhraseList::builtin().info();
      entry["name"] = info.name;
      entry["version"] = info.version;
      entry["licence"] = info.licence;
      entry["attribution"] = info.attribution;
    }
    models.push_back(std::move(entry));
  }
  const RestoreOptions& o = p.options;
  json options;
  if (!p.models_loaded) {
    // No document needed the models (each was restored from an archive source).
    options = {{"min_confidence", o.min_confidence}, {"same_source", p.same_source}};
  } else {
    options = {{"min_confidence", o.min_confidence},
               {"base_rate", o.base_rate},
               {"review_threshold", o.review_threshold},
               {"screen", o.screen},
               {"threshold", o.verdict_threshold < 0 ? default_verdict_threshold() : o.verdict_threshold},
               {"allow", o.allow.size()},
               {"adapt", o.adapt},
               {"same_source", p.same_source}};
  }
  return {{"version", p.version}, {"models", std::move(models)}, {"options", std::move(options)}};
}

void append_json_string(std::string& out, std::string_view s) {
  if (find_invalid_utf8(s)) {  // nlohmann's replacement of invalid bytes, as it does it
    out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
    return;
  }
  // Valid UTF-8: every byte >= 0x80 is part of a code point >= 0x80, which
  // nlohmann copies (ensure_ascii off); only ASCII bytes may be escaped.
  out.reserve(out.size() + s.size() + 2);
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case 0x08: out += "\\b"; break;
      case 0x09: out += "\\t"; break;
      case 0x0A: out += "\\n"; break;
      case 0x0C: out += "\\f"; break;
      case 0x0D: out += "\\r"; break;
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";  // nlohmann's "\\u%04x"
        const char u[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 15]};
        out.append(u, 6);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void append_json_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buffer[64];  // nlohmann's serializer's number buffer
  const char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}

namespace {
void append_unsigned(std::string& out, std::uint64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, static_cast<std::size_t>(end - buffer));
}
}  // namespace

// document_json's paragraph objects, keys in nlohmann's (sorted) order:
// length, offset, score, verdict, words.
void append_paragraphs_json(std::string& out, std::string_view text, const DocumentResult& r, OffsetUnit unit) {
  OffsetMapper map(text, unit);
  out += '[';
  for (std::size_t i = 0; i < r.paragraphs.size(); ++i) {
    const ParagraphResult& p = r.paragraphs[i];
    if (i) out += ',';
    const std::uint32_t b = map.at(p.byte_begin);
    out += "{\"length\":";
    append_unsigned(out, map.at(p.byte_end) - b);
    out += ",\"offset\":";
    append_unsigned(out, b);
    out += ",\"score\":";
    if (p.has_score) {
      append_json_number(out, p.score);
    } else {
      out += "null";
    }
    out += ",\"verdict\":";
    append_json_string(out, verdict_name(p.verdict));
    out += ",\"words\":";
    append_unsigned(out, p.words);
    out += '}';
  }
  out += ']';
}

void append_object_with_members(std::string& out, const nlohmann::json& object, std::vector<RawMember> raw) {
  std::sort(raw.begin(), raw.end(), [](const RawMember& a, const RawMember& b) { return a.key < b.key; });
  out += '{';
  bool first = true;
  const auto key = [&](std::string_view k) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, k);
    out += ':';
  };
  auto r = raw.begin();
  for (auto it = object.begin(); it != object.end(); ++it) {
    for (; r != raw.end() && r->key < std::string_view(it.key()); ++r) {
      key(r->key);
      out += r->json;
    }
    key(it.key());
    out += it.value().dump(-1, ' ', false, json::error_handler_t::replace);
  }
  for (; r != raw.end(); ++r) {
    key(r->key);
    out += r->json;
  }
  out += '}';
}

JsonlAnswer answer_jsonl_line(std::string_view line, std::size_t line_number,
                              const std::function<json(const std::string& text)>& compute) {
  return answer_jsonl_line(line, line_number, false, [&](const std::string& content, bool html) {
    if (html) throw Error(ErrorCode::kUsage, "this interface takes \"text\", not \"html\"");
    return compute(content);
  });
}

JsonlAnswer answer_jsonl_line(std::string_view line, std::size_t line_number, bool html_default,
                              const std::function<json(const std::string& content, bool html)>& compute) {
  JsonlAnswer answer;
  json& out = answer.out;
  out["line"] = line_number;
  bool malformed_json = false;  // the error object's code is then "malformed_json" (exit code 2)
  try {
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) {
      throw Error(ErrorCode::kUsage, "blank line; expected a JSON object with a string \"text\"");
    }
    if (const std::optional<std::size_t> bad = find_invalid_utf8(line)) {
      throw Error(ErrorCode::kInvalidUtf8,
                  "the line is not valid UTF-8 (byte " + std::to_string(*bad) + " of the line)");
    }
    json in;
    try {
      in = parse_untrusted_json(line, "not a JSON object");
      if (in.is_object()) {
        // Echoed as given, if no deeper than kMaxValueDepth (SCHEMA §6).
        for (const char* echoed : {"id", "url"}) {
          const auto it = in.find(echoed);
          if (it == in.end()) continue;
          require_shallow(*it, echoed);
          out[echoed] = *it;
        }
      }
    } catch (const MalformedJson& e) {
      malformed_json = true;
      throw Error(ErrorCode::kUsage, e.what());
    }
    const bool has_text = in.is_object() && in.contains("text");
    const bool has_html = in.is_object() && in.contains("html");
    if (has_text && has_html) throw Error(ErrorCode::kUsage, "give \"text\" or \"html\", not both");
    const char* field = has_html ? "html" : "text";
    if (!in.is_object() || !in.contains(field) || !in[field].is_string()) {
      throw Error(ErrorCode::kUsage, "expected an object with a string \"text\" (or \"html\")");
    }
    json result = compute(in[field].get<std::string>(), has_html || html_default);
    for (auto it = result.begin(); it != result.end(); ++it) out[it.key()] = std::move(it.value());
  } catch (const Error& e) {
    out["error"] = error_json(e);
    if (malformed_json) out["error"]["code"] = "malformed_json";
    answer.error = e;
  }
  return answer;
}

}  // namespace unspin::report
