// Parsers of the service's untrusted request bodies, independent of the HTTP
// library so that they can be unit-tested and fuzzed (fuzz/fuzz_serve_request.cpp).
// Every function here either returns a well-formed request or throws
// RequestError; nothing else escapes for any input bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace unspin::serve {

// A request the service refuses: the HTTP status, the stable error code of
// docs/API.md (the SCHEMA §7 codes plus the service's own) and a message
// saying what to change.
class RequestError : public std::runtime_error {
 public:
  RequestError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }

 private:
  int status_;
  std::string code_;
};

// The RequestError for an unspin::Error raised while validating or checking
// a text (SCHEMA §7: 400 usage/invalid_utf8/binary/empty, 413 too_large,
// 500 bad_model/bad_data/internal/io).
RequestError request_error_from(const Error& error);

// Throws RequestError(400, "invalid_utf8") naming `what` and the first bad byte.
void require_utf8(std::string_view bytes, std::string_view what);

// application/x-www-form-urlencoded (also a URL's query string): name=value
// pairs joined by '&', '+' is a space, %XX a byte. Throws RequestError(400)
// for a malformed %-escape. Values are bytes; UTF-8 is checked by the caller.
using Params = std::vector<std::pair<std::string, std::string>>;
Params parse_urlencoded(std::string_view body);
// The first value of `name`, or nullptr.
const std::string* find_param(const Params& params, std::string_view name);

// LanguageTool's `data` parameter: {"annotation": [{"text": ...}, {"markup":
// ..., "interpretAs": ...}, ...]}. The checked text is the text parts with
// each markup replaced by its interpretAs (or nothing); offsets of matches
// are mapped back to the whole document (text and markup), as LanguageTool
// reports them.
class AnnotatedText {
 public:
  const std::string& checked_text() const { return checked_; }
  // The UTF-16 offset in the annotated document (text and markup
  // concatenated) of UTF-16 offset `checked` in checked_text(). Offsets that
  // fall inside an interpretAs map to the start of its markup (`is_end`
  // false) or its end (`is_end` true).
  std::uint32_t document_offset(std::uint32_t checked, bool is_end) const;

  // Appends a piece; `markup` pieces contribute `interpret_as` to the checked text.
  void add_text(std::string_view text);
  void add_markup(std::string_view markup, std::string_view interpret_as);

 private:
  struct Piece {
    std::uint32_t checked_begin, checked_end;    // UTF-16 units in checked_
    std::uint32_t document_begin, document_end;  // UTF-16 units in the document
    bool is_text;
  };
  std::string checked_;
  std::uint32_t checked_units_ = 0, document_units_ = 0;
  std::vector<Piece> pieces_;
};
AnnotatedText parse_annotation(std::string_view data_json);

// POST/GET /v2/check parameters (LanguageTool's). `text` or `data` is
// required, `language` too ("auto", "en" or "en-XX"; other languages are
// refused, as LanguageTool refuses a code it does not know). Parameters
// LanguageTool has and unspin does not use (enabledRules, level,
// motherTongue, ...) are accepted and ignored.
struct LanguageToolRequest {
  std::string text;                         // what is checked
  std::optional<AnnotatedText> annotation;  // when `data` was given
  std::string language;                     // as sent ("auto" too)
};
LanguageToolRequest parse_languagetool_request(const Params& params);
// True for the language codes /v2/check accepts: "auto", "en", "en-*".
bool is_supported_language(std::string_view code);

// Per-request options of the native API (/v1/*), all optional.
struct NativeOptions {
  report::OffsetUnit unit = report::OffsetUnit::kCodePoint;  // "offsets"
  std::optional<double> threshold;                           // "threshold", 0..1
  std::optional<double> min_confidence;                      // "min_confidence", 0..1
  std::vector<std::string> allow;                            // "allow": words and phrases never flagged
  std::optional<double> base_rate;                           // "base_rate", (0, 1): the prior share of spun documents
  std::optional<bool> papers;                                // "papers": unlisted tortured phrases in every document
  bool overrides_engine() const { return threshold || min_confidence || base_rate || papers || !allow.empty(); }
};

// POST /v1/check and /v1/restore: a JSON object {"text", "offsets",
// "threshold", "min_confidence", "allow", "id", "url"}. Throws RequestError:
// 400 malformed_json, unknown_field (any other key), usage (wrong types or
// ranges), invalid_utf8, binary, empty; 413 too_large over `max_text_bytes`.
struct NativeRequest {
  std::string text;
  NativeOptions options;
  nlohmann::json id, url;  // echoed back when given (null otherwise)
};
NativeRequest parse_native_request(std::string_view body, std::size_t max_text_bytes);

// The options of /v1/batch, given as its query string (offsets, threshold,
// min_confidence); unknown names are refused (400 unknown_field).
NativeOptions parse_batch_options(const Params& query);

}  // namespace unspin::serve
