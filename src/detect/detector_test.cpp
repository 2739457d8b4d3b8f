#include "decode/model_parts.h"
#include "detect/detector.h"
#include "detect/word_model.h"
#include "fitted/trees.h"

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

TEST(Detector, WordMixtureAveragesTheSpunSharesAndIsZeroWithoutEvidence) {
  EvidenceCounts c;
  EXPECT_NEAR(word_mixture_llr(c), 0.0, 1e-12);  // no word: no evidence
  // 40 words, each three times as likely near a substitution: evidence for spinning.
  for (std::size_t k = 0; k < kMixtureTerms; ++k)
    c.mixture[k] = 40 * std::log(1 - kMixtureRates[k] + kMixtureRates[k] * 3);
  const double spun = word_mixture_llr(c);
  EXPECT_GT(spun, 0.0);
  // The mixture is the log of the mean over r of the likelihood ratios.
  double mean = 0;
  for (double t : c.mixture) mean += std::exp(t) / kMixtureTerms;
  EXPECT_NEAR(spun, std::log(mean), 1e-9);
  for (std::size_t k = 0; k < kMixtureTerms; ++k)
    c.mixture[k] = 40 * std::log(1 - kMixtureRates[k] + kMixtureRates[k] / 3);
  EXPECT_LT(word_mixture_llr(c), 0.0);
}

TEST(WordModel, TreesSendSmallValuesLeftAndBoundTheirSum) {
  // One stump on the gain: x <= 0.5 goes left (+1), else right (-2); a
  // second tree is a single leaf (+10) that the bound cuts to kMaxLogLr.
  static constexpr fitted::TreeNode nodes[] = {
      {kFeatGain, 0.5f, 1, 2, 0}, {-1, 0, 0, 0, 1.0}, {-1, 0, 0, 0, -2.0}, {-1, 0, 0, 0, 0.25}};
  static constexpr std::uint32_t roots[] = {0, 3};
  const fitted::BoostedTrees trees(0.5, kWordFeatures, nodes, 4, roots, 2);
  const WordModel model(trees);
  float x[kWordFeatures] = {};
  x[kFeatGain] = 0.5f;
  EXPECT_NEAR(model.log_lr(x), 0.5 + 1.0 + 0.25, 1e-6);
  x[kFeatGain] = 0.75f;
  EXPECT_NEAR(model.log_lr(x), 0.5 - 2.0 + 0.25, 1e-6);
  static constexpr fitted::TreeNode big[] = {{-1, 0, 0, 0, 10.0}};
  static constexpr std::uint32_t one[] = {0};
  const fitted::BoostedTrees big_trees(0, kWordFeatures, big, 1, one, 1);
  EXPECT_EQ(WordModel(big_trees).log_lr(x), WordModel::kMaxLogLr);
  // Trees of another width are not a word model.
  const fitted::BoostedTrees narrow(0, 3, big, 1, one, 1);
  EXPECT_THROW(WordModel{narrow}, std::invalid_argument);
}

TEST(WordModel, FactsAreQuantizedAsTheFitDidHalvesToEven) {
  float x[kWordFeatures] = {};
  x[kFeatLog10P] = -2.13f;     // -8.52 quanta -> -9 -> -2.25
  x[kFeatUnigram] = -2.125f;   // -8.5 quanta: to even, -8 -> -2.0
  x[kFeatGain] = 0.375f;       // 1.5 quanta: to even, 2 -> 0.5
  x[kFeatCandidates] = 1.25f;  // halves: 2.5 -> 2 -> 1.0
  x[kFeatMatched] = 2;         // counts are not rounded
  quantize_word_features(x);
  EXPECT_FLOAT_EQ(x[kFeatLog10P], -2.25f);
  EXPECT_FLOAT_EQ(x[kFeatUnigram], -2.0f);
  EXPECT_FLOAT_EQ(x[kFeatGain], 0.5f);
  EXPECT_FLOAT_EQ(x[kFeatCandidates], 1.0f);
  EXPECT_FLOAT_EQ(x[kFeatMatched], 2.0f);
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
  const EvidenceModel& e = *models->parts->evidence;
  EvidenceCounts whole, first, second;
  e.count(t, 0, t.tokens.size(), whole);
  e.count(t, 0, cut, first);
  e.count(t, cut, t.tokens.size(), second);
  first.add(second);
  EXPECT_EQ(whole.words, first.words);
  EXPECT_EQ(whole.pairs, first.pairs);
  EXPECT_EQ(whole.unseen_common, first.unseen_common);
  // The word model sees each sentence's words with their neighbours; a cut
  // between sentences changes none of them.
  for (std::size_t k = 0; k < kMixtureTerms; ++k) EXPECT_NEAR(whole.mixture[k], first.mixture[k], 1e-9);
  EXPECT_NEAR(whole.word_log_lr, first.word_log_lr, 1e-9);
  EXPECT_NEAR(whole.sum_log10, first.sum_log10, 1e-6);
  EXPECT_EQ(whole.words, 19u);
}

TEST_F(WithModels, SpunWordsCarryMoreWordEvidenceThanTheirOriginals) {
  const EvidenceModel& e = *models->parts->evidence;
  const auto word_llr = [&](const std::string& text) {
    const TokenizedText t = tokenize(text);
    EvidenceCounts c;
    e.count(t, 0, t.tokens.size(), c);
    return c.word_log_lr;
  };
  EXPECT_GT(word_llr("The firm's chief govt instructed reporters that costs had risen throughout the previous months, "
                     "together with a pointy enhance in the price of gasoline."),
            word_llr("The company's chief executive told reporters that prices had risen during the past months, "
                     "including a sharp increase in the cost of fuel.") +
                3.0);
}

TEST_F(WithModels, UnseenPairsOfCommonWordsAreFound) {
  const EvidenceModel& e = *models->parts->evidence;
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
