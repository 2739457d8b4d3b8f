// fold_case, casing_of, apply_casing (UTF-8 aware; invalid bytes pass through).
#include <string>

#include "text/char_class.h"
#include "text/utf8.h"
#include "unspin/text.h"

namespace unspin {
namespace {

template <typename F>
void for_each_cp(std::string_view s, F f) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  std::size_t at = 0;
  while (p < end) {
    text::Decoded d = text::decode_utf8(p, end);
    f(d, at);
    p += d.len;
    at += d.len;
  }
}

// Copies `s` with each valid code point mapped through `map`; invalid bytes
// are copied unchanged. ASCII-only words take a byte loop.
template <typename Map>
std::string map_cps(std::string_view s, Map map, bool only_first_letter) {
  std::string out;
  out.reserve(s.size() + 2);
  bool done = false;
  for_each_cp(s, [&](const text::Decoded& d, std::size_t at) {
    if (!d.valid || done) {
      out.append(s.substr(at, d.len));
      return;
    }
    const char32_t m = map(d.cp);
    if (m == d.cp)
      out.append(s.substr(at, d.len));
    else
      text::append_utf8(out, m);
    if (only_first_letter && text::classify(d.cp) == text::CharClass::kLetter) done = true;
  });
  return out;
}

}  // namespace

std::string fold_case(std::string_view word) {
  std::string out(word);
  bool ascii = true;
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c + 0x20);
    else if (static_cast<unsigned char>(c) >= 0x80)
      ascii = false;
  }
  if (ascii) return out;
  // Latin-1 Supplement and Latin Extended-A (U+00C0..U+017F); other scripts unchanged.
  return map_cps(
      word,
      [](char32_t c) {
        if (c < 0x80) return text::to_lower_cp(c);
        if (c >= 0xC0 && c <= 0x17F) return text::to_lower_cp(c);
        return c;
      },
      false);
}

Casing casing_of(std::string_view word) {
  std::size_t upper = 0, lower = 0;
  bool first_cased_upper = false, seen_cased = false, later_upper = false;
  for_each_cp(word, [&](const text::Decoded& d, std::size_t) {
    if (!d.valid) return;
    const bool up = text::is_upper_cp(d.cp);
    const bool low = !up && text::is_lower_cp(d.cp);
    if (!up && !low) return;
    if (!seen_cased) {
      seen_cased = true;
      first_cased_upper = up;
    } else if (up) {
      later_upper = true;
    }
    upper += up;
    lower += low;
  });
  if (upper == 0) return Casing::kLower;
  if (lower == 0) return upper >= 2 ? Casing::kUpper : Casing::kCapitalized;
  if (first_cased_upper && !later_upper) return Casing::kCapitalized;
  return Casing::kMixed;
}

std::string apply_casing(std::string_view lower, Casing casing) {
  switch (casing) {
    case Casing::kCapitalized: return map_cps(lower, text::to_upper_cp, true);
    case Casing::kUpper: return map_cps(lower, text::to_upper_cp, false);
    case Casing::kLower:
    case Casing::kMixed: break;
  }
  return std::string(lower);
}

}  // namespace unspin
