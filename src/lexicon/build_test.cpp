#include <gtest/gtest.h>

#include <algorithm>

#include "lexicon/builder.h"
#include "lexicon/ulex_reader.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

const std::string kData = std::string(UNSPIN_SOURCE_DIR) + "/src/lexicon/testdata";

BuildInputs mini_inputs() {
  BuildInputs in;
  in.mythes_path = kData + "/mini_th.dat";
  in.table_dir = kData + "/tables";
  return in;
}

bool has(const Lexicon& lex, std::string_view spun, std::string_view original, std::uint16_t source = 0) {
  std::vector<Candidate> c;
  lex.lookup(spun, &c);
  return std::any_of(c.begin(), c.end(), [&](const Candidate& x) {
    return x.original == original && (source == 0 || (x.sources & source));
  });
}

TEST(Build, ThesaurusAndTableWithInflection) {
  auto lex = UlexLexicon::from_bytes(build_lexicon(mini_inputs(), nullptr), "mini");
  // MyThes: entry "increase" lists "enhance" -> key enhance proposes increase,
  // in every verb form.
  EXPECT_TRUE(has(*lex, "enhance", "increase", kSourceMythes));
  EXPECT_TRUE(has(*lex, "enhanced", "increased", kSourceInflected));
  EXPECT_TRUE(has(*lex, "enhances", "increases"));
  EXPECT_TRUE(has(*lex, "enhancing", "increasing"));
  EXPECT_TRUE(has(*lex, "costs", "prices"));
  EXPECT_TRUE(has(*lex, "cost", "price"));
  // Curated table, both directions, verbs inflected (regular rules only here).
  EXPECT_TRUE(has(*lex, "instructs", "tells", kSourceParaphrase));
  EXPECT_TRUE(has(*lex, "so as to", "in order to", kSourceParaphrase));
  EXPECT_TRUE(has(*lex, "in order to", "so as to"));
  EXPECT_TRUE(has(*lex, "chief govts", "chief executives"));
  EXPECT_TRUE(has(*lex, "along with", "including"));
  EXPECT_TRUE(has(*lex, "together with", "including"));
  EXPECT_TRUE(lex->has_longer("chief"));
  // Filters: antonyms, proper names, numbers and number words never appear.
  EXPECT_FALSE(has(*lex, "decrease", "increase"));
  EXPECT_FALSE(lex->contains("french capital"));
  EXPECT_FALSE(lex->contains("1"));
  EXPECT_FALSE(has(*lex, "ace", "one"));
  EXPECT_FALSE(has(*lex, "unity", "one"));
  // Priors rank: a curated pair above a thesaurus synonym above a relation.
  std::vector<Candidate> c;
  lex->lookup("step-up", &c);
  ASSERT_FALSE(c.empty());
  std::vector<Candidate> syn;
  lex->lookup("boost", &syn);
  ASSERT_FALSE(syn.empty());
  EXPECT_GT(syn[0].prior, c[0].prior);
  EXPECT_EQ(verify_ulex(*lex), "");
}

TEST(Build, DeterministicBytes) {
  EXPECT_EQ(build_lexicon(mini_inputs(), nullptr), build_lexicon(mini_inputs(), nullptr));
}

TEST(Build, CapsCandidatesPerKey) {
  BuildInputs in = mini_inputs();
  in.params.max_candidates = 1;
  auto lex = UlexLexicon::from_bytes(build_lexicon(in, nullptr), "capped");
  std::vector<Candidate> c;
  lex->lookup("together with", &c);
  EXPECT_EQ(c.size(), 1u);
  EXPECT_EQ(lex->header().max_candidates, 1u);
}

TEST(Build, MalformedSourcesAreBadDataWithLocation) {
  BuildInputs in;
  in.table_files = {kData + "/pps_tortured.csv"};  // not a table
  try {
    build_lexicon(in, nullptr);
    FAIL() << "accepted a CSV as a paraphrase table";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData);
    EXPECT_NE(std::string(e.what()).find("pps_tortured.csv:"), std::string::npos) << e.what();
  }
  in.table_files.clear();
  in.mythes_path = kData + "/user_pairs.tsv";  // not MyThes
  EXPECT_THROW(build_lexicon(in, nullptr), Error);
  EXPECT_THROW(build_lexicon(BuildInputs{}, nullptr), Error);
}

}  // namespace
}  // namespace unspin::lexicon
