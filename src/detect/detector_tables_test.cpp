// The detector's precomputed table (Detector::top_unigram_)
// give the very features the direct formulas give: bit for bit, since the
// screen's results must not change with the speed-up (EXPECT_EQ on doubles,
// not EXPECT_NEAR).
#include <cmath>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "decode/fitted_params.h"
#include "decode/model_parts.h"
#include "detect/detector.h"
#include "unspin/restore.h"
#include "unspin/text.h"

namespace unspin::detect {
namespace {

struct DetectorTables : ::testing::Test {
  void SetUp() override {
    const std::string dir = UNSPIN_MODELS_DIR;
    if (!std::filesystem::exists(dir + "/en-us.ulm")) GTEST_SKIP() << "no compiled models in " << dir;
    models = Models::load(ModelPaths::in_folder(dir));
  }
  // features() as written before the table: pow per call.
  static void expect_direct(const Detector& d, const EvidenceCounts& c) {
    const std::vector<double> x = d.features(c);
    const double words = std::max<double>(c.words, 1);
    const double llr = word_mixture_llr(c);
    EXPECT_EQ(x[kWordLlr], 100.0 * llr / words);
    EXPECT_EQ(x[kWordLlrTotal], llr / 10.0);
    const std::vector<float>& top = d.evidence().top_unigram_log10();
    double missing = 0;
    for (std::size_t r = 0; r < top.size() && r < c.top_counts.size(); ++r) {
      if (c.top_counts[r] == 0) missing += std::pow(10.0, top[r]);
    }
    EXPECT_EQ(x[kMissingTop], 100.0 * missing - (d.params().missing_a + d.params().missing_b * std::log10(words)));
  }
  std::unique_ptr<Models> models;
};

TEST_F(DetectorTables, FeaturesOfTextsAreTheDirectFormulas) {
  const Detector d(*models->parts->evidence, decode::fitted_of(*models).detector);
  for (const std::string text :
       {"The company said on Tuesday that prices had risen during the past months.",
        "The firm's chief govt instructed reporters on Tuesday that costs had risen throughout the previous months, "
        "together with a pointy enhance in the price of gasoline.",
        "", "zzzz qqqq", "A. B. C."}) {
    const TokenizedText t = tokenize(text);
    EvidenceCounts c;
    d.evidence().count(t, 0, t.tokens.size(), c);
    expect_direct(d, c);
  }
}

TEST_F(DetectorTables, FeaturesOfRandomCountsAreTheDirectFormulas) {
  const Detector d(*models->parts->evidence, decode::fitted_of(*models).detector);
  std::mt19937 rng(7);
  for (int trial = 0; trial < 50; ++trial) {
    EvidenceCounts c;
    for (double& t : c.mixture) t = -static_cast<double>(rng() % 4000) / 100.0;
    for (auto& t : c.top_counts) t = static_cast<std::uint16_t>(rng() % 3 == 0 ? 0 : rng() % 9);
    c.words = c.known = 1 + static_cast<std::uint32_t>(rng() % 2000);
    expect_direct(d, c);
  }
}

// The screen reads a paragraph's words off its tokens instead of counting
// it (decode/restorer.cpp): EvidenceCounts::words must be every word token
// of the range, known or not, whatever its case or position.
TEST_F(DetectorTables, CountedWordsAreTheWordTokensOfTheRange) {
  const std::string text =
      "The U.S. firm's CEO said: \"prices rose 3.5% in 2024\" -- zzqx Qqzx O\xE2\x80\x99"
      "Brien caf\xC3\xA9 "
      "well-known, don't.\n\nA second paragraph (with brackets) and e.g. 21st numbers; IBM.";
  const TokenizedText t = tokenize(text);
  for (std::size_t first = 0; first < t.tokens.size(); first += 3) {
    for (std::size_t last = first; last <= t.tokens.size(); last += 5) {
      EvidenceCounts c;
      models->parts->evidence->count(t, first, last, c);
      std::uint32_t words = 0;
      for (std::size_t k = first; k < last; ++k) words += t.tokens[k].kind == TokenKind::kWord;
      EXPECT_EQ(c.words, words) << first << ".." << last;
    }
  }
}

}  // namespace
}  // namespace unspin::detect
