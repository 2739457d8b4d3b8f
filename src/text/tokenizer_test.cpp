#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "unspin/text.h"

namespace unspin {
namespace {

using Pieces = std::vector<std::pair<std::string, TokenKind>>;

Pieces pieces(std::string_view s) {
  Pieces out;
  for (const Token& t : tokenize(s).tokens) out.emplace_back(std::string(t.text), t.kind);
  return out;
}

std::vector<std::string> texts(std::string_view s) {
  std::vector<std::string> out;
  for (const Token& t : tokenize(s).tokens) out.emplace_back(t.text);
  return out;
}

constexpr TokenKind W = TokenKind::kWord, N = TokenKind::kNumber, P = TokenKind::kPunct, O = TokenKind::kOther;

TEST(Tokenizer, WordsNumbersPunctuation) {
  EXPECT_EQ(pieces("The CEO said: sales rose 3.5% to $1,200."), (Pieces{{"The", W},
                                                                        {"CEO", W},
                                                                        {"said", W},
                                                                        {":", P},
                                                                        {"sales", W},
                                                                        {"rose", W},
                                                                        {"3.5", N},
                                                                        {"%", P},
                                                                        {"to", W},
                                                                        {"$", P},
                                                                        {"1,200", N},
                                                                        {".", P}}));
}

TEST(Tokenizer, InternalApostrophesAndHyphens) {
  EXPECT_EQ(texts("don't O’Brien well-known chief-executive rock'n'roll"),
            (std::vector<std::string>{"don't", "O’Brien", "well-known", "chief-executive", "rock'n'roll"}));
  // Leading/trailing apostrophes and hyphens are punctuation, not word parts.
  EXPECT_EQ(texts("'tis dogs' -well- a--b"),
            (std::vector<std::string>{"'", "tis", "dogs", "'", "-", "well", "-", "a", "-", "-", "b"}));
  EXPECT_EQ(texts("COVID-19 pre-2020"), (std::vector<std::string>{"COVID-19", "pre-2020"}));
}

TEST(Tokenizer, NumbersAndOrdinals) {
  EXPECT_EQ(pieces("9:30 1,200.50 21st 1990s 1990-1995 3."), (Pieces{{"9:30", N},
                                                                     {"1,200.50", N},
                                                                     {"21st", N},
                                                                     {"1990s", N},
                                                                     {"1990", N},
                                                                     {"-", P},
                                                                     {"1995", N},
                                                                     {"3", N},
                                                                     {".", P}}));
  EXPECT_EQ(texts("1,2,3 and 4."), (std::vector<std::string>{"1,2,3", "and", "4", "."}));
  EXPECT_EQ(texts("x,1 a.5"), (std::vector<std::string>{"x", ",", "1", "a", ".", "5"}));
}

TEST(Tokenizer, Acronyms) {
  EXPECT_EQ(texts("the U.S. and e.g., U.S.A. A. B. Smith"),
            (std::vector<std::string>{"the", "U.S.", "and", "e.g.", ",", "U.S.A.", "A", ".", "B", ".", "Smith"}));
  EXPECT_EQ(texts("U.S.A"), (std::vector<std::string>{"U", ".", "S", ".", "A"}));
}

TEST(Tokenizer, NonAsciiLetters) {
  EXPECT_EQ(pieces("café naïve Zürich Ελλάδα Москва"),
            (Pieces{{"café", W}, {"naïve", W}, {"Zürich", W}, {"Ελλάδα", W}, {"Москва", W}}));
  // Decomposed accent (e + U+0301) stays inside the word.
  EXPECT_EQ(texts("cafe\xCC\x81 ok"), (std::vector<std::string>{"cafe\xCC\x81", "ok"}));
  // Modifier-letter apostrophe (U+02BC) is a letter.
  EXPECT_EQ(texts("don\xCA\xBCt"), (std::vector<std::string>{"don\xCA\xBCt"}));
}

TEST(Tokenizer, EmojiCjkAndSymbols) {
  EXPECT_EQ(pieces("hi 😀😀 東京 👍🏽 ok © 2024 ½"),
            (Pieces{{"hi", W}, {"😀😀", O}, {"東京", O}, {"👍🏽", O}, {"ok", W}, {"©", O}, {"2024", N}, {"½", O}}));
  // A ZWJ family emoji is one token.
  EXPECT_EQ(texts("👨\u200D👩\u200D👧"), (std::vector<std::string>{"👨\u200D👩\u200D👧"}));
  EXPECT_EQ(pieces("“quoted” — dash…"), (Pieces{{"“", P}, {"quoted", W}, {"”", P}, {"—", P}, {"dash", W}, {"…", P}}));
}

TEST(Tokenizer, WhitespaceIsNeverInsideATokenAndSurvives) {
  const std::string s = "a\u00A0b\r\nc\td\u2028e\u2003f\u3000g\u200Bh\uFEFFi\x01j  \n\n k";
  TokenizedText t = tokenize(s);
  EXPECT_EQ(texts(s), (std::vector<std::string>{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"}));
  EXPECT_EQ(reassemble(t), s);
}

TEST(Tokenizer, OffsetsInBytesAndCodePoints) {
  const std::string s = "Zoë’s naïve café — 3½ 😀!";
  TokenizedText t = tokenize(s);
  ASSERT_FALSE(t.tokens.empty());
  std::uint32_t cp = 0;
  std::size_t byte = 0;
  for (const Token& tok : t.tokens) {
    // Advance a slow reference counter to the token's byte offset.
    while (byte < tok.byte_begin) {
      byte += 1;
      while (byte < s.size() && (static_cast<unsigned char>(s[byte]) & 0xC0) == 0x80) ++byte;
      ++cp;
    }
    EXPECT_EQ(tok.cp_begin, cp) << tok.text;
    EXPECT_EQ(tok.text, std::string_view(s).substr(tok.byte_begin, tok.byte_end - tok.byte_begin));
    EXPECT_EQ(tok.text.data(), s.data() + tok.byte_begin) << "tokens are views, not copies";
  }
  EXPECT_EQ(t.tokens[0].text, "Zoë’s");
  EXPECT_EQ(t.tokens[0].cp_end - t.tokens[0].cp_begin, 5u);
  EXPECT_EQ(t.tokens[0].byte_end - t.tokens[0].byte_begin, 8u);
  const Token& last = t.tokens.back();
  EXPECT_EQ(last.text, "!");
  EXPECT_EQ(last.cp_begin, 23u);
  EXPECT_EQ(last.byte_begin, s.size() - 1);
}

TEST(Tokenizer, RoundTripEdgeCases) {
  const std::vector<std::string> cases = {
      "",         " ",         "\n\n\n",    "a",           "'",      "-",        "...",      "a.",
      ".a",       "1,",        ",1",        "1.",          "U.",     "U.S",      "don'",     "well-",
      "\xCC\x81", "\xCC\x81x", "x\xCC\x81", "😀",           "\u200D", "e.g.e.g.", "\r\n\r\n", "\xEF\xBB\xBFHello",
      "1:2:3:",   "a'b'c'",    "--x--",     "\u2028\u2029"};
  for (const std::string& s : cases) {
    TokenizedText t = tokenize(s);
    EXPECT_EQ(reassemble(t), s) << s;
    std::uint32_t prev = 0;
    for (const Token& tok : t.tokens) {
      EXPECT_GE(tok.byte_begin, prev);
      EXPECT_LT(tok.byte_begin, tok.byte_end);
      EXPECT_LT(tok.cp_begin, tok.cp_end);
      prev = tok.byte_end;
    }
  }
}

TEST(Tokenizer, InvalidUtf8DoesNotCrashAndStillRoundTrips) {
  const std::string s = "caf\xE9 \xFF\xFE ok \xED\xA0\x80 \xF0\x9F";
  TokenizedText t = tokenize(s);
  EXPECT_EQ(reassemble(t), s);
  EXPECT_EQ(texts(s), (std::vector<std::string>{"caf", "\xE9", "\xFF\xFE", "ok", "\xED\xA0\x80", "\xF0\x9F"}));
}

TEST(Utf8, FindsFirstInvalidSequence) {
  EXPECT_EQ(find_invalid_utf8(""), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("plain ASCII text, long enough for the fast path"), std::nullopt);
  EXPECT_EQ(find_invalid_utf8("é ’ 😀 \xF4\x8F\xBF\xBF"), std::nullopt);  // U+10FFFF is valid
  EXPECT_EQ(find_invalid_utf8("abcdefghij\xC3"), 10u);                   // truncated
  EXPECT_EQ(find_invalid_utf8("ab\xC0\xAF"), 2u);                        // overlong '/'
  EXPECT_EQ(find_invalid_utf8("ab\xE0\x80\xAF"), 2u);                    // overlong, 3 bytes
  EXPECT_EQ(find_invalid_utf8("ab\xED\xA0\x80"), 2u);                    // surrogate U+D800
  EXPECT_EQ(find_invalid_utf8("ab\xF4\x90\x80\x80"), 2u);                // > U+10FFFF
  EXPECT_EQ(find_invalid_utf8("ab\xF5\x80\x80\x80"), 2u);
  EXPECT_EQ(find_invalid_utf8("abc\x80"), 3u);  // lone continuation
  EXPECT_EQ(find_invalid_utf8("0123456789abcdef\xE2\x80"), 16u);
}

}  // namespace
}  // namespace unspin
