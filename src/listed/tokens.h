// The listed stage's own word scanner, shared by the matcher and the list's
// cleaning so that a pattern is tokenized exactly as the text it must match.
// Internal to src/listed.
#pragma once

#include <cstdint>
#include <string_view>

namespace unspin::listed::detail {

enum class TokenKind : std::uint8_t { kWord, kComma, kBreak };

inline bool is_alnum(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Byte classes: 0 separator, 1 word byte, 2 comma, 3 sentence break,
// 4 needs a look at its neighbours ('\'', '.', '\n', 0xE2 punctuation).
struct ByteClasses {
  std::uint8_t cls[256];
  constexpr ByteClasses() : cls{} {
    for (int c = 0; c < 256; ++c) cls[c] = 0;
    for (int c = '0'; c <= '9'; ++c) cls[c] = 1;
    for (int c = 'a'; c <= 'z'; ++c) cls[c] = 1;
    for (int c = 'A'; c <= 'Z'; ++c) cls[c] = 1;
    for (int c = 0x80; c < 256; ++c) cls[c] = 1;
    cls[static_cast<unsigned char>(',')] = 2;
    for (char c : {'!', '?', ';', ':', '(', ')', '[', ']', '{', '}'}) cls[static_cast<unsigned char>(c)] = 3;
    cls[static_cast<unsigned char>('\'')] = 4;
    cls[static_cast<unsigned char>('.')] = 4;
    cls[static_cast<unsigned char>('\n')] = 4;
    cls[0xE2] = 4;
  }
};
inline constexpr ByteClasses kClasses{};

// At text[i] == 0xE2: the length of a punctuation sequence that separates
// words (en/em dash, curly double or left single quote, ...), 0 when the
// sequence is a word byte run, and -3 for U+2019 (the apostrophe).
inline int e2_kind(std::string_view s, std::size_t i) {
  if (i + 2 >= s.size() || static_cast<unsigned char>(s[i + 1]) != 0x80) return 0;
  const unsigned char c = static_cast<unsigned char>(s[i + 2]);
  if (c == 0x99) return -3;
  if (c >= 0x90 && c <= 0x9F) return 3;  // dashes, quotes, daggers
  if (c >= 0xA6 && c <= 0xAF) return 3;  // ellipsis, separators, narrow spaces
  return 0;
}

// Calls on_token(kind, begin, end, has_e2) for each token of s; for a word,
// `end` is its end byte and has_e2 whether it holds a 0xE2 byte (U+2019). Apostrophes (' and U+2019) inside a word
// belong to it; a '.' between two alphanumerics too ("4.0", "e.g"). A blank line is a break.
template <class F>
inline void scan(std::string_view s, F&& on_token) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    const std::uint8_t k = kClasses.cls[c];
    if (k == 0) {
      ++i;
      continue;
    }
    if (k == 2) {
      on_token(TokenKind::kComma, i, i + 1, false);
      ++i;
      continue;
    }
    if (k == 3) {
      on_token(TokenKind::kBreak, i, i + 1, false);
      ++i;
      continue;
    }
    if (k == 4) {
      if (c == '\n') {
        std::size_t j = i + 1;
        while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r')) ++j;
        if (j < n && s[j] == '\n')
          on_token(TokenKind::kBreak, i, j + 1, false), i = j + 1;
        else
          i = j;
        continue;
      }
      if (c == '.') {
        on_token(TokenKind::kBreak, i, i + 1, false);
        ++i;
        continue;
      }
      if (c == '\'') {
        ++i;
        continue;
      }
      const int e = e2_kind(s, i);
      if (e != 0) {
        i += 3;
        continue;
      }
      // another 0xE2 sequence: a word byte run (fall through)
    }
    // A word: word bytes, inner apostrophes, '.' between alphanumerics.
    const std::size_t begin = i;
    bool e2 = false;
    while (i < n) {
      const unsigned char d = static_cast<unsigned char>(s[i]);
      const std::uint8_t kd = kClasses.cls[d];
      if (kd == 1) {
        ++i;
        continue;
      }
      if (kd == 4) {
        if (d == '\'' || d == '.') {
          if (i > begin && i + 1 < n && kClasses.cls[static_cast<unsigned char>(s[i + 1])] == 1 &&
              (d == '\'' ||
               (is_alnum(static_cast<unsigned char>(s[i - 1])) && is_alnum(static_cast<unsigned char>(s[i + 1]))))) {
            ++i;
            continue;
          }
          break;
        }
        if (d == 0xE2) {
          e2 = true;
          const int e = e2_kind(s, i);
          if (e == 0) {
            ++i;
            continue;
          }
          if (e == -3 && i > begin && i + 3 < n && kClasses.cls[static_cast<unsigned char>(s[i + 3])] == 1) {
            i += 3;
            continue;
          }
          break;
        }
      }
      break;
    }
    if (i == begin) {  // a lone 0xE2 sequence that is not a word
      i += 1;
      continue;
    }
    on_token(TokenKind::kWord, begin, i, e2);
  }
}

// Appends the folded form of a word: ASCII lowercased, U+2019 as '\''.
template <class Out>
inline void fold_word(std::string_view w, Out& out) {
  for (std::size_t i = 0; i < w.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(w[i]);
    if (c == 0xE2 && i + 2 < w.size() && static_cast<unsigned char>(w[i + 1]) == 0x80 &&
        static_cast<unsigned char>(w[i + 2]) == 0x99) {
      out.push_back('\'');
      i += 2;
      continue;
    }
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    out.push_back(static_cast<char>(c));
  }
}

// The matcher's word hash: 8 bytes at a time, each byte OR 0x20 (ASCII
// letters lowercased; digits, '\'' and '.' unchanged; bytes >= 0x80 mapped
// the same way in patterns and text). `p` holds a folded or raw word.
inline std::uint64_t word_hash(const char* p, std::size_t n) {
  std::uint64_t h = 0x9E3779B97F4A7C15ULL ^ n;
  while (n >= 8) {
    std::uint64_t w;
    __builtin_memcpy(&w, p, 8);
    w |= 0x2020202020202020ULL;
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n) {
    std::uint64_t w = 0;
    __builtin_memcpy(&w, p, n);
    w |= 0x2020202020202020ULL >> (8 * (8 - n));
    h = (h ^ w) * 0xff51afd7ed558ccdULL;
    h ^= h >> 32;
  }
  return h;
}

}  // namespace unspin::listed::detail
