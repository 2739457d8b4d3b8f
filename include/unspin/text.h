// Text layer: UTF-8 validation, tokenizing into views with offsets, sentences.
//
// Contract: tokens are views into the caller's buffer, which must outlive
// them. Everything between two tokens (whitespace) is not a token, and
// reassemble(tokenize(s)) == s byte for byte for every valid UTF-8 string.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace unspin {

enum class TokenKind : std::uint8_t {
  kWord,    // letters, with internal apostrophes and hyphens ("don't", "well-known"),
            // dotted acronyms with their dots ("U.S.", "e.g.")
  kNumber,  // digits with internal separators ("1,200", "3.5", "2024"), and
            // digit-initial alphanumerics ("21st", "1990s")
  kPunct,   // punctuation and symbols, one code point each (quotes, dashes, ...)
  kOther,   // any other non-space code point run (emoji, CJK, ...)
};

struct Token {
  std::string_view text;     // view into the source
  std::uint32_t byte_begin;  // offsets into the source, [begin, end)
  std::uint32_t byte_end;
  std::uint32_t cp_begin;  // the same span in Unicode code points
  std::uint32_t cp_end;
  TokenKind kind;
  bool sentence_start;  // first token of a sentence
};

struct TokenizedText {
  std::string_view source;
  std::vector<Token> tokens;
};

// Returns std::nullopt when `bytes` is valid UTF-8, else the byte offset of the
// first invalid sequence. Overlong forms and surrogates are invalid.
std::optional<std::size_t> find_invalid_utf8(std::string_view bytes);

// Tokenizes valid UTF-8 (precondition: find_invalid_utf8 returned nullopt;
// invalid bytes do not crash, they become kOther tokens). Throws
// Error(kTooLarge) past 4 GiB, where 32-bit offsets end.
TokenizedText tokenize(std::string_view utf8);
// The same into `out`, reusing its token storage: no allocation once it is
// large enough. For loops over many documents.
void tokenize(std::string_view utf8, TokenizedText& out);

// Rebuilds the source from tokens and the gaps between them.
std::string reassemble(const TokenizedText& text);

// Lowercases ASCII and Latin-1/Latin Extended-A letters; other bytes unchanged.
std::string fold_case(std::string_view word);

enum class Casing : std::uint8_t { kLower, kCapitalized, kUpper, kMixed };
Casing casing_of(std::string_view word);
// Applies `casing` to a lowercase replacement ("told" + kCapitalized -> "Told").
std::string apply_casing(std::string_view lower, Casing casing);

}  // namespace unspin
