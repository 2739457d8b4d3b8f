// UTF-8 decoding and encoding shared by the text layer (internal).
//
// decode_utf8 follows the Unicode "maximal subpart" rules: overlong forms,
// surrogates (U+D800..U+DFFF) and code points past U+10FFFF are invalid, and
// an invalid sequence consumes exactly one byte, so a scan over arbitrary
// bytes always makes progress and never reads past `end`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace unspin::text {

struct Decoded {
  char32_t cp;       // the code point; U+FFFD when !valid
  std::uint8_t len;  // bytes consumed, 1..4
  bool valid;
};

inline Decoded decode_utf8(const unsigned char* p, const unsigned char* end) {
  const unsigned char b0 = p[0];
  if (b0 < 0x80) return {b0, 1, true};
  const std::ptrdiff_t avail = end - p;
  auto cont = [&](std::ptrdiff_t i) { return i < avail && (p[i] & 0xC0) == 0x80; };
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (cont(1)) return {static_cast<char32_t>(((b0 & 0x1F) << 6) | (p[1] & 0x3F)), 2, true};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (avail >= 2) {
      const unsigned char b1 = p[1];
      const bool ok1 = b0 == 0xE0   ? (b1 >= 0xA0 && b1 <= 0xBF)
                       : b0 == 0xED ? (b1 >= 0x80 && b1 <= 0x9F)  // no surrogates
                                    : (b1 & 0xC0) == 0x80;
      if (ok1 && cont(2)) {
        return {static_cast<char32_t>(((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (p[2] & 0x3F)), 3, true};
      }
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (avail >= 2) {
      const unsigned char b1 = p[1];
      const bool ok1 = b0 == 0xF0   ? (b1 >= 0x90 && b1 <= 0xBF)
                       : b0 == 0xF4 ? (b1 >= 0x80 && b1 <= 0x8F)  // <= U+10FFFF
                                    : (b1 & 0xC0) == 0x80;
      if (ok1 && cont(2) && cont(3)) {
        return {static_cast<char32_t>(((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F)),
                4, true};
      }
    }
  }
  return {0xFFFD, 1, false};
}

// Appends the UTF-8 encoding of a valid scalar value.
inline void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// True when the 8 bytes at p are all ASCII (high bit clear).
inline bool all_ascii8(const unsigned char* p) {
  std::uint64_t w;
  __builtin_memcpy(&w, p, 8);
  return (w & 0x8080808080808080ull) == 0;
}

// Unicode White_Space, plus the invisible separators ZWSP (U+200B) and the
// byte-order mark (U+FEFF), which carry no text either.
inline bool is_space_cp(char32_t c) {
  if (c < 0x80) return c == ' ' || (c >= 0x09 && c <= 0x0D);
  switch (c) {
    case 0x85:
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000:
    case 0x200B:
    case 0xFEFF: return true;
    default: return c >= 0x2000 && c <= 0x200A;
  }
}

}  // namespace unspin::text
