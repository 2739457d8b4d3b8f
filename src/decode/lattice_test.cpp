#include "decode/lattice.h"

#include <gtest/gtest.h>

#include <memory>

#include "decode/testing_fakes.h"

namespace unspin::decode {
namespace {

void expect_same(const Lattice& a, const Lattice& b) {
  ASSERT_EQ(a.arcs_from.size(), b.arcs_from.size());
  for (std::size_t p = 0; p < a.arcs_from.size(); ++p) {
    ASSERT_EQ(a.arcs_from[p].size(), b.arcs_from[p].size()) << "position " << p;
    for (std::size_t i = 0; i < a.arcs_from[p].size(); ++i) {
      const Arc& x = a.arcs_from[p][i];
      const Arc& y = b.arcs_from[p][i];
      EXPECT_EQ(x.begin, y.begin);
      EXPECT_EQ(x.end, y.end);
      EXPECT_EQ(x.spun, y.spun);
      EXPECT_EQ(x.original, y.original);
      EXPECT_EQ(x.ids, y.ids);
      EXPECT_EQ(x.prior, y.prior);
      EXPECT_EQ(x.sources, y.sources);
      EXPECT_EQ(x.local_gain, y.local_gain);
      EXPECT_EQ(x.alternatives, y.alternatives);
    }
  }
}

// The batched scorer gives exactly what one query at a time gives
// (local_score_from), for heads of different lengths, with and without </s>.
TEST(Lattice, SequenceScorerEqualsOneQueryAtATime) {
  testing::FakeBigramLm lm({"the", "firm", "company", "big", "large", "grew", "rose", "area"});
  lm.set("the", "company", -0.5f);
  lm.set("company", "grew", -0.4f);
  lm.set("big", "firm", -0.9f);
  TokenizedText text = tokenize("The big firm grew and rose.");
  const std::vector<Sentence> sentences = build_sentences(text, lm);
  ASSERT_EQ(sentences.size(), 1u);
  const Sentence& s = sentences[0];
  const std::vector<WordId> a{lm.vocab_id("company")}, b{lm.vocab_id("large"), lm.vocab_id("area")}, c{};
  for (std::uint32_t begin : {1u, 2u}) {
    for (std::uint32_t end = begin + 1; end <= s.words.size(); ++end) {
      const LmState left = left_state(s, lm, begin);
      std::vector<WordId> tail;
      const std::uint32_t stop = std::min<std::uint32_t>(s.words.size(), end + 2);
      for (std::uint32_t i = end; i < stop; ++i) tail.push_back(s.words[i].lm_id);
      if (stop == s.words.size()) tail.push_back(lm.end_sentence_id());
      SequenceScorer scorer;
      scorer.score(lm, left, {&a, &b, &c}, tail);
      ASSERT_EQ(scorer.totals.size(), 3u);
      EXPECT_EQ(scorer.totals[0], local_score_from(s, lm, left, end, a, 2));
      EXPECT_EQ(scorer.totals[1], local_score_from(s, lm, left, end, b, 2));
      EXPECT_EQ(scorer.totals[2], local_score_from(s, lm, left, end, c, 2));
    }
  }
}

// The per-document candidate cache is keyed by the spun form and the
// possessive suffix: a repeated word gets the same candidates, a possessive
// gets its suffix re-attached (and its own LM ids), and the arcs are those
// built without the cache.
TEST(Lattice, CandidateCacheGivesTheSameArcsAcrossSentencesAndSuffixes) {
  testing::FakeBigramLm lm(
      {"the", "firm", "firm's", "company", "company's", "big", "large", "grew", "rose", "area", "big firm"});
  lm.set("the", "company", -0.5f);
  lm.set("the", "company's", -0.7f);
  lm.set("company", "grew", -0.4f);
  auto lex = std::make_unique<testing::FakeLexicon>();
  lex->add("firm", "company", 0.5f);
  lex->add("firm", "area", 0.2f);
  lex->add("firm", "firm", 0.9f);  // the span itself: never an arc
  lex->add("big firm", "large company", 0.3f);
  LexiconStack lexicons;
  lexicons.add(std::move(lex));
  const LatticeOptions options;
  TokenizedText text = tokenize("The firm grew. The big firm's area rose. The firm rose.");
  const std::vector<Sentence> sentences = build_sentences(text, lm);
  ASSERT_EQ(sentences.size(), 3u);
  CandidateCache cache(lexicons, lm, options);
  for (const Sentence& s : sentences) {
    expect_same(build_lattice(s, lexicons, lm, options), build_lattice(s, lexicons, lm, options, &cache));
  }
  // "firm" and "firm" + "'s" are distinct entries; "big", "big firm" too.
  const SpanCandidates& plain = cache.get("firm", "");
  const SpanCandidates& possessive = cache.get("firm", "'s");
  ASSERT_EQ(plain.list.size(), 2u);  // "firm" itself is dropped
  EXPECT_EQ(plain.alternatives, 3);  // but counted as proposed
  EXPECT_EQ(plain.list[0].original, "company");
  ASSERT_EQ(possessive.list.size(), 2u);
  EXPECT_EQ(possessive.list[0].original, "company's");
  EXPECT_EQ(possessive.list[0].ids, std::vector<WordId>{lm.vocab_id("company's")});
  EXPECT_TRUE(cache.get("big", "").has_longer);
  EXPECT_FALSE(cache.get("firm", "").has_longer);
  const std::size_t entries = cache.size();
  cache.get("firm", "");
  EXPECT_EQ(cache.size(), entries);  // a hit adds nothing
}

}  // namespace
}  // namespace unspin::decode
