#include "text/sentences.h"

#include <array>
#include <string_view>

#include "text/char_class.h"
#include "text/utf8.h"

namespace unspin::text {
namespace {

char32_t first_cp(std::string_view s) {
  if (s.empty()) return 0;
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  return decode_utf8(p, p + s.size()).cp;
}

bool is_terminator(const Token& t) {
  if (t.kind != TokenKind::kPunct) return false;
  switch (first_cp(t.text)) {
    case '.':
    case '!':
    case '?':
    case 0x2026:
    case 0x203C:
    case 0x2047:
    case 0x2048:
    case 0x2049:
    case 0x3002:
    case 0xFF01:
    case 0xFF1F: return true;
    default: return false;
  }
}

bool is_closer(const Token& t) {
  if (t.kind != TokenKind::kPunct) return false;
  switch (first_cp(t.text)) {
    case '"':
    case '\'':
    case ')':
    case ']':
    case '}':
    case 0x201D:
    case 0x2019:
    case 0xBB:
    case 0x203A: return true;
    default: return false;
  }
}

bool is_opener(const Token& t) {
  if (t.kind != TokenKind::kPunct) return false;
  switch (first_cp(t.text)) {
    case '"':
    case '\'':
    case '(':
    case '[':
    case '{':
    case 0x201C:
    case 0x2018:
    case 0xAB:
    case 0x2039:
    case 0xBF:
    case 0xA1: return true;
    default: return false;
  }
}

// Abbreviations after which '.' rarely ends a sentence (case-sensitive).
constexpr std::array<std::string_view, 62> kAbbreviations = {
    "Mr",   "Mrs",  "Ms",   "Mx",   "Dr",     "Prof", "Sr",     "Jr",   "St",  "Mt",   "Ft",  "Gen",  "Col",
    "Capt", "Lt",   "Sgt",  "Cpl",  "Pvt",    "Maj",  "Adm",    "Cmdr", "Rev", "Hon",  "Gov", "Sen",  "Rep",
    "Pres", "Supt", "Insp", "Det",  "Messrs", "Mme",  "Mlle",   "Fr",   "Vol", "Vols", "Fig", "Figs", "Eq",
    "Eqs",  "pp",   "Dept", "Univ", "Jan",    "Feb",  "Mar",    "Apr",  "Jun", "Jul",  "Aug", "Sep",  "Sept",
    "Oct",  "Nov",  "Dec",  "vs",   "cf",     "viz",  "approx", "ca",   "al",  "Ch"};

bool is_abbreviation(std::string_view word, const Token* next) {
  if (word.size() == 1 && word[0] >= 'A' && word[0] <= 'Z') return true;  // an initial
  if (word == "No" || word == "Nos") return next && next->kind == TokenKind::kNumber;
  for (std::string_view a : kAbbreviations) {
    if (a == word) return true;
  }
  return false;
}

// Lines broken in [begin, end) of the source, counting CRLF once and U+2029 as two.
int line_breaks(std::string_view s) {
  int breaks = 0;
  for (std::size_t i = 0; i < s.size() && breaks < 2; ++i) {
    const char c = s[i];
    if (c == '\n')
      ++breaks;
    else if (c == '\r' && (i + 1 == s.size() || s[i + 1] != '\n'))
      ++breaks;
    else if (c == '\xE2' && s.substr(i, 3) == "\xE2\x80\xA9")
      breaks += 2;
  }
  return breaks;
}

}  // namespace

void mark_sentences(TokenizedText& text) {
  std::vector<Token>& tk = text.tokens;
  const std::size_t n = tk.size();
  bool start = true;
  std::uint32_t prev_end = 0;
  std::size_t i = 0;
  while (i < n) {
    if (i > 0 && line_breaks(text.source.substr(prev_end, tk[i].byte_begin - prev_end)) >= 2) {
      start = true;
    }
    tk[i].sentence_start = start;
    start = false;
    if (!is_terminator(tk[i])) {
      prev_end = tk[i].byte_end;
      ++i;
      continue;
    }
    // The run of adjacent terminators and closers ending here: "?!", "...", ".)”".
    const std::size_t run = i;
    std::size_t j = i;
    int dots = first_cp(tk[i].text) == '.';
    bool ellipsis = first_cp(tk[i].text) == 0x2026;
    while (j + 1 < n && tk[j + 1].byte_begin == tk[j].byte_end && (is_terminator(tk[j + 1]) || is_closer(tk[j + 1]))) {
      ++j;
      tk[j].sentence_start = false;
      const char32_t c = first_cp(tk[j].text);
      dots += c == '.';
      ellipsis |= c == 0x2026;
    }
    ellipsis |= dots >= 2;
    prev_end = tk[j].byte_end;
    i = j + 1;
    if (i == n) break;
    if (tk[i].byte_begin == tk[j].byte_end) continue;  // "file.txt", "3.x": no gap, no end

    const Token* content = nullptr;  // the next token past opening quotes/brackets
    for (std::size_t k = i; k < n && !content; ++k) {
      if (!is_opener(tk[k])) content = &tk[k];
    }
    const bool next_word = content && content->kind == TokenKind::kWord;
    const char32_t next_first = next_word ? first_cp(content->text) : 0;
    if (ellipsis) {
      start = next_word && is_upper_cp(next_first);
    } else if (next_word && is_lower_cp(next_first)) {
      start = false;
    } else if (first_cp(tk[run].text) == '.' && run > 0 && tk[run - 1].kind == TokenKind::kWord &&
               tk[run - 1].byte_end == tk[run].byte_begin && is_abbreviation(tk[run - 1].text, content)) {
      start = false;
    } else {
      start = true;
    }
  }
}

}  // namespace unspin::text
