// The table family of simulated spinners (issue 32): table-v1 kept byte for
// byte, table-v2's plugin engine (hyphen-internal and apostrophe matches), the
// symmetric engine, and the statistics that hold the simulator to the real
// tables'.
#include <gtest/gtest.h>

#include <filesystem>
#include <set>

#include "common/checksum.h"
#include "eval/corpus.h"
#include "eval/score.h"
#include "eval/scan.h"
#include "eval/spin_stats.h"
#include "eval/spin_table.h"
#include "eval/spinner.h"
#include "unspin/error.h"
#include "unspin/lm.h"

namespace unspin::eval {
namespace {

bool have_aiksaurus() { return std::filesystem::exists("/usr/share/aiksaurus/words.dat"); }

const SpinnerData& real_data() {
  static const SpinnerData data = SpinnerData::load(UNSPIN_SOURCE_DIR "/data/spinner", "/usr/share/aiksaurus");
  return data;
}

GroupTable small_table() {
  return GroupTable::parse("said|stated|noted\nknown|identified\nyou're|you are\nin order to|so as to\nfirm|company\n",
                           "t");
}

// Every edit's span holds its spun text, and undoing the edits gives the input back.
void expect_exact_gold(std::string_view text, const SpinOutput& out) {
  ASSERT_EQ(undo_spin(out.text, out.edits), text);
  for (const GoldEdit& e : out.edits) {
    ASSERT_EQ(out.text.substr(e.byte_begin, e.byte_end - e.byte_begin), e.spun);
    ASSERT_EQ(count_code_points(std::string_view(out.text).substr(0, e.byte_begin)), e.cp_begin);
    ASSERT_EQ(e.cp_end - e.cp_begin, count_code_points(e.spun));
    ASSERT_NE(lower_ascii(e.spun), lower_ascii(e.original));
  }
}

TEST(TableV1, KeepsItsTableAndItsOutputByteForByte) {
  if (!have_aiksaurus()) GTEST_SKIP() << "libaiksaurus-1.2-data is not installed";
  const SpinnerData& d = real_data();
  // Checksum and a spin of the table generated before table-v2 existed (main 5056dc2).
  EXPECT_EQ(d.table_v1.groups().size(), 4236u);
  EXPECT_EQ(fnv1a64(d.table_v1.to_text()), 0xfaa3c89b418e7db4ull);
  const std::string text =
      "The company said it will use the well-known tools. In order to make a lot of money, you can sell. "
      "However, the chief executive said prices rose sharply.";
  EXPECT_EQ(Spinner(d, SpinStyle::kTableV1, 1.0, 0).spin(text).text,
            "The enterprise stated it will make use of the well-known tools. In decree to make a a amount of cash, "
            "you can sell off. Nonetheless, the basic govt stated charges climbed sharply.");
}

TEST(TableStyle, MeansTableV2AndItsEngine) {
  if (!have_aiksaurus()) GTEST_SKIP() << "libaiksaurus-1.2-data is not installed";
  const SpinnerData& d = real_data();
  EXPECT_EQ(d.table.to_text(), d.table_v2.to_text());
  EXPECT_EQ(&d.table_of(SpinStyle::kTable), &d.table);
  EXPECT_EQ(&d.table_of(SpinStyle::kSymmetric), &d.table_v2);
  const std::string text = "A well-known fact is known.";
  const GroupTable table = small_table();
  EXPECT_EQ(spin_table_style(d, SpinStyle::kTable, table, text, 1.0, 1).text, "A well-identified fact is identified.");
  EXPECT_EQ(spin_table_style(d, SpinStyle::kTableV1, table, text, 1.0, 1).text, "A well-known fact is identified.");
}

TEST(PluginEngineV2, MatchesInsideHyphenatedWordsAndTheGoldSpansThePart) {
  const GroupTable table = small_table();
  const std::string text = "A well-known fact is known. Known-good builds.";
  const SpinOutput out = spin_with_table_v2(table, text, 1.0, 7);
  EXPECT_EQ(out.text, "A well-identified fact is identified. Identified-good builds.");
  ASSERT_EQ(out.edits.size(), 3u);
  EXPECT_EQ(out.edits[0].original, "known");
  EXPECT_EQ(out.edits[0].spun, "identified");
  EXPECT_EQ(out.edits[2].original, "Known");
  expect_exact_gold(text, out);
  // The first engine leaves compounds alone.
  EXPECT_EQ(spin_with_table(table, text, 1.0, 7).text, "A well-known fact is identified. Known-good builds.");
}

TEST(PluginEngineV2, AHyphenInternalGoldEditIsRestoredByAnEditOfTheWholeWordOrOfThePart) {
  const std::string text = "A well-known fact.";
  const SpinOutput out = spin_with_table_v2(small_table(), text, 1.0, 7);
  ASSERT_EQ(out.text, "A well-identified fact.");
  auto edit = [](std::uint32_t b, std::uint32_t e, std::string original) {
    return Edit{b, e, b, e, "", std::move(original), 0.9};
  };
  const QualityCounts whole = score_document(out.text, out.edits, {edit(2, 17, "well-known")});
  EXPECT_EQ(whole.restored, 1u);
  EXPECT_EQ(whole.correct_edits, 1u);
  const QualityCounts part = score_document(out.text, out.edits, {edit(7, 17, "known")});
  EXPECT_EQ(part.restored, 1u);
  const QualityCounts wrong = score_document(out.text, out.edits, {edit(2, 17, "well-liked")});
  EXPECT_EQ(wrong.restored, 0u);
  EXPECT_EQ(wrong.wrong_edits, 1u);
}

TEST(PluginEngineV2, MatchesWordsWithApostrophesEitherWay) {
  const GroupTable table = small_table();
  const std::string text = "You\xE2\x80\x99re late, and you're wrong.";
  const SpinOutput out = spin_with_table_v2(table, text, 1.0, 3);
  EXPECT_EQ(out.text, "You are late, and you are wrong.");
  expect_exact_gold(text, out);
}

TEST(PluginEngineV2, ReplacesEveryOccurrenceWithOneAlternativePerDocument) {
  const GroupTable table = small_table();
  const std::string text = "He said no. She said yes. They said maybe. Said the man.";
  for (std::uint64_t seed = 0; seed < 20; ++seed) {
    const SpinOutput out = spin_with_table_v2(table, text, 1.0, seed);
    ASSERT_EQ(out.edits.size(), 4u);
    std::set<std::string> spun;
    for (const GoldEdit& e : out.edits) spun.insert(lower_ascii(e.spun));
    EXPECT_EQ(spun.size(), 1u);
    expect_exact_gold(text, out);
  }
}

TEST(SymmetricEngine, DrawsAMemberPerOccurrenceAndMayGiveTheWordBack) {
  const GroupTable table = small_table();
  std::string text;
  for (int i = 0; i < 40; ++i) text += "He said it. ";
  const SpinOutput out = spin_symmetric(table, {}, text, 1.0, 11);
  std::set<std::string> spun;
  for (const GoldEdit& e : out.edits) spun.insert(e.spun);
  EXPECT_EQ(spun, (std::set<std::string>{"stated", "noted"}));  // both drawn in one document
  EXPECT_GT(out.edits.size(), 10u);
  EXPECT_LT(out.edits.size(), 40u);  // a third of the draws give "said" back
  EXPECT_EQ(out.eligible, 40u);
  expect_exact_gold(text, out);
}

TEST(SymmetricEngine, TreatsEveryMemberAsAKeyAndWritesItAsTheTableSpellsIt) {
  const GroupTable table = small_table();
  const std::string text = "Stated plainly, the Company grew. IN ORDER TO win, so as to win.";
  std::set<std::string> originals;
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    const SpinOutput out = spin_symmetric(table, {}, text, 1.0, seed);
    for (const GoldEdit& e : out.edits) {
      originals.insert(e.original);
      EXPECT_EQ(e.spun, lower_ascii(e.spun)) << "capitals are lost";
    }
    expect_exact_gold(text, out);
  }
  EXPECT_EQ(originals, (std::set<std::string>{"Stated", "Company", "IN ORDER TO", "so as to"}));
}

TEST(SymmetricEngine, SpinsNumbersAndThePluginEnginesNever) {
  SpinnerData d;
  d.table_v2 = GroupTable::parse("three|trio\napples|fruits\n", "t");
  d.table = d.table_v2;
  d.number_lines = {{"three", "3"}, {"first", "1st"}};
  const std::string text = "He ate 3 apples on the 1st day and three more.";
  bool digit_spun = false;
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    const SpinOutput sym = spin_table_style(d, SpinStyle::kSymmetric, d.table_v2, text, 1.0, seed);
    for (const GoldEdit& e : sym.edits) digit_spun |= e.original == "3" || e.original == "1st";
    expect_exact_gold(text, sym);
    for (SpinStyle style : {SpinStyle::kTable, SpinStyle::kTableV1, SpinStyle::kTableV2}) {
      const SpinOutput plugin = spin_table_style(d, style, d.table_v2, text, 1.0, seed);
      for (const GoldEdit& e : plugin.edits) {
        EXPECT_EQ(e.original.find_first_of("0123456789"), std::string::npos) << style_name(style);
      }
    }
  }
  EXPECT_TRUE(digit_spun);
}

TEST(PeriphraseClusters, ExpandSubjectSlotsWithAgreement) {
  const auto clusters =
      parse_periphrases("# c\n{S} can|{Sll} be able to\n{S} need{s} to|{S} {have} to\nas well|too\n", "p");
  ASSERT_EQ(clusters.size(), 15u);
  EXPECT_EQ(clusters[4], (std::vector<std::string>{"he can", "he'll be able to"}));
  EXPECT_EQ(clusters[11], (std::vector<std::string>{"he needs to", "he has to"}));
  EXPECT_EQ(clusters[7], (std::vector<std::string>{"i need to", "i have to"}));
  EXPECT_EQ(clusters[14], (std::vector<std::string>{"as well", "too"}));
  EXPECT_THROW(parse_periphrases("{S} {bogus}|x\n", "p"), Error);
  EXPECT_THROW(parse_periphrases("fine|n0t fine\n", "p"), Error);
}

TEST(TableStats, CountsTheShapeOfATable) {
  SpinnerData d;
  d.function_words = {"the", "of", "in"};
  d.vocabulary_by_count = {"the", "said"};
  const GroupTable t = GroupTable::parse(
      "said|stated\nstated|said|noted\nthe firm|company|the company\nin the end|finally\nwall street|wall road\n", "t");
  const TableStats s = table_stats(t, d);
  EXPECT_EQ(s.groups, 5u);
  EXPECT_EQ(s.pairs, 7u);
  EXPECT_EQ(s.multiword, 3u);
  EXPECT_EQ(s.multiword_function, 2u);
  EXPECT_EQ(s.alt1, 3u);
  EXPECT_EQ(s.alt2, 2u);
  EXPECT_EQ(s.words_differ, 2u);  // the firm -> company, in the end -> finally
  EXPECT_EQ(s.multi_to_one, 2u);
  EXPECT_EQ(s.reverse, 2u);      // said <-> stated
  EXPECT_EQ(s.spun_forms, 7u);   // stated said noted company "the company" finally "wall road"
  EXPECT_EQ(s.spun_is_key, 2u);  // stated, said
  EXPECT_EQ(s.spun_many_originals, 0u);
  EXPECT_EQ(s.one_word, 2u);
  EXPECT_EQ(s.common_keys, 1u);  // said
}

TEST(TableV2, GoldEditsUndoSpinningByteForByteInEveryEngine) {
  if (!have_aiksaurus()) GTEST_SKIP() << "libaiksaurus-1.2-data is not installed";
  const SpinnerData& d = real_data();
  const std::string text =
      "The company said on Tuesday that prices rose sharply during the first quarter, including "
      "a sharp increase in energy costs.  \"We were surprised,\" the chief executive told "
      "reporters.\nIn order to cut costs, the well-known firm will close 12 plants; you\xE2\x80\x99re told "
      "that three-quarters of its state-of-the-art tools help.\r\n\r\nEconomic growth slowed. Interest rates "
      "increased, and the stock market fell 3.5% \xE2\x80\x94 the biggest drop since 2008. It\xE2\x80\x99s "
      "not over, analysts believe; you can use the command-line tool as well as the built-in one.\n";
  std::size_t edits = 0, inside = 0;
  for (SpinStyle style : {SpinStyle::kTableV2, SpinStyle::kSymmetric, SpinStyle::kTableV1}) {
    for (double rate : {0.3, 1.0}) {
      for (std::uint64_t seed = 0; seed < 25; ++seed) {
        const SpinOutput out = Spinner(d, style, rate, seed).spin(text);
        expect_exact_gold(text, out);
        for (const GoldEdit& e : out.edits) {
          inside += e.byte_begin > 0 && out.text[e.byte_begin - 1] == '-';
        }
        edits += out.edits.size();
      }
    }
  }
  EXPECT_GT(edits, 1000u);
  EXPECT_GT(inside, 0u);
}

// The bar of issue 32: every statistic of table-v2 within 5 points of real
// tables' (0.2 for alternatives per group), on eval-part news and technical
// pages, with at least 5,000 groups.
TEST(TableV2, StatisticsAreWithinTheBarsOfRealTables) {
  if (!have_aiksaurus()) GTEST_SKIP() << "libaiksaurus-1.2-data is not installed";
  const std::string lm_path = std::string(UNSPIN_MODELS_DIR) + "/en-us.ulm";
  if (!std::filesystem::exists(lm_path)) GTEST_SKIP() << "no " << lm_path;
  std::vector<Excerpt> technical, news;
  try {
    technical = make_excerpts(
        select_part(load_corpus(UNSPIN_CORPORA_DIR, {"debian-reference", "developers-reference", "debian-policy",
                                                     "maint-guide", "debian-faq", "manpages", "python-doc"}),
                    Part::kEval),
        300, 80);
    news = make_excerpts(select_part(load_corpus(UNSPIN_CORPORA_DIR, kNewsSources), Part::kEval), 300, 80);
  } catch (const Error& e) {
    GTEST_SKIP() << "corpora missing: " << e.what();
  }
  const SpinnerData& d = real_data();
  const std::unique_ptr<LanguageModel> lm = LanguageModel::open(lm_path);
  const TableStats t = table_stats(d.table_v2, d);
  EXPECT_GE(t.groups, 5000u);
  const auto rows = stat_rows(t, page_stats(d, SpinStyle::kTableV2, 1.0, 1, technical, lm.get()),
                              page_stats(d, SpinStyle::kTableV2, 1.0, 1, news, lm.get()));
  ASSERT_EQ(rows.size(), 18u);
  for (const StatRow& r : rows) EXPECT_TRUE(r.within()) << r.name << ": " << r.value << " (real " << r.real << ")";
}

}  // namespace
}  // namespace unspin::eval
