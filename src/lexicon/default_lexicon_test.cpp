// Checks on the default lexicon compiled at setup (models/default.ulex).
// Skipped when it has not been built yet.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "lexicon/sources.h"
#include "lexicon/tools.h"
#include "lexicon/ulex_reader.h"
#include "unspin/lexicon.h"

namespace unspin::lexicon {
namespace {

// $UNSPIN_MODELS (as the CLI resolves it), else the folder setup.sh fills.
const std::string kPath = [] {
  const char* env = std::getenv("UNSPIN_MODELS");
  return std::string(env && *env ? env : UNSPIN_MODELS_DIR) + "/default.ulex";
}();

class DefaultLexicon : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kPath)) GTEST_SKIP() << kPath << " not built (run ./setup.sh)";
    stack_.add(Lexicon::open(kPath));
  }
  bool proposes(std::string_view spun, std::string_view original) const {
    std::vector<Candidate> c;
    stack_.lookup(spun, &c);
    return std::any_of(c.begin(), c.end(), [&](const Candidate& x) { return x.original == original; });
  }
  LexiconStack stack_;
};

TEST_F(DefaultLexicon, OpensInMilliseconds) {
  const auto t0 = std::chrono::steady_clock::now();
  auto lex = Lexicon::open(kPath);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 50.0);
  EXPECT_GT(lex->key_count(), 100000u);
}

TEST_F(DefaultLexicon, ProposesTheOriginalsOfTheBriefsExamples) {
  EXPECT_TRUE(proposes("instructed", "told"));
  EXPECT_TRUE(proposes("costs", "prices"));
  EXPECT_TRUE(proposes("enhance", "increase"));
  EXPECT_TRUE(proposes("Stated", "said"));
  EXPECT_TRUE(proposes("so as to", "in order to"));
  EXPECT_TRUE(proposes("throughout", "during"));
  EXPECT_TRUE(proposes("similar to", "such as"));
  EXPECT_TRUE(proposes("due to", "because of"));
  EXPECT_TRUE(proposes("together with", "including"));
  EXPECT_TRUE(proposes("previous", "past"));
  EXPECT_TRUE(proposes("chief govt", "chief executive"));
  EXPECT_TRUE(proposes("firm", "company"));
  EXPECT_TRUE(stack_.has_longer("chief"));
}

TEST_F(DefaultLexicon, NoCandidatesForDigitsAndNoNumberWords) {
  std::vector<Candidate> c;
  stack_.lookup("2", &c);
  stack_.lookup("1990", &c);
  EXPECT_TRUE(c.empty());
  EXPECT_FALSE(proposes("ace", "one"));
}

TEST_F(DefaultLexicon, CoverageOfTheFixtureAndCandidateBudget) {
  const std::string pairs =
      read_whole_file(std::string(UNSPIN_SOURCE_DIR) + "/src/lexicon/testdata/coverage_pairs.tsv");
  const CoverageResult r = coverage(stack_, pairs);
  EXPECT_GE(r.fraction(), 0.9) << (r.missed.empty() ? "" : r.missed.front());
  const CandidateStats s =
      candidates_per_token(stack_,
                           "The company said on Tuesday that its chief executive had told investors the "
                           "costs of the project would increase sharply during the next year.");
  EXPECT_LE(s.median, 30.0);
}

TEST_F(DefaultLexicon, VerifiesCompletely) {
  auto lex = UlexLexicon::from_file(kPath, "rebuild");
  EXPECT_EQ(verify_ulex(*lex), "");
}

}  // namespace
}  // namespace unspin::lexicon
