#include "detect/detector.h"

#include <cmath>
#include <filesystem>

#include <gtest/gtest.h>

#include "unspin/restore.h"
#include "unspin/text.h"

namespace unspin::detect {
namespace {

TEST(Detector, ProbabilityIsTheBaseRateAtEvenEvidenceAndShiftsByItsOdds) {
  EXPECT_NEAR(probability(0, 0.1), 0.1, 1e-12);
  EXPECT_NEAR(probability(0, 0.5), 0.5, 1e-12);
  // The same evidence at two base rates: odds' = odds * prior odds ratio.
  const double llr = 1.7, a = probability(llr, 0.1), b = probability(llr, 0.5);
  EXPECT_NEAR(std::log(b / (1 - b)) - std::log(a / (1 - a)), std::log(1.0 / 1.0) - std::log(0.1 / 0.9), 1e-9);
  EXPECT_GT(logit(1.0), 0);  // clamped, finite
  EXPECT_TRUE(std::isfinite(logit(0.0)));
}

TEST(Detector, WordMixtureIsZeroWhenNoBinTellsSpunFromClean) {
  EvidenceCounts c;
  c.bins[3] = 40;
  c.bins[100] = 7;
  EXPECT_NEAR(word_mixture_llr(c, std::vector<double>(kBins, 0.0)), 0.0, 1e-12);
  std::vector<double> lr(kBins, 0.0);
  lr[3] = 1.0;  // a bin three times as common near substitutions: evidence for spinning
  EXPECT_GT(word_mixture_llr(c, lr), 0.0);
  lr[3] = -1.0;
  EXPECT_LT(word_mixture_llr(c, lr), 0.0);
  EXPECT_EQ(word_mixture_llr(c, {}), 0.0);  // no fitted ratios: no evidence
}

struct WithModels : ::testing::Test {
  void SetUp() override {
    const std::string dir = UNSPIN_MODELS_DIR;
    if (!std::filesystem::exists(dir + "/en-us.ulm")) GTEST_SKIP() << "no compiled models in " << dir;
    models = Models::load(ModelPaths::in_folder(dir));
  }
  std::unique_ptr<Models> models;
};

TEST_F(WithModels, EvidenceOfATextIsTheSumOfItsSentences) {
  const std::string text =
      "The company said on Tuesday that prices had risen. The chief executive told reporters about the cost of fuel.";
  const TokenizedText t = tokenize(text);
  std::size_t cut = 0;
  for (std::size_t i = 1; i < t.tokens.size(); ++i) {
    if (t.tokens[i].sentence_start) cut = i;
  }
  ASSERT_GT(cut, 0u);
  const EvidenceModel& e = *models->evidence;
  EvidenceCounts whole, first, second;
  e.count(t, 0, t.tokens.size(), whole);
  e.count(t, 0, cut, first);
  e.count(t, cut, t.tokens.size(), second);
  first.add(second);
  EXPECT_EQ(whole.words, first.words);
  EXPECT_EQ(whole.pairs, first.pairs);
  EXPECT_EQ(whole.unseen_common, first.unseen_common);
  EXPECT_EQ(whole.bins, first.bins);
  EXPECT_NEAR(whole.sum_log10, first.sum_log10, 1e-6);
  EXPECT_EQ(whole.words, 19u);
}

TEST_F(WithModels, UnseenPairsOfCommonWordsAreFound) {
  const EvidenceModel& e = *models->evidence;
  const auto unusual_in = [&](const std::string& text) {
    const TokenizedText t = tokenize(text);
    EvidenceCounts c;
    std::vector<UnusualPair> pairs;
    e.count(t, 0, t.tokens.size(), c, &pairs);
    return pairs.size();
  };
  EXPECT_EQ(unusual_in("the chief executive said that prices had risen"), 0u);
  EXPECT_GT(unusual_in("the firm's secretary normal instructed the navy cooperation"), 0u);
}

TEST_F(WithModels, TheScreenAnswersCleanTextAndRestoreAlwaysDecodes) {
  const std::string clean =
      "The company said on Tuesday that prices had risen during the past months, including a sharp increase in the "
      "cost of fuel. Its chief executive told reporters that the company would keep its customers and cut costs "
      "next year, adding that the outlook for the industry was good.";
  const Restorer checker(*models, RestoreOptions{});
  const DocumentResult r = checker.run(clean);
  EXPECT_EQ(r.stage, "screen");
  EXPECT_TRUE(r.edits.empty());
  EXPECT_TRUE(r.review.empty());
  EXPECT_EQ(r.verdict, Verdict::kClean);
  EXPECT_LT(r.score, 0.5);
  EXPECT_EQ(r.restored, clean);
  RestoreOptions decode_all;
  decode_all.screen = false;
  const DocumentResult d = Restorer(*models, decode_all).run(clean);
  EXPECT_EQ(d.stage, "decoder");
  // The score is a probability at the base rate: a higher base rate, a higher score.
  RestoreOptions even;
  even.base_rate = 0.5;
  even.screen = false;
  EXPECT_GT(Restorer(*models, even).run(clean).score, d.score);
}

}  // namespace
}  // namespace unspin::detect
