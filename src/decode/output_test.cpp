#include "decode/output.h"

#include <gtest/gtest.h>

namespace unspin::decode {
namespace {

// Token index of the first token whose text is `word`.
std::uint32_t token_of(const TokenizedText& t, std::string_view word) {
  for (std::uint32_t i = 0; i < t.tokens.size(); ++i) {
    if (t.tokens[i].text == word) return i;
  }
  ADD_FAILURE() << "no token " << word;
  return 0;
}

TEST(Output, NoEditsReturnsTheInputByteForByte) {
  const std::string text = "  Ünïcode “quotes” — and\r\nCRLF lines\u00a0here.\n";
  TokenizedText t = tokenize(text);
  DocumentResult r;
  apply_edits(t, {}, &r);
  EXPECT_EQ(r.restored, text);
  EXPECT_TRUE(r.edits.empty());
}

TEST(Output, KeepsLayoutAndCasesTheReplacement) {
  const std::string text = "Stated the firm’s chief govt, “costs rose.”\n\nNEXT LINE";
  TokenizedText t = tokenize(text);
  DocumentResult r;
  apply_edits(t,
              {{token_of(t, "Stated"), token_of(t, "Stated"), "said", 0.9},
               {token_of(t, "chief"), token_of(t, "govt"), "chief executive", 0.8},
               {token_of(t, "costs"), token_of(t, "costs"), "prices", 0.7}},
              &r);
  EXPECT_EQ(r.restored, "Said the firm’s chief executive, “prices rose.”\n\nNEXT LINE");
  ASSERT_EQ(r.edits.size(), 3u);
  EXPECT_EQ(r.edits[1].spun, "chief govt");
  EXPECT_EQ(r.edits[1].original, "chief executive");
  EXPECT_EQ(text.substr(r.edits[1].byte_begin, r.edits[1].byte_end - r.edits[1].byte_begin), "chief govt");
  // ’ and “ are one code point but three bytes each: offsets differ by 4 after them.
  EXPECT_EQ(r.edits[2].cp_begin + 4, r.edits[2].byte_begin);
}

TEST(Output, AllCapsSpanStaysAllCaps) {
  const std::string text = "THE FIRM STATED";
  TokenizedText t = tokenize(text);
  DocumentResult r;
  apply_edits(t, {{token_of(t, "STATED"), token_of(t, "STATED"), "said", 0.9}}, &r);
  EXPECT_EQ(r.restored, "THE FIRM SAID");
}

TEST(Output, FixesTheArticleNextToAnEdit) {
  const std::string text = "It was an enormous rise and a ideal plan.";
  TokenizedText t = tokenize(text);
  DocumentResult r;
  apply_edits(t,
              {{token_of(t, "enormous"), token_of(t, "enormous"), "big", 0.9},
               {token_of(t, "ideal"), token_of(t, "ideal"), "perfect", 0.9}},
              &r);
  EXPECT_EQ(r.restored, "It was a big rise and a perfect plan.");
  ASSERT_EQ(r.edits.size(), 3u);
  EXPECT_EQ(r.edits[0].rule, "UNSPIN_ARTICLE");
  EXPECT_EQ(r.edits[0].original, "a");
}

TEST(Output, IndefiniteArticle) {
  EXPECT_EQ(indefinite_article_for("increase"), "an");
  EXPECT_EQ(indefinite_article_for("big"), "a");
  EXPECT_EQ(indefinite_article_for("hour"), "an");
  EXPECT_EQ(indefinite_article_for("university"), "a");
  EXPECT_EQ(indefinite_article_for("European"), "a");
}

}  // namespace
}  // namespace unspin::decode
