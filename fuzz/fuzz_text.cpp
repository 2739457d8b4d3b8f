// Fuzz target for the text layer: validate_input, find_invalid_utf8,
// tokenize + reassemble, casing. Aborts when a contract breaks:
// - validate_input throws only unspin::Error with an input-error code, and
//   accepts only valid UTF-8;
// - reassemble(tokenize(s)) == s for every byte string (valid or not);
// - tokens are non-empty, ordered views at their offsets; for valid UTF-8 the
//   code-point offsets match a reference count and gaps hold no text;
// - fold_case / apply_casing keep valid UTF-8 valid.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "text/utf8.h"
#include "unspin/error.h"
#include "unspin/restore.h"
#include "unspin/text.h"

namespace {

[[noreturn]] void fail(const char* what, std::size_t at) {
  std::fprintf(stderr, "fuzz_text: %s (at %zu)\n", what, at);
  std::abort();
}

bool is_gap_cp(char32_t c) { return unspin::text::is_space_cp(c) || c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view s(reinterpret_cast<const char*>(data), size);
  const bool valid = !unspin::find_invalid_utf8(s).has_value();

  bool accepted = true;
  try {
    unspin::validate_input(s, 4096);
  } catch (const unspin::Error& e) {
    accepted = false;
    switch (e.code()) {
      case unspin::ErrorCode::kTooLarge:
      case unspin::ErrorCode::kEmptyInput:
      case unspin::ErrorCode::kBinaryInput: break;
      case unspin::ErrorCode::kInvalidUtf8:
        // Valid UTF-8 is refused as such only when it is UTF-16 in disguise (NULs).
        if (valid && s.find('\0') == std::string_view::npos) fail("kInvalidUtf8 for valid UTF-8", 0);
        break;
      default: fail("validate_input threw an unexpected code", static_cast<std::size_t>(e.code()));
    }
  }
  if (accepted && !valid) fail("validate_input accepted invalid UTF-8", *unspin::find_invalid_utf8(s));

  const unspin::TokenizedText t = unspin::tokenize(s);
  if (unspin::reassemble(t) != s) fail("round trip changed the text", 0);

  const auto* base = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = base + s.size();
  std::size_t byte = 0;
  std::uint32_t cp = 0;
  for (const unspin::Token& tok : t.tokens) {
    if (tok.byte_begin < byte || tok.byte_begin >= tok.byte_end || tok.byte_end > s.size())
      fail("token offsets out of order", tok.byte_begin);
    if (tok.text.data() != s.data() + tok.byte_begin || tok.text.size() != tok.byte_end - tok.byte_begin)
      fail("token is not a view at its offsets", tok.byte_begin);
    if (tok.cp_begin >= tok.cp_end) fail("empty code-point span", tok.byte_begin);
    if (!valid) {
      byte = tok.byte_end;
      continue;
    }
    while (byte < tok.byte_begin) {
      const unspin::text::Decoded d = unspin::text::decode_utf8(base + byte, end);
      if (!is_gap_cp(d.cp)) fail("text outside every token", byte);
      byte += d.len;
      ++cp;
    }
    if (byte != tok.byte_begin || cp != tok.cp_begin) fail("cp_begin disagrees with byte_begin", byte);
    while (byte < tok.byte_end) byte += unspin::text::decode_utf8(base + byte, end).len, ++cp;
    if (byte != tok.byte_end || cp != tok.cp_end) fail("cp_end disagrees with byte_end", byte);

    if (tok.kind == unspin::TokenKind::kWord) {
      const std::string folded = unspin::fold_case(tok.text);
      if (unspin::find_invalid_utf8(folded)) fail("fold_case produced invalid UTF-8", tok.byte_begin);
      for (unspin::Casing c : {unspin::Casing::kCapitalized, unspin::Casing::kUpper}) {
        if (unspin::find_invalid_utf8(unspin::apply_casing(folded, c)))
          fail("apply_casing produced invalid UTF-8", tok.byte_begin);
      }
      (void)unspin::casing_of(tok.text);
    }
  }
  return 0;
}
