#include "trace/align.h"

#include <gtest/gtest.h>

#include <random>

namespace unspin::trace {
namespace {

using Seq = std::vector<std::uint64_t>;

bool increasing_and_equal(const std::vector<WordMatch>& m, const Seq& a, const Seq& b) {
  for (std::size_t i = 0; i < m.size(); ++i) {
    if (a[m[i].spun] != b[m[i].source]) return false;
    if (i > 0 && (m[i].spun <= m[i - 1].spun || m[i].source <= m[i - 1].source)) return false;
  }
  return true;
}

// The DP path is an exact LCS; checked against the reference on random small inputs.
TEST(Align, MatchesTheReferenceLcsOnSmallInputs) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; ++trial) {
    Seq a(rng() % 30), b(rng() % 30);
    const std::uint64_t alphabet = 2 + rng() % 6;
    for (auto& x : a) x = rng() % alphabet;
    for (auto& x : b) x = rng() % alphabet;
    const auto m = align_words(a, b);
    ASSERT_TRUE(increasing_and_equal(m, a, b));
    EXPECT_EQ(m.size(), lcs_length_reference(a, b)) << "trial " << trial;
  }
}

// Above the cell budget the anchored alignment is still a valid common
// subsequence, and on a spun copy (one in five words changed) it loses
// little against the exact LCS.
TEST(Align, AnchoredAlignmentOnLargeInputsIsValidAndNearOptimal) {
  std::mt19937_64 rng(11);
  Seq source(3000);
  for (auto& x : source) x = rng() % 5000;
  Seq spun = source;
  for (auto& x : spun) {
    if (rng() % 5 == 0) x = 100000 + rng() % 1000;
  }
  const auto m = align_words(spun, source, /*max_cells=*/10000);
  ASSERT_TRUE(increasing_and_equal(m, spun, source));
  const std::size_t best = lcs_length_reference(spun, source);
  EXPECT_GE(m.size() * 100, best * 97);
}

TEST(Runs, SubstitutionsBetweenMatchesAndWidenedInsertions) {
  // spun:   the firm told  us  very  much  .
  // source: the company said us much .
  const Seq spun = {1, 20, 21, 4, 22, 5, 6}, source = {1, 2, 3, 4, 5, 6};
  const auto m = align_words(spun, source);
  const RunSummary r = substitution_runs(m, spun.size(), source.size(), 8);
  ASSERT_EQ(r.substitutions.size(), 2u);
  EXPECT_EQ(r.substitutions[0].spun_begin, 1u);  // "firm told" -> "company said"
  EXPECT_EQ(r.substitutions[0].spun_end, 3u);
  EXPECT_EQ(r.substitutions[0].source_begin, 1u);
  EXPECT_EQ(r.substitutions[0].source_end, 3u);
  // "very" was inserted: widened to "us very" -> "us".
  EXPECT_EQ(r.substitutions[1].spun_begin, 3u);
  EXPECT_EQ(r.substitutions[1].spun_end, 5u);
  EXPECT_EQ(r.substitutions[1].source_begin, 3u);
  EXPECT_EQ(r.substitutions[1].source_end, 4u);
  EXPECT_EQ(r.matched_words, 4u);
  EXPECT_EQ(r.substituted_words, 3u);
}

TEST(Runs, LongGapsStayUnalignedAndNothingAnchorsWithoutMatches) {
  const Seq spun = {1, 50, 51, 52, 53, 54, 2}, source = {1, 60, 61, 62, 63, 64, 2};
  EXPECT_TRUE(substitution_runs(align_words(spun, source), 7, 7, 4).substitutions.empty());
  EXPECT_EQ(substitution_runs(align_words(spun, source), 7, 7, 5).substitutions.size(), 1u);
  EXPECT_TRUE(substitution_runs({}, 3, 3, 8).substitutions.empty());
}

}  // namespace
}  // namespace unspin::trace
