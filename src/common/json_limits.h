// Limits on JSON that comes from outside (request bodies, JSON-lines input,
// LanguageTool's `data`, archive feeds): docs/SCHEMA.md §6 and docs/API.md.
//
// nlohmann-json parses and destroys iteratively, but copying a value and
// dump() recurse once per level of nesting: a 100,000-deep `id` echoed back
// overflows the stack. So every JSON from outside goes through
// parse_untrusted_json(), which measures the nesting first (one linear pass,
// no recursion) and refuses a document nested deeper than kMaxJsonDepth, and
// every value the product reads or echoes goes through require_shallow()
// (kMaxValueDepth).
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace unspin {

// The deepest nesting of arrays and objects in a JSON document or line.
inline constexpr std::size_t kMaxJsonDepth = 512;
// The deepest nesting of a value the product reads or echoes (`id`, `url`).
inline constexpr std::size_t kMaxValueDepth = 64;

// JSON from outside that cannot be parsed or is nested too deep; the
// service answers it as 400 "malformed_json", a JSON-lines line with a
// "malformed_json" error object (exit code 2).
class MalformedJson : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The deepest nesting of '[' and '{' in `text` read as JSON, outside
// strings: "1" is 0, "[1]" 1, {"a":[1]} 2. Stops at limit + 1 (the answer is
// then "more than limit"). Linear, constant memory; says nothing about
// whether `text` is valid JSON (the parser decides that).
std::size_t json_nesting_depth(std::string_view text, std::size_t limit = kMaxJsonDepth);

// The nesting of a parsed value, as json_nesting_depth() counts it, without
// recursion; stops at limit + 1.
std::size_t json_value_depth(const nlohmann::json& value, std::size_t limit = kMaxValueDepth);

// Parses JSON from outside. Throws MalformedJson, with a message starting
// with `what`, when `text` is nested deeper than kMaxJsonDepth (before
// parsing) or is not JSON. The result can be copied and dumped safely.
nlohmann::json parse_untrusted_json(std::string_view text, std::string_view what);

// Throws MalformedJson when `value`, the field `name`, is nested deeper than
// kMaxValueDepth.
void require_shallow(const nlohmann::json& value, std::string_view name);

}  // namespace unspin
