// The Kneser-Ney estimator: distributions sum to one, discounts are sane, and
// more context helps on held-out text.
#include <cmath>
#include <random>

#include <gtest/gtest.h>

#include "lm/evaluate.h"
#include "lm/kneser_ney.h"
#include "lm/lm_text.h"
#include "lm/test_util.h"
#include "unspin/error.h"

namespace unspin::lm {
namespace {

std::vector<std::vector<std::string>> zipf_corpus(int sentences, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> vocab;
  for (int i = 0; i < 300; ++i) vocab.push_back("w" + std::to_string(i));
  std::vector<double> weights;
  for (int i = 0; i < 300; ++i) weights.push_back(1.0 / (i + 1));
  std::discrete_distribution<int> zipf(weights.begin(), weights.end());
  std::vector<std::vector<std::string>> out;
  for (int s = 0; s < sentences; ++s) {
    std::vector<std::string> sentence;
    int prev = zipf(rng);
    const int len = 3 + rng() % 12;
    for (int i = 0; i < len; ++i) {
      // Markov dependence so higher orders have something to learn.
      const int w = (rng() % 3 == 0) ? zipf(rng) : (prev * 7 + 3 + (rng() % 2)) % 300;
      sentence.push_back(vocab[w]);
      prev = w;
    }
    out.push_back(sentence);
  }
  return out;
}

class KneserNey : public ::testing::TestWithParam<int> {};

TEST_P(KneserNey, ConditionalDistributionsSumToOne) {
  const int order = GetParam();
  KneserNeyBuilder builder(order);
  for (const auto& s : zipf_corpus(4000, 1)) builder.add_sentence(s);
  NgramSet set = builder.estimate();
  for (int n = 1; n <= order; ++n) {
    EXPECT_GT(set.discounts[n - 1][0], 0.0f);
    EXPECT_LT(set.discounts[n - 1][2], 3.0f);
  }
  close_ngram_set(set);
  // score() gives <unk> a flat penalty by contract; for the sum, score the
  // unknown-word mass like any word through a stand-in vocabulary entry.
  const WordId unk_stand_in = static_cast<WordId>(set.vocab.size());
  set.vocab.push_back("<unk-stand-in>");
  set.uni_prob.push_back(set.uni_prob[kUnknownWord]);
  set.uni_backoff.push_back(0.0f);
  NgramSetScorer scorer(set);
  std::mt19937 rng(3);
  // Contexts: seen (order-1)-grams, shorter ones, and an unseen one.
  std::vector<std::vector<WordId>> contexts = {{}};
  for (int n = 2; n <= order; ++n) {
    for (int k = 0; k < 20; ++k) {
      const std::size_t i = rng() % set.levels[n].size();
      contexts.emplace_back(&set.levels[n].words[i * n], &set.levels[n].words[i * n] + n);
    }
  }
  contexts.push_back({5, 9, 11, 4});
  for (const auto& context : contexts) {
    double sum = 0;
    for (WordId w = 0; w < set.vocab.size(); ++w) {
      if (set.vocab[w] == "<s>" || w == kUnknownWord) continue;
      sum += std::pow(10.0, scorer.score(context, w));
    }
    EXPECT_NE(unk_stand_in, kUnknownWord);
    EXPECT_NEAR(sum, 1.0, 1e-5) << "context of " << context.size() << " words";
  }
}

TEST_P(KneserNey, HigherOrdersLowerHeldOutPerplexity) {
  const int order = GetParam();
  double ppl[2];
  for (int k = 0; k < 2; ++k) {
    KneserNeyBuilder builder(k == 0 ? 1 : order);
    for (const auto& s : zipf_corpus(4000, 1)) builder.add_sentence(s);
    NgramSet set = builder.estimate();
    set.folds_case = true;
    close_ngram_set(set);
    testing::TempPath path("kn" + std::to_string(order) + "_" + std::to_string(k) + ".ulm");
    write_ulm(set, path.str());
    ppl[k] = evaluate(*LanguageModel::open(path.str()), zipf_corpus(500, 2)).perplexity();
  }
  EXPECT_LT(ppl[1], ppl[0] * 0.8) << "unigram " << ppl[0] << ", order " << order << " " << ppl[1];
}

INSTANTIATE_TEST_SUITE_P(Orders, KneserNey, ::testing::Values(2, 3, 4, 5));

TEST(KneserNeyBuilder, TinyCorpusFallsBackAndWarns) {
  KneserNeyBuilder builder(3);
  builder.add_sentence({"a", "b"});
  NgramSet set = builder.estimate();
  EXPECT_FALSE(builder.warnings().empty());
  EXPECT_EQ(set.order, 3);
  KneserNeyBuilder empty(3);
  EXPECT_THROW(empty.estimate(), Error);
  EXPECT_THROW(KneserNeyBuilder(6), Error);
}

TEST(LmText, SplitsSentencesAndFolds) {
  const auto s = split_sentences("The cat's X-ray cost $3.50, ok. Next line!\nÉTÉ here", true);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0], (std::vector<std::string>{"the", "cat's", "x-ray", "cost", "3.50", "ok"}));
  EXPECT_EQ(s[1], (std::vector<std::string>{"next", "line"}));
  EXPECT_EQ(s[2], (std::vector<std::string>{"été", "here"}));
  EXPECT_EQ(fold_word("ŁÓDŹ"), "łódź");
}

}  // namespace
}  // namespace unspin::lm
