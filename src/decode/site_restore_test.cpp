// SiteLearner::restore (`restore --same-source`): each page restored with the
// table learned from the other folds' pages (cross-fitting), and
// Models::with_learned_table, which those tables are loaded by. Uses the
// compiled default models (skipped before ./setup.sh has built them).
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "decode/model_parts.h"
#include "lexicon/sources.h"
#include "unspin/restore.h"

namespace unspin {
namespace {

std::unique_ptr<Models> default_models() {
  const std::string models = UNSPIN_MODELS_DIR;
  if (!std::filesystem::exists(models + "/en-us.ulm")) return nullptr;
  return Models::load(ModelPaths::in_folder(models));
}

std::vector<std::string> edits_of(const DocumentResult& r) {
  std::vector<std::string> out;
  for (const Edit& e : r.edits)
    out.push_back(std::to_string(e.byte_begin) + ":" + e.original + ":" + std::to_string(e.confidence));
  return out;
}

TEST(ModelsWithLearnedTable, SharesWhatIsLoadedAndLeavesTheModelsAsTheyWere) {
  const auto models = default_models();
  if (!models) GTEST_SKIP() << "no compiled models in " << UNSPIN_MODELS_DIR;
  const auto site = models->with_learned_table(
      "# unspin learned-table v1 pages=40\nsaid\tstated\t0.990\t40\nbig\thuge\t0.700\t3\n", "site");
  EXPECT_EQ(site->lm.get(), models->lm.get());  // one LM in memory
  EXPECT_EQ(site->parts->evidence.get(), models->parts->evidence.get());
  EXPECT_EQ(site->learned_pairs, 2u);
  EXPECT_EQ(site->learned_pages, 40u);
  EXPECT_EQ(site->info.size(), models->info.size() + 1);
  EXPECT_EQ(models->learned_pairs, 0u);  // the models it came from are unchanged
  std::vector<Candidate> with, without;
  site->lexicons.lookup("stated", &with);
  models->lexicons.lookup("stated", &without);
  auto learned = [](const std::vector<Candidate>& c) {
    for (const Candidate& x : c) {
      if (x.original == "said" && (x.sources & kSourceLearned)) return true;
    }
    return false;
  };
  EXPECT_TRUE(learned(with));
  EXPECT_FALSE(learned(without));
  EXPECT_THROW(models->with_learned_table("said\tstated\t0.9\n", "not learned"), Error);
}

TEST(SiteRestore, RestoresEachPageWithTheTableOfTheOtherFolds) {
  const auto models = default_models();
  if (!models) GTEST_SKIP() << "no compiled models in " << UNSPIN_MODELS_DIR;
  // A site: the spun example cut into pages, with keys that spread them over the folds.
  const std::string spun = lexicon::read_whole_file(std::string(UNSPIN_SOURCE_DIR) + "/examples/spun-news.txt");
  ASSERT_FALSE(spun.empty());
  std::vector<std::string> texts, keys;
  for (int i = 0; i < 24; ++i) {
    texts.push_back(spun.substr((i % 6) * spun.size() / 12, spun.size() / 2));
    keys.push_back("https://farm.example/page-" + std::to_string(i));
  }
  const std::vector<std::string_view> pages(texts.begin(), texts.end());
  const std::vector<std::string_view> page_keys(keys.begin(), keys.end());
  RestoreOptions options;
  const SiteLearner learner(*models, options);
  const SiteLearner::SiteRestoration site = learner.restore(pages, page_keys, options, kLearnMinPrior, 2);
  ASSERT_EQ(site.results.size(), pages.size());

  // What the contract says, computed apart: fold f's table from the pages of the other folds.
  std::vector<SiteCounts> counts;
  std::vector<std::size_t> folds;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    counts.push_back(learner.observe(pages[i], page_keys[i]));
    folds.push_back(SiteLearner::fold_of(pages[i], page_keys[i]));
  }
  bool any_learned = false;
  for (std::size_t f = 0; f < kLearnFolds; ++f) {
    SiteCounts others;
    bool holds_pages = false;
    for (std::size_t i = 0; i < pages.size(); ++i) {
      if (folds[i] != f) others.merge(counts[i]);
      holds_pages |= folds[i] == f;
    }
    if (!holds_pages) {
      EXPECT_EQ(site.fold_models[f], nullptr) << f;
      continue;
    }
    const std::size_t expected_pairs = learner.table(others).size();
    if (expected_pairs == 0) {
      EXPECT_EQ(site.fold_models[f], nullptr) << f;
    } else {
      ASSERT_NE(site.fold_models[f], nullptr) << f;
      EXPECT_EQ(site.fold_models[f]->learned_pairs, expected_pairs) << f;
      EXPECT_EQ(site.fold_models[f]->learned_pages, others.pages()) << f;
      any_learned = true;
    }
  }
  EXPECT_TRUE(any_learned) << "the site's pages taught no fold a table: the test shows nothing";
  EXPECT_EQ(site.learned(), any_learned);
  for (std::size_t i = 0; i < pages.size(); ++i) {
    ASSERT_TRUE(site.results[i].result) << i;
    const auto& fold = site.fold_models[folds[i]];
    const DocumentResult expected =
        fold ? Restorer(*fold, options).run(pages[i]) : Restorer(*models, options).run(pages[i]);
    EXPECT_EQ(site.results[i].result->restored, expected.restored) << i;
    EXPECT_EQ(edits_of(*site.results[i].result), edits_of(expected)) << i;
  }
  // The same from pages already observed.
  const SiteLearner::SiteRestoration again = learner.restore(pages, counts, folds, options, kLearnMinPrior, 1);
  for (std::size_t i = 0; i < pages.size(); ++i)
    EXPECT_EQ(again.results[i].result->restored, site.results[i].result->restored) << i;
}

TEST(SiteRestore, AnswersEachRefusedPageInItsPlace) {
  const auto models = default_models();
  if (!models) GTEST_SKIP() << "no compiled models in " << UNSPIN_MODELS_DIR;
  const SiteLearner learner(*models);
  const std::string binary("\x01\x02\x00\x03", 4);
  const std::vector<std::string_view> pages = {"The firm said costs rose.", "", binary};
  const SiteLearner::SiteRestoration site = learner.restore(pages, {}, RestoreOptions{}, kLearnMinPrior, 2);
  ASSERT_EQ(site.results.size(), 3u);
  EXPECT_TRUE(site.results[0].result);
  ASSERT_TRUE(site.results[1].error);
  EXPECT_EQ(site.results[1].error->code(), ErrorCode::kEmptyInput);
  ASSERT_TRUE(site.results[2].error);
  EXPECT_EQ(site.results[2].error->code(), ErrorCode::kBinaryInput);
  EXPECT_THROW(learner.restore(pages, {"one key"}, RestoreOptions{}, kLearnMinPrior, 1), Error);
  const std::vector<SiteCounts> counts(3);
  EXPECT_THROW(learner.restore(pages, counts, {0, 1, kLearnFolds}, RestoreOptions{}, kLearnMinPrior, 1), Error);
}

}  // namespace
}  // namespace unspin
