// Fuzz target for HTML input (`check --html`, "html" lines of --jsonl):
// html::visible_text on arbitrary bytes. Aborts when a contract breaks:
// - the result is valid UTF-8 whatever the input;
// - it holds no NUL and no '<' that was not in the input's text (markup never
//   leaks: every '<' in the output comes from a character reference or a
//   literal '<' the parser kept as text, so the input must contain one);
// - it is empty or ends with exactly one '\n' (no trailing whitespace before
//   it) and does not start with a line break.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "html/html.h"
#include "unspin/text.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_html: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view html(reinterpret_cast<const char*>(data), size);
  const std::string text = unspin::html::visible_text(html);
  if (unspin::find_invalid_utf8(text)) fail("invalid UTF-8 in the visible text");
  if (text.find('\0') != std::string::npos && html.find('\0') == std::string_view::npos &&
      html.find("&#") == std::string_view::npos)
    fail("NUL in the visible text of an input without one");
  if (text.find('<') != std::string::npos && html.find('<') == std::string_view::npos &&
      html.find('&') == std::string_view::npos)
    fail("'<' in the visible text of an input without '<' or '&'");
  if (!text.empty()) {
    if (text.back() != '\n') fail("visible text does not end with a newline");
    if (text.size() >= 2 && (text[text.size() - 2] == '\n' || text[text.size() - 2] == ' '))
      fail("trailing whitespace before the final newline");
    if (text[0] == '\n') fail("leading blank line");
  }
  return 0;
}
