#include <gtest/gtest.h>

#include <map>

#include "listed/matcher.h"
#include "listed/phrase_list.h"
#include "unspin/error.h"

namespace unspin::listed {
namespace {

const char kHeader[] =
    "# Tortured phrases found in published papers by the Problematic Paper Screener (PPS),\n"
    "# Cabanac, Labbe & Magazinov (arXiv:2107.06751); licence CC BY 4.0; as exported in the\n"
    "# public torturedcheck list (2026-03-06), with paper counts from a second public export where known.\n"
    "# Columns: correct (the established term) <TAB> tortured (its spun form in papers) <TAB> papers\n";

PhraseList small_list(std::string_view clean = "") {
  const std::string tsv = std::string(kHeader) +
                          "deep neural network\tprofound neural organization\t12\n"
                          "random forest\tirregular woodland\t40\n"
                          "region of interest (roi)\tplace of interest\t\n"
                          "???\tbosom peril\t3\n"
                          "[neural network] layer outputs\tneural network\t\n"
                          "[neural network] layer outputs\tlayer yields\t2\n"
                          "(mean) squared error\tmean squared blunder\t5\n"
                          "(mean) squared error\tsquared blunder\t5\n"
                          "precision, recall\texactness, review\t7\n"
                          "artificial intelligence\tman-made consciousness\t9\n"
                          "big data\tlarge information\t\n";
  return PhraseList::parse(tsv, clean, "test.tsv");
}

TEST(ListedClean, CorrectTerms) {
  EXPECT_EQ(clean_correct("region of interest (roi)", "place of interest"), "region of interest");
  EXPECT_EQ(clean_correct("(mean) squared error", "mean squared blunder"), "mean squared error");
  EXPECT_EQ(clean_correct("(mean) squared error", "squared blunder"), "squared error");
  EXPECT_EQ(clean_correct("[neural network] layer outputs", "layer yields"), "layer outputs");
  EXPECT_EQ(clean_correct("???", "bosom peril"), "");
  EXPECT_EQ(clean_correct("rythm pattern (?)", "cadence design"), "rythm pattern");
  EXPECT_EQ(clean_correct("fault analysis/diagnosis", "blame investigation"), "fault analysis");
  EXPECT_EQ(clean_correct("tcp/ip stack", "tcp ip bundle"), "tcp ip stack");
  EXPECT_EQ(clean_correct("\\\"information technology (it)\\\"", "data technology"), "information technology");
  EXPECT_EQ(clean_correct("the word \xE2\x80\x98"
                          "are\xE2\x80\x99 as in the verb, see https://x",
                          "are"),
            "");
  EXPECT_EQ(clean_tortured("data technology (it)"), "data technology");
  EXPECT_EQ(clean_tortured("Exactness, Review"), "exactness , review");
}

TEST(ListedClean, Statuses) {
  const PhraseList list = small_list("large information\t4\n");
  std::map<std::string, Status> status;
  for (const ListedPhrase& p : list.phrases()) status[p.tortured] = p.status;
  EXPECT_EQ(status["neural network"], Status::kCorrectTerm);  // the context of another entry
  EXPECT_EQ(status["profound neural organization"], Status::kActive);
  EXPECT_EQ(status["large information"], Status::kNeedsContext);
  EXPECT_EQ(list.info().licence, "CC BY 4.0");
  EXPECT_EQ(list.info().version, "2026-03-06");
  EXPECT_NE(list.info().attribution.find("Cabanac"), std::string::npos);
  EXPECT_EQ(list.raw_pairs(), 11u);
}

TEST(ListedClean, MalformedLineIsBadData) {
  try {
    PhraseList::parse("a\tb\tmany\n", "", "bad.tsv");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find("bad.tsv:1"), std::string::npos);
  }
  EXPECT_THROW(PhraseList::parse("no tab here\n", "", "bad.tsv"), Error);
}

TEST(ListedMatcher, InflectedForms) {
  const PhraseList list = small_list();
  const Matcher m(list);
  const std::string text =
      "We trained Profound Neural-Organizations and an irregular woodland, then the place of interest.";
  const std::vector<Hit> hits = m.find(text);
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(text.substr(hits[0].byte_begin, hits[0].byte_end - hits[0].byte_begin), "Profound Neural-Organizations");
  EXPECT_EQ(Matcher::correction(hits[0]), "deep neural networks");
  EXPECT_EQ(hits[0].papers, 12u);
  EXPECT_EQ(Matcher::correction(hits[1]), "random forest");
  EXPECT_EQ(hits[2].correct_term, "region of interest");
  EXPECT_EQ(hits[0].cp_begin, 11u);
}

TEST(ListedMatcher, CodePointsAndApostrophes) {
  const PhraseList list = small_list();
  const Matcher m(list);
  const std::string text = "Ça: irregular woodlands \xE2\x80\x94 man\xE2\x80\x93made consciousness.";
  const std::vector<Hit> hits = m.find(text);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].cp_begin, 4u);
  EXPECT_EQ(hits[0].cp_end, 23u);
  EXPECT_EQ(Matcher::correction(hits[0]), "random forests");
  EXPECT_EQ(hits[1].correct_term, "artificial intelligence");
}

TEST(ListedMatcher, BreaksAndCommas) {
  const PhraseList list = small_list();
  const Matcher m(list);
  EXPECT_TRUE(m.find("an irregular. Woodland").empty());
  EXPECT_TRUE(m.find("irregular\n\nwoodland").empty());
  EXPECT_EQ(m.find("irregular\nwoodland").size(), 1u);
  EXPECT_TRUE(m.find("exactness review").empty());
  EXPECT_EQ(m.find("the exactness, review and f1").size(), 1u);
  EXPECT_TRUE(m.find("a neural network model").empty());  // a correct term is never a hit
  const std::vector<Hit> unknown = m.find("the bosom peril");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].correct_term, "");
  EXPECT_EQ(Matcher::correction(unknown[0]), "");
}

TEST(ListedMatcher, ContextOnlyPhrasesNeedAnActiveHit) {
  const PhraseList list = small_list("large information\n");
  const Matcher m(list);
  EXPECT_TRUE(m.find("a large information system").empty());
  EXPECT_EQ(m.find("a large information system and an irregular woodland").size(), 2u);
}

TEST(ListedMatcher, OverlapsLeftmostLongest) {
  const PhraseList list = small_list();
  const Matcher m(list);
  const std::vector<Hit> hits = m.find("the mean squared blunder");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].correct_term, "mean squared error");
}

TEST(ListedMatcher, BuiltinList) {
  const Matcher& m = builtin_matcher();
  EXPECT_GT(m.patterns(), 6000u);
  const std::vector<Hit> hits = m.find("Information foci and illness conclusions are used.");
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].correct_term, "data points");
  EXPECT_EQ(Matcher::correction(hits[1]), "disease diagnoses");
  EXPECT_EQ(PhraseList::builtin().raw_pairs(), 7081u);
  // Garbage never crashes.
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 131) & 0xFF));
  (void)m.find(junk);
}

}  // namespace
}  // namespace unspin::listed
