#include "eval/scan.h"

#include <algorithm>
#include <array>

namespace unspin::eval {
namespace {

struct Cp {
  char32_t value;
  std::uint32_t length;  // bytes
};

// Decodes one code point; an invalid or truncated sequence decodes as U+FFFD of length 1.
Cp decode(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return {c, 1};
  int n = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (c >= 0xF5) n = 0;
  if (n == 0 || i + n > s.size()) return {0xFFFD, 1};
  char32_t v = n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (int k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
    v = (v << 6) | (b(i + k) & 0x3F);
  }
  return {v, static_cast<std::uint32_t>(n)};
}

bool is_letter(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return c >= 0xC0 && c < 0x2000 && c != 0xD7 && c != 0xF7;
}
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_connector(char32_t c) { return c == '\'' || c == 0x2019 || c == '-'; }
bool is_number_separator(char32_t c) { return c == '.' || c == ','; }

// Words after which a period does not end a sentence.
bool is_abbreviation(std::string_view w) {
  static constexpr std::array<std::string_view, 26> kAbbrev = {
      "Mr",  "Mrs",  "Ms",   "Dr",  "St", "Jr",   "Sr",  "Gen", "Gov", "Sen", "Rep", "Col", "Lt",
      "Sgt", "Capt", "Prof", "Inc", "Co", "Corp", "Ltd", "vs",  "No",  "Mt",  "Ft",  "Rev", "Hon"};
  if (w.size() == 1) return true;  // an initial: "J. F. Kennedy", "U.S."
  return std::find(kAbbrev.begin(), kAbbrev.end(), w) != kAbbrev.end();
}

WordShape shape_of(std::string_view w) {
  std::size_t upper = 0, lower = 0;
  for (char c : w) {
    if (c >= 'a' && c <= 'z')
      ++lower;
    else if (c >= 'A' && c <= 'Z')
      ++upper;
    else if (c == '-' && lower + upper > 0)
      continue;
    else
      return WordShape::kOther;
  }
  if (upper == 0) return WordShape::kLower;
  if (lower == 0) return WordShape::kUpper;
  const bool first_upper = w[0] >= 'A' && w[0] <= 'Z';
  if (first_upper && upper == 1) return WordShape::kCapitalized;
  return WordShape::kMixed;
}

}  // namespace

Scan scan_text(std::string_view text) {
  Scan out;
  out.text = text;
  bool quote_open = false;
  bool next_starts_sentence = true;
  std::uint32_t cp = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    Cp c = decode(text, i);
    if (!is_letter(c.value) && !is_digit(c.value)) {
      // Gap character: update quote and sentence state.
      if (c.value == '"') {
        quote_open = !quote_open;
        if (quote_open) next_starts_sentence = true;
      } else if (c.value == 0x201C) {
        quote_open = true;
        next_starts_sentence = true;
      } else if (c.value == 0x201D) {
        quote_open = false;
      } else if (c.value == '!' || c.value == '?') {
        next_starts_sentence = true;
      } else if (c.value == '.') {
        const bool after_abbrev = !out.words.empty() && out.words.back().byte_end == i &&
                                  is_abbreviation(text.substr(out.words.back().byte_begin,
                                                              out.words.back().byte_end - out.words.back().byte_begin));
        if (!after_abbrev) next_starts_sentence = true;
      } else if (c.value == '\n' && i + 1 < text.size() && text[i + 1] == '\n') {
        quote_open = false;  // an unbalanced quote does not leak past a paragraph
        next_starts_sentence = true;
      }
      i += c.length;
      ++cp;
      continue;
    }
    ScanWord w{};
    w.byte_begin = static_cast<std::uint32_t>(i);
    w.cp_begin = cp;
    bool digits = false;
    while (i < text.size()) {
      Cp d = decode(text, i);
      if (is_letter(d.value) || is_digit(d.value)) {
        digits |= is_digit(d.value);
        i += d.length;
        ++cp;
        continue;
      }
      // Internal connector: kept only when a letter/digit follows.
      if ((is_connector(d.value) || (digits && is_number_separator(d.value))) && i + d.length < text.size()) {
        Cp e = decode(text, i + d.length);
        const bool joins = is_number_separator(d.value) ? is_digit(e.value) : is_letter(e.value) || is_digit(e.value);
        if (joins) {
          i += d.length + e.length;
          cp += 2;
          digits |= is_digit(e.value);
          continue;
        }
      }
      break;
    }
    w.byte_end = static_cast<std::uint32_t>(i);
    w.cp_end = cp;
    w.number = digits;
    std::string_view s = text.substr(w.byte_begin, w.byte_end - w.byte_begin);
    w.shape = digits ? WordShape::kOther : shape_of(s);
    w.sentence_start = next_starts_sentence;
    w.quoted = quote_open;
    next_starts_sentence = false;
    out.words.push_back(w);
  }
  return out;
}

std::size_t count_words(std::string_view text) { return scan_text(text).words.size(); }

bool next_data_line(std::string_view& content, int& line_no, std::string_view& line) {
  while (!content.empty()) {
    const std::size_t nl = content.find('\n');
    line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line[0] != '#') return true;
  }
  return false;
}

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string apply_shape(std::string_view lower, WordShape shape) {
  std::string out(lower);
  if (shape == WordShape::kCapitalized || (shape == WordShape::kUpper && out.size() == 1)) {
    if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  } else if (shape == WordShape::kUpper) {
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 32);
    }
  }
  return out;
}

std::uint32_t count_code_points(std::string_view s) {
  std::uint32_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) i += decode(s, i).length;
  return n;
}

}  // namespace unspin::eval
