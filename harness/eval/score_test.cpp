#include "eval/score.h"

#include <gtest/gtest.h>

#include "eval/screening.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

Edit edit(std::uint32_t b, std::uint32_t e, std::string original) {
  Edit x{};
  x.byte_begin = b;
  x.byte_end = e;
  x.original = std::move(original);
  return x;
}

// "The firm stated that counterfeit consciousness grew." with three gold edits.
const std::string kSpun = "The firm stated that counterfeit consciousness grew.";
const std::vector<GoldEdit> kGold = {{4, 8, 4, 8, "firm", "company"},
                                     {9, 15, 9, 15, "stated", "said"},
                                     {21, 46, 21, 46, "counterfeit consciousness", "artificial intelligence"}};

TEST(Score, ConsistencyCountsRepeatedFormsDecidedDifferently) {
  // "stated" three times: restored twice, kept once; "firm" twice, restored
  // both times alike; "rose" once; "firmly" is not "firm".
  const std::string text = "The firm stated it. Stated twice, the Firm stated it rose firmly.";
  const std::vector<Edit> edits = {edit(4, 8, "company"), edit(9, 15, "said"), edit(20, 26, "Said"),
                                   edit(38, 42, "company"), edit(53, 57, "grew")};
  const QualityCounts q = score_document(text, {}, edits);
  EXPECT_EQ(q.repeated_forms, 2u);      // "firm", "stated"
  EXPECT_EQ(q.inconsistent_forms, 1u);  // "stated": said, said, kept
  EXPECT_DOUBLE_EQ(q.inconsistent_share(), 0.5);
  QualityCounts sum;
  sum.add(q);
  sum.add(score_document(text, {}, {edit(4, 8, "company"), edit(38, 42, "business")}));
  EXPECT_EQ(sum.repeated_forms, 3u);
  EXPECT_EQ(sum.inconsistent_forms, 2u);
}

TEST(Score, IdentitySystemMissesEverything) {
  QualityCounts q = score_document(kSpun, kGold, {});
  EXPECT_EQ(q.gold, 3u);
  EXPECT_EQ(q.missed, 3u);
  EXPECT_EQ(q.edits, 0u);
  EXPECT_DOUBLE_EQ(q.recall(), 0.0);
  EXPECT_EQ(q.tokens, 7u);
}

TEST(Score, ExactCoveringAndWordByWordRestorationsCount) {
  std::vector<Edit> edits = {edit(4, 8, "Company"),       // case-insensitive
                             edit(4 + 5, 15, "said"),     // exact span
                             edit(21, 32, "artificial"),  // word by word
                             edit(33, 46, "intelligence")};
  QualityCounts q = score_document(kSpun, kGold, edits);
  EXPECT_EQ(q.restored, 3u);
  EXPECT_EQ(q.correct_edits, 4u);
  EXPECT_DOUBLE_EQ(q.precision(), 1.0);
  EXPECT_DOUBLE_EQ(q.recall(), 1.0);
  // An edit covering "stated that" rewritten to "said that" covers the gold span exactly.
  QualityCounts c = score_document(kSpun, kGold, {edit(9, 20, "said that")});
  EXPECT_EQ(c.restored, 1u);
  EXPECT_EQ(c.missed, 2u);
}

TEST(Score, WrongFalseAndNoOpEdits) {
  std::vector<Edit> edits = {edit(4, 8, "business"),       // changed to something else
                             edit(0, 3, "A"),              // false edit outside gold
                             edit(47, 51, "GREW"),         // no-op: ignored
                             edit(21, 32, "artificial")};  // half a phrase: region wrong
  QualityCounts q = score_document(kSpun, kGold, edits);
  EXPECT_EQ(q.edits, 3u);
  EXPECT_EQ(q.changed, 2u);
  EXPECT_EQ(q.missed, 1u);
  EXPECT_EQ(q.false_edits, 1u);
  EXPECT_EQ(q.wrong_edits, 2u);
  EXPECT_NEAR(q.false_per_1k_tokens(), 1000.0 / 7, 1e-9);
  EXPECT_THROW(score_document(kSpun, kGold, {edit(40, 90, "x")}), Error);
}

TEST(Score, DetectionAucAndF1) {
  std::vector<DetectionSample> s = {{0.9, true, true},   {0.8, true, true},   {0.3, true, false},
                                    {0.1, false, false}, {0.4, false, false}, {0.85, false, true}};
  DetectionFigures f = detection_figures(s);
  EXPECT_NEAR(f.auc, 6.0 / 9.0, 1e-12);
  EXPECT_NEAR(f.f1, 2.0 * 2 / (2.0 * 2 + 1 + 1), 1e-12);
  EXPECT_NEAR(f.false_positive_rate, 1.0 / 3, 1e-12);
  EXPECT_DOUBLE_EQ(detection_figures({{0.5, true, true}, {0.5, false, false}}).auc, 0.5);
}

TEST(Screening, MatchesLongestFirstAndKeepsCase) {
  ScreeningList list = ScreeningList::parse(
      "# pairs\nartificial intelligence\tcounterfeit consciousness\nsaid\tstated\nchief executive\tchief govt\n"
      "chief\thead\n",
      "t");
  const std::string text = "Counterfeit  consciousness stated. The chief govt; head, chief.";
  SystemOutput out = list.run(text);
  ASSERT_EQ(out.edits.size(), 4u);
  EXPECT_EQ(out.edits[0].original, "Artificial intelligence");
  EXPECT_EQ(out.edits[1].original, "said");
  EXPECT_EQ(out.edits[2].original, "chief executive");
  EXPECT_EQ(out.edits[3].original, "chief");
  EXPECT_TRUE(out.spun);
  EXPECT_THROW(ScreeningList::parse("# nothing\n", "t"), Error);
  EXPECT_THROW(ScreeningList::parse("no tab\n", "t"), Error);
}

}  // namespace
}  // namespace unspin::eval
