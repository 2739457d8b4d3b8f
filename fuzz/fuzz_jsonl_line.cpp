// Fuzz target for the JSON-lines line parser, report::answer_jsonl_line: the
// one path of `check --jsonl`, `restore --jsonl`, POST /v1/batch and
// Python's answer_jsonl (docs/SCHEMA.md §6). The first byte picks the
// overload (text only, or text/html with --html on or off); the rest is one
// line. The answer is then used as every interface uses it: dumped (where a
// 100,000-deep `id` used to overflow the stack) and read back. Checks: the
// dump is one line of JSON with "line", and "error" exactly when the answer
// holds an Error, its code one of SCHEMA §7's.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "report/report.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

using nlohmann::json;

// A stand-in for decoding (no models): a result derived from the content,
// with the errors a decode raises for empty and too-large input.
json compute(const std::string& content, bool html) {
  if (content.empty()) throw unspin::Error(unspin::ErrorCode::kEmptyInput, "empty");
  if (content.size() > 100000) throw unspin::Error(unspin::ErrorCode::kTooLarge, "too large");
  return json{{"chars", content.size()}, {"html", html}, {"restored", content}};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view line(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace unspin;
  report::JsonlAnswer answer;
  switch (data[0] % 3) {
    case 0:
      answer = report::answer_jsonl_line(line, 7, [](const std::string& text) { return compute(text, false); });
      break;
    case 1: answer = report::answer_jsonl_line(line, 7, false, compute); break;
    default: answer = report::answer_jsonl_line(line, 7, true, compute); break;
  }
  const std::string out = answer.out.dump(-1, ' ', false, json::error_handler_t::replace);
  check(out.find('\n') == std::string::npos);
  const json back = json::parse(out);
  check(back.is_object() && back["line"] == 7);
  check(back.contains("error") == answer.error.has_value());
  if (answer.error) {
    const std::string code = back["error"]["code"].get<std::string>();
    check(code == "usage" || code == "malformed_json" || code == "invalid_utf8" || code == "empty" ||
          code == "too_large");
    check(back["error"]["exit_code"].is_number_integer());
  } else {
    check(back.contains("chars") && back["chars"].is_number_unsigned());
  }
  return 0;
}
