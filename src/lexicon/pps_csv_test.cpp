#include <gtest/gtest.h>

#include <algorithm>

#include "lexicon/sources.h"
#include "lexicon/user_lexicon.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

const std::string kFixture = std::string(UNSPIN_SOURCE_DIR) + "/src/lexicon/testdata/pps_tortured.csv";

bool has_pair(const std::vector<UserPair>& pairs, std::string_view original, std::string_view spun) {
  return std::any_of(pairs.begin(), pairs.end(),
                     [&](const UserPair& p) { return p.original == original && p.spun == spun; });
}

TEST(PpsCsv, ExtractsQuotedPhrasesAndSkipsWhatCannotBeUsed) {
  UserLexiconReport r;
  const auto pairs = parse_pps_csv(read_whole_file(kFixture), "pps.csv", &r);
  EXPECT_TRUE(has_pair(pairs, "artificial intelligence", "counterfeit consciousness"));
  EXPECT_TRUE(has_pair(pairs, "breast cancer", "bosom peril"));
  EXPECT_TRUE(has_pair(pairs, "random forest", "irregular woodland"));  // OR: both
  EXPECT_TRUE(has_pair(pairs, "random forest", "arbitrary woodland"));
  EXPECT_TRUE(has_pair(pairs, "surface area", "surface region"));        // AND context clause
  EXPECT_TRUE(has_pair(pairs, "deep learning", "profound learning"));    // NOT dropped
  EXPECT_TRUE(has_pair(pairs, "signal to noise", "flag to commotion"));  // several originals
  EXPECT_TRUE(has_pair(pairs, "signal-to-noise", "flag to commotion"));
  EXPECT_TRUE(has_pair(pairs, "mean square error", "mean square blunder"));
  EXPECT_TRUE(has_pair(pairs, "right-hand side", "right hand dwelling"));  // "(RHS)" stripped
  EXPECT_TRUE(has_pair(pairs, "ant colony", "ant settlement"));
  EXPECT_EQ(pairs.size(), 11u);
  // Never a garbage pair: no context phrase, no NOT phrase, no proximity or wildcard.
  for (const UserPair& p : pairs) {
    EXPECT_NE(p.spun, "surface area");
    EXPECT_NE(p.spun, "deep learning");
    EXPECT_EQ(p.spun.find_first_of("\"*~()"), std::string::npos) << p.spun;
    EXPECT_EQ(p.original.find_first_of("\"*~()"), std::string::npos) << p.original;
  }
  // Skipped: proximity, AND of two candidates, unbalanced quote, wildcard, empty fingerprint.
  EXPECT_EQ(r.skipped, 5u);
  ASSERT_GE(r.warnings.size(), 5u);
  // Priors grow with the number of retrieved papers.
  auto prior = [&](std::string_view spun) {
    return std::find_if(pairs.begin(), pairs.end(), [&](const UserPair& p) { return p.spun == spun; })->prior;
  };
  EXPECT_GT(prior("counterfeit consciousness"), prior("mean square blunder"));
  EXPECT_FLOAT_EQ(prior("surface region"), 1.0f);
  EXPECT_FLOAT_EQ(prior("right hand dwelling"), 0.6f);
}

TEST(PpsCsv, HeaderVariantsAndErrors) {
  UserLexiconReport r;
  const auto semi = parse_pps_csv(
      "\xEF\xBB\xBF"
      "Nb Retrieved Papers;Expected Text;Fingerprint - Tortured Phrase\r\n"
      "3;neural network;\"\"\"nervous network\"\"\"\r\n",
      "semi.csv", &r);
  ASSERT_EQ(semi.size(), 1u);
  EXPECT_EQ(semi[0].spun, "nervous network");
  EXPECT_EQ(detect_user_format("Fingerprint - Tortured Phrase,Expected Text\n"), UserFormat::kPpsCsv);
  EXPECT_EQ(detect_user_format("told\tinstructed\n"), UserFormat::kTsv);
  EXPECT_THROW(parse_pps_csv("Fingerprint - Tortured Phrase,Other\n", "x.csv", &r), Error);
  const auto unquoted =
      parse_pps_csv("Fingerprint - Tortured Phrase,Expected Text\nbosom peril,breast cancer\n", "u.csv", &r);
  ASSERT_EQ(unquoted.size(), 1u);
  EXPECT_EQ(unquoted[0].spun, "bosom peril");
}

}  // namespace
}  // namespace unspin::lexicon
