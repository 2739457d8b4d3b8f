#include "serve/request.h"

#include <algorithm>
#include <cctype>

#include "common/json_limits.h"
#include "text/utf8.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin::serve {

using nlohmann::json;

namespace {

std::uint32_t utf16_units(std::string_view text) {
  report::OffsetMapper map(text, report::OffsetUnit::kUtf16);
  return map.at(static_cast<std::uint32_t>(text.size()));
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out.push_back(' ');
    } else if (c == '%') {
      const int hi = i + 1 < s.size() ? hex_value(s[i + 1]) : -1;
      const int lo = i + 2 < s.size() ? hex_value(s[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        throw RequestError(400, "usage",
                           "malformed %-escape at byte " + std::to_string(i) + " of the form data; encode '%' as %25");
      }
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

double unit_interval(const json& value, const char* name) {
  if (!value.is_number()) throw RequestError(400, "usage", std::string("\"") + name + "\" must be a number in [0, 1]");
  const double v = value.get<double>();
  if (!(v >= 0 && v <= 1)) throw RequestError(400, "usage", std::string("\"") + name + "\" must be in [0, 1]");
  return v;
}

double unit_interval(const std::string& value, const char* name) {
  std::size_t used = 0;
  double v = 0;
  try {
    v = std::stod(value, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != value.size() || !(v >= 0 && v <= 1)) {
    throw RequestError(400, "usage", std::string(name) + "=" + value + ": expected a number in [0, 1]");
  }
  return v;
}

// A prior share: strictly between 0 and 1 (its odds must be finite).
template <typename Value>
double open_unit_interval(const Value& value, const char* name) {
  const double v = unit_interval(value, name);
  if (!(v > 0 && v < 1))
    throw RequestError(400, "usage", std::string("\"") + name + "\" must be between 0 and 1, exclusive");
  return v;
}

report::OffsetUnit offset_unit(std::string_view name) {
  if (name == "codepoint") return report::OffsetUnit::kCodePoint;
  if (name == "utf16") return report::OffsetUnit::kUtf16;
  throw RequestError(400, "usage", "\"offsets\" must be \"codepoint\" or \"utf16\", not \"" + std::string(name) + "\"");
}

}  // namespace

void require_utf8(std::string_view bytes, std::string_view what) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const auto* end = p + bytes.size();
  while (p < end) {
    const text::Decoded d = text::decode_utf8(p, end);
    if (!d.valid) {
      throw RequestError(400, "invalid_utf8",
                         std::string(what) + " is not valid UTF-8 (byte " +
                             std::to_string(p - reinterpret_cast<const unsigned char*>(bytes.data())) + ")");
    }
    p += d.len;
  }
}

RequestError request_error_from(const Error& error) {
  const std::string code(report::error_code_name(error.code()));
  switch (error.code()) {
    case ErrorCode::kUsage:
    case ErrorCode::kInvalidUtf8:
    case ErrorCode::kBinaryInput:
    case ErrorCode::kEmptyInput: return RequestError(400, code, error.what());
    case ErrorCode::kTooLarge: return RequestError(413, code, error.what());
    default: return RequestError(500, code, error.what());
  }
}

Params parse_urlencoded(std::string_view body) {
  Params out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos)
        out.emplace_back(percent_decode(pair), std::string());
      else
        out.emplace_back(percent_decode(pair.substr(0, eq)), percent_decode(pair.substr(eq + 1)));
    }
    start = end + 1;
  }
  return out;
}

const std::string* find_param(const Params& params, std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

void AnnotatedText::add_text(std::string_view text) {
  const std::uint32_t units = utf16_units(text);
  pieces_.push_back({checked_units_, checked_units_ + units, document_units_, document_units_ + units, true});
  checked_.append(text);
  checked_units_ += units;
  document_units_ += units;
}

void AnnotatedText::add_markup(std::string_view markup, std::string_view interpret_as) {
  const std::uint32_t shown = utf16_units(interpret_as);
  const std::uint32_t units = utf16_units(markup);
  pieces_.push_back({checked_units_, checked_units_ + shown, document_units_, document_units_ + units, false});
  checked_.append(interpret_as);
  checked_units_ += shown;
  document_units_ += units;
}

std::uint32_t AnnotatedText::document_offset(std::uint32_t checked, bool is_end) const {
  // The piece holding `checked`: for a start, the first piece with checked <
  // end (a text piece wins at a boundary); for an end, the last with begin < checked.
  for (const Piece& p : pieces_) {
    const bool inside = is_end ? (checked > p.checked_begin && checked <= p.checked_end)
                               : (checked >= p.checked_begin && checked < p.checked_end);
    if (!inside) continue;
    if (p.is_text) return p.document_begin + (checked - p.checked_begin);
    return is_end ? p.document_end : p.document_begin;
  }
  // Not inside any piece: the end of an empty span at 0, or a start at the end.
  return is_end && checked == 0 ? 0 : document_units_;
}

namespace {
// Parses JSON the client sent; a parse error, or nesting deeper than
// kMaxJsonDepth, is a 400 "malformed_json" whose message starts with `what`.
json parse_json(std::string_view text, const char* what) {
  try {
    return parse_untrusted_json(text, what);
  } catch (const MalformedJson& e) {
    throw RequestError(400, "malformed_json", e.what());
  }
}

// A field echoed back as given (`id`, `url`): any JSON value nested at most
// kMaxValueDepth deep, else 400 "malformed_json".
json echoed(const json& value, const char* name) {
  try {
    require_shallow(value, name);
  } catch (const MalformedJson& e) {
    throw RequestError(400, "malformed_json", e.what());
  }
  return value;
}
}  // namespace

AnnotatedText parse_annotation(std::string_view data_json) {
  require_utf8(data_json, "'data'");
  const json data = parse_json(data_json, "could not parse the JSON of 'data'");
  if (!data.is_object() || !data.contains("annotation") || !data["annotation"].is_array()) {
    throw RequestError(400, "usage", "'data' must be a JSON object with an array \"annotation\"");
  }
  AnnotatedText out;
  for (const json& item : data["annotation"]) {
    if (!item.is_object()) throw RequestError(400, "usage", "each item of \"annotation\" must be an object");
    const bool has_text = item.contains("text"), has_markup = item.contains("markup");
    if (has_text == has_markup) {
      throw RequestError(400, "usage", "each item of \"annotation\" needs either \"text\" or \"markup\"");
    }
    if (has_text) {
      if (!item["text"].is_string()) throw RequestError(400, "usage", "\"text\" in \"annotation\" must be a string");
      out.add_text(item["text"].get_ref<const std::string&>());
      continue;
    }
    if (!item["markup"].is_string()) throw RequestError(400, "usage", "\"markup\" in \"annotation\" must be a string");
    std::string interpret_as;
    if (item.contains("interpretAs")) {
      if (!item["interpretAs"].is_string()) {
        throw RequestError(400, "usage", "\"interpretAs\" in \"annotation\" must be a string");
      }
      interpret_as = item["interpretAs"].get<std::string>();
    }
    out.add_markup(item["markup"].get_ref<const std::string&>(), interpret_as);
  }
  return out;
}

bool is_supported_language(std::string_view code) {
  std::string lower(code);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower == "auto" || lower == "en" || (lower.size() > 3 && lower.compare(0, 3, "en-") == 0);
}

LanguageToolRequest parse_languagetool_request(const Params& params) {
  LanguageToolRequest out;
  const std::string* text = find_param(params, "text");
  const std::string* data = find_param(params, "data");
  if (!text && !data) throw RequestError(400, "usage", "Missing 'text' or 'data' parameter");
  if (text && data) throw RequestError(400, "usage", "Set only one of the parameters 'text' and 'data'");
  const std::string* language = find_param(params, "language");
  if (!language || language->empty()) {
    throw RequestError(400, "usage", "Missing 'language' parameter, e.g. language=en-US or language=auto");
  }
  if (!is_supported_language(*language)) {
    throw RequestError(400, "usage",
                       "'" + *language +
                           "' is not a language code unspin knows: it checks English only "
                           "(en, en-US, en-GB, ... or auto)");
  }
  out.language = *language;
  if (text) {
    out.text = *text;
  } else {
    out.annotation = parse_annotation(*data);
    out.text = out.annotation->checked_text();
  }
  return out;
}

NativeRequest parse_native_request(std::string_view body, std::size_t max_text_bytes) {
  require_utf8(body, "the body");
  const json in = parse_json(body, "the body is not valid JSON");
  if (!in.is_object()) throw RequestError(400, "usage", "the body must be a JSON object with a string \"text\"");
  NativeRequest out;
  for (auto it = in.begin(); it != in.end(); ++it) {
    const std::string& key = it.key();
    const json& value = it.value();
    if (key == "text") {
      if (!value.is_string()) throw RequestError(400, "usage", "\"text\" must be a string");
      out.text = value.get<std::string>();
    } else if (key == "offsets") {
      if (!value.is_string()) throw RequestError(400, "usage", "\"offsets\" must be \"codepoint\" or \"utf16\"");
      out.options.unit = offset_unit(value.get_ref<const std::string&>());
    } else if (key == "threshold") {
      out.options.threshold = unit_interval(value, "threshold");
    } else if (key == "min_confidence") {
      out.options.min_confidence = unit_interval(value, "min_confidence");
    } else if (key == "base_rate") {
      out.options.base_rate = open_unit_interval(value, "base_rate");
    } else if (key == "papers") {
      if (!value.is_boolean()) throw RequestError(400, "usage", "\"papers\" must be true or false");
      out.options.papers = value.get<bool>();
    } else if (key == "allow") {
      if (!value.is_array()) throw RequestError(400, "usage", "\"allow\" must be an array of strings");
      for (const json& a : value) {
        if (!a.is_string()) throw RequestError(400, "usage", "\"allow\" must be an array of strings");
        out.options.allow.push_back(a.get<std::string>());
      }
    } else if (key == "id") {
      out.id = echoed(value, "id");
    } else if (key == "url") {
      out.url = echoed(value, "url");
    } else {
      throw RequestError(400, "unknown_field",
                         "unknown field \"" + key +
                             "\"; known: text, offsets, threshold, min_confidence, base_rate, papers, allow, id, url");
    }
  }
  if (!in.contains("text")) throw RequestError(400, "usage", "missing the string field \"text\"");
  try {
    validate_input(out.text, max_text_bytes);
  } catch (const Error& e) {
    throw request_error_from(e);
  }
  return out;
}

NativeOptions parse_batch_options(const Params& query) {
  NativeOptions out;
  for (const auto& [key, value] : query) {
    if (key == "offsets")
      out.unit = offset_unit(value);
    else if (key == "threshold")
      out.threshold = unit_interval(value, "threshold");
    else if (key == "min_confidence")
      out.min_confidence = unit_interval(value, "min_confidence");
    else if (key == "base_rate")
      out.base_rate = open_unit_interval(value, "base_rate");
    else if (key == "papers") {
      if (value != "true" && value != "false") throw RequestError(400, "usage", "papers must be true or false");
      out.papers = value == "true";
    } else {
      throw RequestError(
          400, "unknown_field",
          "unknown parameter \"" + key + "\"; known: offsets, threshold, min_confidence, base_rate, papers");
    }
  }
  return out;
}

}  // namespace unspin::serve
