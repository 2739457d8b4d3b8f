#include "decode/document.h"

#include <gtest/gtest.h>

#include "decode/testing_fakes.h"

namespace unspin::decode {
namespace {

TEST(Document, CurlyApostrophesLookUpLikeStraightOnesAndSurviveInSuffixes) {
  testing::FakeBigramLm lm({"didn't", "firm", "firm's", "the"});
  TokenizedText text = tokenize("The firm\u2019s staff didn\u2019t go.");
  std::vector<Sentence> sentences = build_sentences(text, lm);
  ASSERT_EQ(sentences.size(), 1u);
  const auto& words = sentences[0].words;
  ASSERT_EQ(words.size(), 5u);
  EXPECT_EQ(words[1].lower, "firm");
  EXPECT_EQ(words[1].suffix, "\u2019s");
  EXPECT_EQ(words[1].lm_id, lm.vocab_id("firm's"));
  EXPECT_EQ(words[3].lm_id, lm.vocab_id("didn't"));
  EXPECT_NE(words[3].lm_id, kUnknownWord);
}

TEST(Document, RunsWithoutSentenceEndsAreCutIntoBoundedWindows) {
  testing::FakeBigramLm lm({"the"});
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "word ";
  TokenizedText tokens = tokenize(text);
  const std::vector<Sentence> sentences = build_sentences(tokens, lm);
  ASSERT_EQ(sentences.size(), 4u);
  std::uint32_t next_token = 0;
  for (std::size_t s = 0; s < sentences.size(); ++s) {
    EXPECT_EQ(sentences[s].words.size(), s < 3 ? kMaxSentenceWords : 1000 - 3 * kMaxSentenceWords);
    for (const WordItem& w : sentences[s].words) EXPECT_EQ(w.token, next_token++);  // no word lost or repeated
    EXPECT_FALSE(sentences[s].words.back().joins_next);                             // nothing joins across a cut
  }
}

TEST(Document, AcronymsAndNumbersAreNotEligibleNamesAreMarked) {
  testing::FakeBigramLm lm({"the"});
  TokenizedText text = tokenize("Stated the NASA team in Paris in 2024.");
  const std::vector<Sentence> sentences = build_sentences(text, lm);
  ASSERT_EQ(sentences.size(), 1u);
  const auto& words = sentences[0].words;
  ASSERT_EQ(words.size(), 7u);     // 2024 is a number token, not a word item
  EXPECT_TRUE(words[0].eligible);  // sentence start: capitalised but not a name
  EXPECT_TRUE(words[1].eligible);
  EXPECT_FALSE(words[2].eligible);  // NASA
  EXPECT_TRUE(words[5].eligible);   // Paris: spinners spin names word by word
  EXPECT_TRUE(words[5].name_like);
  EXPECT_FALSE(words[0].name_like);
}

TEST(SplitHyphenatedWords, SplitsWordsAtHyphensAndKeepsEveryOffset) {
  const std::string text = "A full-time, well\xE2\x80\x90known caf\xC3\xA9-owner; x-ray.";
  TokenizedText t = tokenize(text);
  split_hyphenated_words(t);
  std::vector<std::string> parts;
  for (const Token& tok : t.tokens) {
    parts.emplace_back(tok.text);
    EXPECT_EQ(text.substr(tok.byte_begin, tok.byte_end - tok.byte_begin), tok.text);
  }
  EXPECT_EQ(parts, (std::vector<std::string>{"A", "full", "-", "time", ",", "well", "\xE2\x80\x90", "known",
                                             "caf\xC3\xA9", "-", "owner", ";", "x", "-", "ray", "."}));
  EXPECT_EQ(reassemble(t), text);
  // Code points: "caf\xC3\xA9" is 4 of them, so its hyphen is the 5th of that word.
  const Token& owner = t.tokens[10];
  EXPECT_EQ(owner.cp_end - owner.cp_begin, 5u);
  EXPECT_EQ(t.tokens[9].cp_begin, t.tokens[8].cp_end);
  EXPECT_EQ(t.tokens[8].cp_end - t.tokens[8].cp_begin, 4u);
  EXPECT_TRUE(t.tokens[0].sentence_start);
  EXPECT_EQ(t.tokens[3].kind, TokenKind::kWord);
  EXPECT_EQ(t.tokens[2].kind, TokenKind::kPunct);
}

}  // namespace
}  // namespace unspin::decode
