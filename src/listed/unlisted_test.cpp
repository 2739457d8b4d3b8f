#include <gtest/gtest.h>

#include <algorithm>

#include "listed/phrase_list.h"
#include "listed/unlisted.h"

#include "fitted/bundle.h"

namespace unspin::listed {
namespace {

PhraseList small_list() {
  const std::string tsv =
      "# a test list\n"
      "deep neural network\tprofound neural organization\t12\n"
      "deep learning\tprofound learning\t30\n"
      "neural network\tneural organization\t25\n"
      "random forest\tirregular woodland\t40\n"
      "random number\tirregular number\t4\n"
      "big data\tlarge information\t\n";
  return PhraseList::parse(tsv, "", "test.tsv");
}

// The default bundle's weights (the build writes it beside the default models).
const UnlistedWeights& default_weights() {
  static const UnlistedWeights w =
      UnlistedWeights::from_values(fitted::Bundle::open(std::string(UNSPIN_MODELS_DIR) + "/" + fitted::kBundleFileName)
                                       ->values("unlisted.weights", UnlistedWeights::kCount));
  return w;
}

TEST(UnlistedModel, LearnsSubstitutionsWithCounts) {
  const UnlistedModel m = UnlistedModel::learn(small_list());
  ASSERT_TRUE(m.substitutions.count("profound"));
  EXPECT_EQ(m.substitutions.at("profound").front().word, "deep");
  EXPECT_EQ(m.substitutions.at("profound").front().count, 2u);
  EXPECT_EQ(m.substitutions.at("irregular").front().count, 2u);
  EXPECT_EQ(m.substitutions.at("organization").front().word, "network");
  EXPECT_TRUE(m.bigrams.count("neural network"));
  EXPECT_EQ(m.tortured_words.at("profound"), 2u);
  EXPECT_TRUE(m.correct_words.count("forest"));
  // A word the list tortured into is likelier under the tortured-phrase
  // unigram model than one it never saw.
  EXPECT_GT(m.tortured_log10("profound"), m.tortured_log10("banana"));
}

TEST(UnlistedFinder, ProposesTheRestorationOfANewCombination) {
  const PhraseList list = small_list();
  const UnlistedFinder finder(list, nullptr, default_weights());
  // Its two substitutions were learned from different pairs ("profound
  // learning", "neural organization"); the restoration's bigrams are
  // correct-term bigrams.
  const std::string text = "We trained a profound neural organization on the data.";
  const std::vector<Suspect> c = finder.candidates(text);
  ASSERT_FALSE(c.empty());
  const auto it = std::find_if(c.begin(), c.end(), [&](const Suspect& s) {
    return text.substr(s.byte_begin, s.byte_end - s.byte_begin) == "profound neural organization";
  });
  ASSERT_NE(it, c.end());
  EXPECT_EQ(it->original, "deep neural network");
  EXPECT_EQ(it->substituted, 2);
  EXPECT_EQ(it->substitutable, 2);
  EXPECT_EQ(it->words, 3);
  EXPECT_EQ(it->restored_known, 2);
  for (const Suspect& s : c) {
    EXPECT_GE(s.confidence, 0.0);
    EXPECT_LE(s.confidence, 1.0);
    EXPECT_GE(s.words, 2);
    EXPECT_LE(s.words, 4);
  }
}

TEST(UnlistedFinder, FindKeepsNonOverlappingSpansInTextOrder) {
  const PhraseList list = small_list();
  const UnlistedFinder finder(list, nullptr, default_weights());
  const std::string text = "An irregular neural organization. A profound neural organization, and more.";
  const std::vector<Suspect> s = finder.find(text);
  for (std::size_t k = 1; k < s.size(); ++k) EXPECT_LE(s[k - 1].byte_end, s[k].byte_begin);
  for (const Suspect& x : s) {
    EXPECT_LE(x.byte_end, text.size());
    EXPECT_LT(x.cp_begin, x.cp_end);
  }
}

TEST(UnlistedFinder, NoWordsNoCandidates) {
  const PhraseList list = small_list();
  const UnlistedFinder finder(list, nullptr, default_weights());
  EXPECT_TRUE(finder.candidates("").empty());
  EXPECT_TRUE(finder.find("").empty());
  EXPECT_TRUE(finder.find("... ; , !!").empty());
  EXPECT_TRUE(finder.candidates("one").empty());
  // Windows never cross a sentence break or a comma.
  for (const Suspect& s : finder.candidates("profound. neural, organization")) (void)s, ADD_FAILURE();
}

TEST(UnlistedFinder, SuspectLogitRisesWithEvidence) {
  Suspect weak, strong;
  weak.words = strong.words = 2;
  strong.restored_known = 1;
  strong.substituted = 1;
  strong.output_recurrence = 2;
  EXPECT_GT(suspect_logit(default_weights(), strong), suspect_logit(default_weights(), weak));
}

}  // namespace
}  // namespace unspin::listed
