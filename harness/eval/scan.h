// The simulated spinners' own view of text: words with byte and code-point
// offsets, sentence starts and quote state. Deliberately independent of the
// library's tokenizer (unspin/text.h), so the instrument does not share the
// decoder's notion of a word.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace unspin::eval {

enum class WordShape : std::uint8_t {
  kLower,        // "market"
  kCapitalized,  // "Market"
  kUpper,        // "NATO", "A"
  kMixed,        // "iPhone", "McDonald"
  kOther,        // digits, apostrophes, non-ASCII letters: never spun
};

struct ScanWord {
  std::uint32_t byte_begin, byte_end;
  std::uint32_t cp_begin, cp_end;
  WordShape shape;
  bool sentence_start;  // first word of a sentence (or after an opening quote)
  bool quoted;          // inside "..." or “...”
  bool number;          // a digit run ("1,200", "3.5"); never spun
};

// Scans UTF-8 text into word and number tokens. `gap_before(i)` of the result
// is the text between word i-1 and word i. Invalid UTF-8 bytes count as one
// code point each (the spinner never edits them).
struct Scan {
  std::string_view text;
  std::vector<ScanWord> words;

  std::string_view word(std::size_t i) const {
    return text.substr(words[i].byte_begin, words[i].byte_end - words[i].byte_begin);
  }
  // The bytes between word i-1 and word i (i == 0: text before the first word).
  std::string_view gap_before(std::size_t i) const {
    const std::uint32_t from = i == 0 ? 0 : words[i - 1].byte_end;
    return text.substr(from, words[i].byte_begin - from);
  }
};

Scan scan_text(std::string_view text);

// Word tokens (letters or digits) in `text`: the denominator of "per 1,000 tokens".
std::size_t count_words(std::string_view text);

// Takes the next line of a data file from `content` that is neither blank nor
// a '#' comment (a trailing '\r' dropped) into `line`; false at the end.
// `line_no` counts every line taken, for error messages.
bool next_data_line(std::string_view& content, int& line_no, std::string_view& line);

// ASCII lowercase; other bytes unchanged.
std::string lower_ascii(std::string_view s);
bool iequals_ascii(std::string_view a, std::string_view b);

// Applies the casing pattern of `shape` to a lowercase replacement. A
// capitalized original capitalizes the first letter of a phrase; an all-caps
// original of two or more letters upper-cases the whole replacement.
std::string apply_shape(std::string_view lower, WordShape shape);

// Number of code points in valid or invalid UTF-8 (invalid bytes count one each).
std::uint32_t count_code_points(std::string_view s);

}  // namespace unspin::eval
