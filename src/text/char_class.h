// Code-point classes that drive the tokenizer (internal).
//
// kGap      never part of a token: Unicode White_Space, control characters
//           (Cc), ZWSP and the byte-order mark.
// kLetter   letters of scripts written with spaces between words (Latin,
//           Greek, Cyrillic, Arabic, Hebrew, Devanagari, ...; L* categories).
// kDigit    decimal digits (Nd).
// kPunct    punctuation (P*), math and currency signs (Sm, Sc) and every
//           printable ASCII character that is not a letter or digit.
// kExtend   combining marks (M*) and format characters (Cf: ZWJ, soft
//           hyphen, bidi marks): they stay with the code point before them.
// kOther    everything else: emoji and pictographs (So, Sk), CJK and other
//           scripts written without spaces, other numerics (No, Nl: "½",
//           "²"), private-use and unassigned code points, invalid bytes.
#pragma once

#include <array>
#include <cstdint>

namespace unspin::text {

enum class CharClass : std::uint8_t { kGap, kLetter, kDigit, kPunct, kExtend, kOther };

namespace detail {
constexpr std::array<CharClass, 128> make_ascii_classes() {
  std::array<CharClass, 128> t{};
  for (int c = 0; c < 128; ++c) {
    if (c < 0x20 || c == 0x7F || c == ' ')
      t[c] = CharClass::kGap;
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
      t[c] = CharClass::kLetter;
    else if (c >= '0' && c <= '9')
      t[c] = CharClass::kDigit;
    else
      t[c] = CharClass::kPunct;
  }
  return t;
}
inline constexpr std::array<CharClass, 128> kAsciiClasses = make_ascii_classes();
}  // namespace detail

// Class of a non-ASCII code point (ICU properties; out of line).
CharClass classify_non_ascii(char32_t c);

inline CharClass classify(char32_t c) { return c < 0x80 ? detail::kAsciiClasses[c] : classify_non_ascii(c); }

// Apostrophes and hyphens that may join two parts of one word:
// ' U+0027, ’ U+2019, - U+002D, ‐ U+2010, ‑ U+2011.
inline bool is_apostrophe(char32_t c) { return c == 0x27 || c == 0x2019; }
inline bool is_hyphen(char32_t c) { return c == 0x2D || c == 0x2010 || c == 0x2011; }

// Cased letters, for casing_of and sentence rules (ASCII fast path, ICU beyond).
bool is_upper_cp(char32_t c);
bool is_lower_cp(char32_t c);
char32_t to_upper_cp(char32_t c);
char32_t to_lower_cp(char32_t c);

}  // namespace unspin::text
