// Restorer::run_many against run(): same results, in input order, whatever
// the number of threads (issue 11). Uses the compiled default models and the
// example spinner table (skipped before ./setup.sh has built them).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unspin/restore.h"

namespace unspin {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void expect_same(const DocumentResult& a, const DocumentResult& b, std::size_t i) {
  EXPECT_EQ(a.restored, b.restored) << i;
  EXPECT_EQ(a.has_score, b.has_score) << i;
  EXPECT_EQ(a.score, b.score) << i;  // bitwise: the same arithmetic in the same order
  EXPECT_EQ(a.verdict, b.verdict) << i;
  EXPECT_EQ(a.spin_rate, b.spin_rate) << i;
  EXPECT_EQ(a.tokens, b.tokens) << i;
  ASSERT_EQ(a.edits.size(), b.edits.size()) << i;
  for (std::size_t e = 0; e < a.edits.size(); ++e) {
    EXPECT_EQ(a.edits[e].byte_begin, b.edits[e].byte_begin) << i;
    EXPECT_EQ(a.edits[e].original, b.edits[e].original) << i;
    EXPECT_EQ(a.edits[e].confidence, b.edits[e].confidence) << i;
  }
  ASSERT_EQ(a.reasons.size(), b.reasons.size()) << i;
  for (std::size_t r = 0; r < a.reasons.size(); ++r) EXPECT_EQ(a.reasons[r].message, b.reasons[r].message) << i;
  ASSERT_EQ(a.paragraphs.size(), b.paragraphs.size()) << i;
  for (std::size_t p = 0; p < a.paragraphs.size(); ++p) EXPECT_EQ(a.paragraphs[p].score, b.paragraphs[p].score) << i;
}

TEST(RunMany, SameResultsInInputOrderOnAnyNumberOfThreads) {
  const std::string models = UNSPIN_MODELS_DIR;
  if (!std::filesystem::exists(models + "/en-us.ulm")) GTEST_SKIP() << "no compiled models in " << models;
  ModelPaths paths = ModelPaths::in_folder(models);
  paths.user_lexicons = {std::string(UNSPIN_SOURCE_DIR) + "/examples/spinner-table.txt"};
  const auto loaded = Models::load(paths);
  const Restorer restorer(*loaded, RestoreOptions{});

  const std::string spun = slurp(std::string(UNSPIN_SOURCE_DIR) + "/examples/spun-news.txt");
  const std::string clean = slurp(std::string(UNSPIN_SOURCE_DIR) + "/examples/clean-news.txt");
  ASSERT_FALSE(spun.empty());
  std::vector<std::string> texts;
  for (int i = 0; i < 6; ++i) {
    texts.push_back(spun);
    texts.push_back(clean);
    texts.push_back(spun.substr(0, spun.size() / (i + 2)));
  }
  texts.push_back("");         // empty: Error(kEmptyInput)
  texts.push_back("caf\xC3");  // truncated UTF-8: Error(kInvalidUtf8)
  texts.push_back("The firm stated it.");
  const std::vector<std::string_view> views(texts.begin(), texts.end());

  for (unsigned threads : {1u, 2u, 3u, 0u}) {
    const std::vector<BatchResult> many = restorer.run_many(views, threads);
    ASSERT_EQ(many.size(), views.size());
    for (std::size_t i = 0; i < views.size(); ++i) {
      try {
        const DocumentResult one = restorer.run(views[i]);
        ASSERT_TRUE(many[i].result.has_value()) << i;
        EXPECT_FALSE(many[i].error.has_value()) << i;
        expect_same(one, *many[i].result, i);
      } catch (const Error& e) {
        ASSERT_TRUE(many[i].error.has_value()) << i;
        EXPECT_FALSE(many[i].result.has_value()) << i;
        EXPECT_EQ(many[i].error->code(), e.code()) << i;
        EXPECT_STREQ(many[i].error->what(), e.what()) << i;
      }
    }
  }
  EXPECT_TRUE(restorer.run_many({}, 2).empty());
}

}  // namespace
}  // namespace unspin
