#include "lm/lm_text.h"

namespace unspin::lm {
namespace {

bool is_ascii_alnum(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}
bool is_word_byte(unsigned char c) { return is_ascii_alnum(c) || c >= 0x80; }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }

// Lowercase of a code point in Latin-1 / Latin Extended-A, or the code point.
char32_t lower_latin(char32_t cp) {
  if (cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) return cp + 0x20;
  if ((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14A && cp <= 0x177)) return cp | 1u;
  if ((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17E)) {
    return (cp & 1u) ? cp + 1 : cp;
  }
  if (cp == 0x178) return 0xFF;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else {  // only called for cp < 0x800
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace

bool may_need_folding(std::string_view word) noexcept {
  for (unsigned char c : word) {
    if ((c >= 'A' && c <= 'Z') || c == 0xC3 || c == 0xC4 || c == 0xC5) return true;
  }
  return false;
}

std::string fold_word(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  for (std::size_t i = 0; i < word.size(); ++i) {
    const unsigned char c = word[i];
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c + 32);
    } else if ((c == 0xC3 || c == 0xC4 || c == 0xC5) && i + 1 < word.size() &&
               (static_cast<unsigned char>(word[i + 1]) & 0xC0) == 0x80) {
      const char32_t cp = (char32_t(c & 0x1F) << 6) | (word[i + 1] & 0x3F);
      append_utf8(out, lower_latin(cp));
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::vector<std::vector<std::string>> split_sentences(std::string_view text, bool fold) {
  std::vector<std::vector<std::string>> sentences;
  std::vector<std::string> current;
  auto flush = [&] {
    if (!current.empty()) sentences.push_back(std::move(current));
    current.clear();
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  while (i < n) {
    const unsigned char c = text[i];
    if (c == '\n') {
      flush();
      ++i;
      continue;
    }
    if (!is_word_byte(c)) {
      if ((c == '.' || c == '!' || c == '?') && !current.empty()) flush();
      ++i;
      continue;
    }
    std::size_t j = i + 1;
    while (j < n) {
      const unsigned char d = text[j];
      if (is_word_byte(d)) {
        ++j;
      } else if ((d == '\'' || d == '-') && j + 1 < n && is_word_byte(text[j + 1])) {
        j += 2;
      } else if ((d == '.' || d == ',') && is_digit(text[j - 1]) && j + 1 < n && is_digit(text[j + 1])) {
        j += 2;
      } else {
        break;
      }
    }
    std::string_view token = text.substr(i, j - i);
    current.emplace_back(fold && may_need_folding(token) ? fold_word(token) : std::string(token));
    i = j;
  }
  flush();
  return sentences;
}

}  // namespace unspin::lm
