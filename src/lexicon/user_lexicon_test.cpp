#include <gtest/gtest.h>

#include <set>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "lexicon/builder.h"
#include "lexicon/tools.h"
#include "lexicon/ulex_reader.h"
#include "lexicon/ulex_writer.h"
#include "lexicon/user_lexicon.h"
#include "unspin/error.h"
#include "unspin/lexicon.h"

namespace unspin::lexicon {
namespace {

const std::string kData = std::string(UNSPIN_SOURCE_DIR) + "/src/lexicon/testdata";

std::vector<Candidate> get(const LexiconStack& s, std::string_view spun) {
  std::vector<Candidate> c;
  s.lookup(spun, &c);
  return c;
}

TEST(UserTsv, ParsesPairsAndReportsBadLines) {
  UserLexiconReport report;
  auto lex = load_user_lexicon(kData + "/user_pairs.tsv", &report);
  EXPECT_EQ(report.pairs, 3u);
  EXPECT_EQ(report.skipped, 2u);  // "no tab here", "same<TAB>same"
  ASSERT_EQ(report.warnings.size(), 2u);
  EXPECT_NE(report.warnings[0].find("user_pairs.tsv:5"), std::string::npos) << report.warnings[0];
  std::vector<Candidate> c;
  lex->lookup("Counterfeit Consciousness", &c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].original, "artificial intelligence");
  EXPECT_EQ(c[0].sources, kSourceUser);
  EXPECT_FLOAT_EQ(c[0].prior, 1.0f);
  c.clear();
  lex->lookup("nervous network", &c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_FLOAT_EQ(c[0].prior, 0.8f);
  EXPECT_TRUE(lex->has_longer("nervous"));
}

TEST(UserTsv, NothingUsableIsBadData) {
  const std::string path = (std::filesystem::temp_directory_path() / "unspin_empty.tsv").string();
  std::ofstream(path) << "# only a comment\n\nno tabs at all\n";
  try {
    load_user_lexicon(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find("no usable"), std::string::npos) << e.what();
  }
  std::ofstream(path, std::ios::binary) << std::string("a\tb\0c", 5);
  EXPECT_THROW(load_user_lexicon(path), Error);
  EXPECT_THROW(load_user_lexicon(path + ".missing"), Error);
}

TEST(UserUlex, ImportedFileLoadsAsUserLexicon) {
  UserLexiconReport report;
  const std::string text = "deep learning\tprofound learning\n";
  const std::string path = (std::filesystem::temp_directory_path() / "unspin_user.ulex").string();
  save_ulex(compile_user_lexicon(text, "inline", &report), path);
  auto lex = load_user_lexicon(path);
  EXPECT_TRUE(lex->contains("profound learning"));
  std::filesystem::remove(path);
}

TEST(Stack, MergesLayersByMaxPriorAndOrSources) {
  PairTable a, b;
  a.add("firm", "company", 0.5f, kSourceWordNetSynonym);
  a.add("firm", "steady", 0.4f, kSourceWordNetSynonym);
  b.add("firm", "company", 0.9f, kSourceUser);
  b.add("firm", "business", 0.7f, kSourceUser);
  b.add("nervous network", "neural network", 1.0f, kSourceUser);
  LexiconStack s;
  s.add(UlexLexicon::from_bytes(write_ulex(a.finish(8), {}), "a"));
  s.add(UlexLexicon::from_bytes(write_ulex(b.finish(8), {}), "b"));
  auto c = get(s, "firm");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].original, "company");
  EXPECT_FLOAT_EQ(c[0].prior, 0.9f);
  EXPECT_EQ(c[0].sources, kSourceWordNetSynonym | kSourceUser);
  EXPECT_EQ(c[1].original, "business");
  EXPECT_EQ(c[2].original, "steady");
  EXPECT_TRUE(s.has_longer("nervous"));
  EXPECT_TRUE(s.contains("firm"));
  EXPECT_FALSE(s.contains("nervous"));
  EXPECT_EQ(s.max_key_words(), 2);
}

TEST(Coverage, CountsPairsWhoseOriginalIsACandidate) {
  PairTable t;
  t.add("instructed", "told", 0.9f, kSourceParaphrase);
  t.add("firm", "company", 0.9f, kSourceParaphrase);
  LexiconStack s;
  s.add(UlexLexicon::from_bytes(write_ulex(t.finish(8), {}), "t"));
  const CoverageResult r = coverage(s, "# comment\ntold\tInstructed\ncompany\tfirm\nsaid\tstated\nbad line\n");
  EXPECT_EQ(r.pairs, 3u);
  EXPECT_EQ(r.covered, 2u);
  EXPECT_EQ(r.skipped, 1u);
  ASSERT_EQ(r.missed.size(), 1u);
  EXPECT_EQ(r.missed[0], "stated -> said");
  const CandidateStats st = candidates_per_token(s, "The firm instructed nobody, 42 times.");
  EXPECT_EQ(st.tokens, 5u);  // The firm instructed nobody times
  EXPECT_EQ(st.with_any, 2u);
  EXPECT_EQ(st.median, 0.0);
}

TEST(LearnedTable, AnAlignedTableIsTrustedAsAUsersTableWithItsPriors) {
  const std::string text = "# unspin learned-table v1 pages=40 method=aligned\nsaid\tstated\t0.873\t48\n";
  EXPECT_TRUE(learned_table_aligned(text));
  EXPECT_FALSE(learned_table_aligned("# unspin learned-table v1 pages=40\nsaid\tstated\t0.9\t4\n"));
  EXPECT_FALSE(learned_table_aligned("# unspin learned-table v1 pages=40 method=alignedx\n"));
  EXPECT_FALSE(learned_table_aligned("said\tstated\t0.9\n# unspin learned-table v1 method=aligned\n"));
  EXPECT_EQ(learned_table_pages(text), 40u);
  auto lex = UlexLexicon::from_bytes(compile_user_lexicon(text, "a.tsv", nullptr), "a");
  std::vector<Candidate> c;
  lex->lookup("stated", &c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].sources, kSourceUser);
  EXPECT_NEAR(c[0].prior, 0.873f, 1e-6);
}

}  // namespace
}  // namespace unspin::lexicon

namespace unspin::lexicon {
namespace {

TEST(UserGroups, PipeGroupsFirstIsOriginalPriorOneOverK) {
  UserLexiconReport report;
  const std::string text = "# a spinner table\nsaid|stated|mentioned\nyou should|it's best to\nlonely\n";
  const std::vector<UserPair> pairs = parse_group_table(text, "t.txt", &report);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].original, "said");
  EXPECT_EQ(pairs[0].spun, "stated");
  EXPECT_FLOAT_EQ(pairs[0].prior, 0.5f);
  EXPECT_EQ(pairs[2].original, "you should");
  EXPECT_FLOAT_EQ(pairs[2].prior, 1.0f);
  EXPECT_EQ(report.skipped, 1u);  // "lonely": no alternative
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("t.txt:4"), std::string::npos);
  EXPECT_EQ(detect_user_format(text), UserFormat::kGroups);
}

// The article rewriter's reading (TableEngine::kRewriter): every member of
// a line is the original of every other, prior 1/(n - 1); the plain
// reading's pairs come first, unchanged.
TEST(UserGroups, SymmetricLinesMakeEveryMemberAnOriginal) {
  const std::string text = "said|stated|mentioned\nthree|3\n";
  const std::vector<UserPair> plain = parse_group_table(text, "t.txt", nullptr);
  const std::vector<UserPair> both = parse_group_table(text, "t.txt", nullptr, true);
  ASSERT_EQ(plain.size(), 3u);
  ASSERT_EQ(both.size(), 3u + 4u + 1u);  // said: 2 plain, then stated -> 2, mentioned -> 2; three: 1, then 3 -> 1
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(both[i].original, plain[i].original);
    EXPECT_EQ(both[i].spun, plain[i].spun);
  }
  std::set<std::pair<std::string, std::string>> pairs;
  for (const UserPair& p : both) pairs.emplace(p.original, p.spun);
  EXPECT_EQ(pairs.size(), both.size());               // no pair twice
  EXPECT_TRUE(pairs.count({"stated", "said"}));       // a written original from an alternative
  EXPECT_TRUE(pairs.count({"mentioned", "stated"}));  // one alternative from another
  EXPECT_TRUE(pairs.count({"3", "three"}));
  for (const UserPair& p : both) EXPECT_FLOAT_EQ(p.prior, p.original == "three" || p.original == "3" ? 1.0f : 0.5f);
  // Other formats read the same either way.
  const std::string tsv = "said\tstated\n";
  EXPECT_EQ(parse_user_pairs(tsv, "t.tsv", nullptr, true).size(), 1u);
}

TEST(UserGroups, SpintaxGroupsAndNestingRefused) {
  UserLexiconReport report;
  const std::string text = "{wall street|wall road} and {fine|advantageous|great}\n{a|{b|c}}\n";
  const std::vector<UserPair> pairs = parse_group_table(text, "s.txt", &report);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_EQ(pairs[0].original, "wall street");
  EXPECT_EQ(pairs[0].spun, "wall road");
  EXPECT_EQ(pairs[2].spun, "great");
  EXPECT_EQ(report.skipped, 1u);
  EXPECT_EQ(detect_user_format(text), UserFormat::kGroups);
}

TEST(UserGroups, OverlongMembersAreReportedNotDroppedSilently) {
  UserLexiconReport report;
  const std::string text = "said|stated|one two three four five six seven eight nine\n";
  const std::vector<UserPair> pairs = parse_group_table(text, "g.txt", &report);
  ASSERT_EQ(pairs.size(), 1u);  // the rest of the group is used
  EXPECT_EQ(pairs[0].spun, "stated");
  EXPECT_EQ(report.skipped, 0u);
  ASSERT_EQ(report.warnings.size(), 1u);
  EXPECT_NE(report.warnings[0].find("g.txt:1: "), std::string::npos);
  EXPECT_NE(report.warnings[0].find("longer than 8 words"), std::string::npos);
}

TEST(UserTsv, TrailingCommentAfterThePrior) {
  UserLexiconReport report;
  const std::vector<UserPair> pairs =
      parse_user_tsv("said\tstated\t0.9  # count 12\ntold\tinstructed # a note\n", "l.tsv", &report);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_FLOAT_EQ(pairs[0].prior, 0.9f);
  EXPECT_EQ(pairs[1].spun, "instructed");
  EXPECT_EQ(report.skipped, 0u);
}

TEST(UserTsv, PriorDefaultsToOneOverSpunForms) {
  const std::vector<UserPair> pairs = parse_user_tsv("said\tstated\nsaid\tnoted\ntold\tinstructed\n", "p.tsv", nullptr);
  ASSERT_EQ(pairs.size(), 3u);
  EXPECT_FLOAT_EQ(pairs[0].prior, 0.5f);
  EXPECT_FLOAT_EQ(pairs[2].prior, 1.0f);
}

TEST(LearnedTable, SaysHowManyPagesItWasLearnedFrom) {
  EXPECT_EQ(learned_table_pages("# unspin learned-table v1 pages=200 site=example.com\nsaid\tstated\t0.9\t4\n"), 200u);
  EXPECT_EQ(learned_table_pages("# unspin learned-table v1 site=example.com pages=7\n"), 7u);
  EXPECT_EQ(learned_table_pages("# unspin learned-table v1\nsaid\tstated\t0.9\t4\n"), 0u);  // not given
  EXPECT_EQ(learned_table_pages("# unspin learned-table v1 pages=many\n"), 0u);
  EXPECT_EQ(learned_table_pages("said\tstated\t0.9\t4\n# unspin learned-table v1 pages=9\n"), 0u);  // no header
}

TEST(LearnedTable, IsRecognisedByItsHeaderAndKeepsItsPriors) {
  const std::string text =
      "# unspin learned-table v1 pages=200 site=example.com\n"
      "# original<TAB>spun<TAB>prior<TAB>count\n"
      "said\tstated\t0.912\t40\n"
      "big\thuge\t0.5\t3\n"
      "bad line\n"
      "x\ty\t1.5\t2\n"
      "x\ty\t0.5\tmany\n";
  EXPECT_EQ(detect_user_format(text), UserFormat::kLearned);
  UserLexiconReport report;
  const auto pairs = parse_user_pairs(text, "t.tsv", &report);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_FLOAT_EQ(pairs[0].prior, 0.912f);  // as written: no 1/k, no user-table prior
  EXPECT_EQ(report.skipped, 3u);
  auto lex = UlexLexicon::from_bytes(compile_user_lexicon(text, "t.tsv", nullptr), "t");
  std::vector<Candidate> c;
  lex->lookup("stated", &c);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].sources, kSourceLearned);
  EXPECT_NEAR(c[0].prior, 0.912f, 1e-6);
  // Without the header the same lines are a user's table; a header-like first line that is not it, too.
  EXPECT_EQ(detect_user_format("said\tstated\t0.9\n"), UserFormat::kTsv);
  EXPECT_EQ(detect_user_format("# unspin learned-table v10\nsaid\tstated\t0.9\t1\n"), UserFormat::kTsv);
}

}  // namespace
}  // namespace unspin::lexicon
