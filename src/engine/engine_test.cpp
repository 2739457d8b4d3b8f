// The engine against the library underneath it: the same results as a
// Restorer with the same options, the archive first, requests' overrides in
// the provenance, and the same answers from many threads at once. Uses the
// compiled default models (skipped before ./setup.sh has built them).
#include "unspin/engine.h"

#include <unistd.h>

#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "lexicon/sources.h"
#include "unspin/trace.h"

namespace unspin {
namespace {

std::string example(const std::string& name) {
  return lexicon::read_whole_file(std::string(UNSPIN_SOURCE_DIR) + "/examples/" + name);
}

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(std::string(UNSPIN_MODELS_DIR) + "/en-us.ulm")) {
      GTEST_SKIP() << "no compiled models in " << UNSPIN_MODELS_DIR;
    }
  }
  static EngineOptions options() {
    EngineOptions o;
    o.models = ModelPaths::in_folder(UNSPIN_MODELS_DIR);
    return o;
  }
};

TEST_F(EngineTest, AnswersAsARestorerWithTheSameOptions) {
  const Engine engine(options());
  const std::string spun = example("spun-news.txt");
  const EngineAnswer a = engine.run(spun);
  const DocumentResult direct = Restorer(engine.models(), RestoreOptions{}).run(spun);
  EXPECT_EQ(a.result.score, direct.score);
  EXPECT_EQ(a.result.restored, direct.restored);
  EXPECT_EQ(a.result.stage, direct.stage);
  EXPECT_FALSE(a.source);
  ASSERT_TRUE(a.provenance);
  EXPECT_TRUE(a.provenance->models_loaded);
  EXPECT_EQ(a.provenance->models.size(), engine.models().info.size());
}

TEST_F(EngineTest, ARestorationIsNeverAnsweredByTheScreen) {
  const Engine engine(options());
  const std::string spun = example("spun-news.txt");
  EXPECT_EQ(engine.run(spun).result.stage, "screen");  // the example is too light for the screen to doubt
  RequestOptions restore;
  restore.restore = true;
  EXPECT_EQ(engine.run(spun, restore).result.stage, "decoder");
}

TEST_F(EngineTest, ARequestsOverridesAreItsResultsProvenance) {
  const Engine engine(options());
  RequestOptions request;
  request.min_confidence = 0.05;
  request.allow = {"chief govt"};
  const EngineAnswer a = engine.run(example("spun-news.txt"), request);
  EXPECT_EQ(a.provenance->options.min_confidence, 0.05);
  EXPECT_EQ(a.provenance->options.allow.size(), 1u);
  EXPECT_EQ(engine.provenance()->options.min_confidence, 0.5);  // the engine's own are unchanged
}

TEST_F(EngineTest, OptionsOutOfRangeAreAUsageError) {
  EngineOptions o = options();
  o.restore.base_rate = 1;
  try {
    const Engine engine(o);
    FAIL() << "base_rate 1 was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kUsage);
  }
}

TEST_F(EngineTest, BadInputIsRefusedBeforeTheModelsLoad) {
  EngineOptions o = options();
  o.models = ModelPaths::in_folder("/nonexistent");  // loading would fail with kBadModel or kIo
  const Engine engine(o);
  try {
    engine.run("The caf\xe9 was open on Tuesday, and the chief executive told reporters so.");
    FAIL() << "invalid UTF-8 was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidUtf8) << e.what();
  }
  EXPECT_FALSE(engine.provenance()->models_loaded);
}

TEST_F(EngineTest, ASourceInTheArchiveRestoresTheCopyWithoutTheModels) {
  const std::string original = example("clean-news.txt");
  const std::filesystem::path db =
      std::filesystem::temp_directory_path() / ("unspin_engine_test_" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(db);
  {
    auto store = open_archive(db.string(), ArchiveAccess::kCreateOrWrite);
    add_to_archive(*store, {{"news-1", original}});
  }
  EngineOptions o = options();
  o.archive = db.string();
  const Engine engine(o);
  const EngineAnswer a = engine.run(original);
  ASSERT_TRUE(a.source);
  EXPECT_EQ(a.source->id, "news-1");
  EXPECT_EQ(a.result.restored, original);
  EXPECT_FALSE(a.provenance->models_loaded);  // nothing needed the models
  ASSERT_EQ(a.provenance->models.size(), 1u);
  EXPECT_EQ(a.provenance->models[0].role, "archive");
  std::filesystem::remove(db);
}

TEST_F(EngineTest, ManyThreadsGetTheAnswersOneThreadGets) {
  const Engine engine(options());
  const std::vector<std::string> texts = {example("spun-news.txt"), example("clean-news.txt"),
                                          example("tortured-abstract.txt")};
  std::vector<double> serial;
  for (const std::string& t : texts) serial.push_back(engine.run(t).result.score);
  std::vector<std::vector<double>> threaded(4);
  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < threaded.size(); ++k) {
    threads.emplace_back([&, k] {
      for (const std::string& t : texts) threaded[k].push_back(engine.run(t).result.score);
    });
  }
  for (std::thread& t : threads) t.join();
  for (const std::vector<double>& scores : threaded) EXPECT_EQ(scores, serial);
}

TEST_F(EngineTest, ASitesPagesShareOneProvenanceThatSaysSameSource) {
  const Engine engine(options());
  const std::string a = example("spun-news.txt"), b = example("clean-news.txt");
  const std::vector<SiteAnswer> site = engine.run_site({a, b});
  ASSERT_EQ(site.size(), 2u);
  ASSERT_TRUE(site[0].answer && site[1].answer);
  EXPECT_EQ(site[0].answer->provenance, site[1].answer->provenance);
  EXPECT_TRUE(site[0].answer->provenance->same_source);
}

}  // namespace
}  // namespace unspin
