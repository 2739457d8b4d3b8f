// The Sphinx importer and the .ulm scorer against libsphinxbase itself:
// thousands of random n-grams must get the same log10 score.
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <cmath>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>

#include <gtest/gtest.h>

#include "lm/ngram_set.h"
#include "lm/sphinx_import.h"
#include "unspin/lm.h"

namespace unspin::lm {
namespace {

constexpr const char* kSphinxModel = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";
// libsphinxbase truncates every score to an integer in log base 1.0001, so its
// log10 values carry up to log10(1.0001) = 4.3e-5 of error; we allow 1e-4.
constexpr double kTolerance = 1e-4;

class SphinxTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    set_ = new NgramSet(read_sphinx_trie_file(kSphinxModel));
    close_ngram_set(*set_);
    // One file per process: CTest runs each test of this suite in its own
    // process, in parallel, and a shared path would race.
    path_ = new std::string(
        (std::filesystem::temp_directory_path() / ("unspin_sphinx_test." + std::to_string(::getpid()) + ".ulm"))
            .string());
    write_ulm(*set_, *path_);
    model_ = LanguageModel::open(*path_).release();
    lmath_ = logmath_init(1.0001, 0, 0);
    sphinx_ = ngram_model_read(nullptr, kSphinxModel, NGRAM_AUTO, lmath_);
  }
  static void TearDownTestSuite() {
    ngram_model_free(sphinx_);
    logmath_free(lmath_);
    delete model_;
    std::filesystem::remove(*path_);
    delete path_;
    delete set_;
  }

  // log10 P(words.back() | earlier words) from libsphinxbase.
  static double sphinx_score(const std::vector<std::string>& words) {
    std::vector<int32> hist;
    for (int i = static_cast<int>(words.size()) - 2; i >= 0; --i) hist.push_back(ngram_wid(sphinx_, words[i].c_str()));
    int32 n_used = 0;
    const int32 s = ngram_ng_score(sphinx_, ngram_wid(sphinx_, words.back().c_str()), hist.data(),
                                   static_cast<int32>(hist.size()), &n_used);
    return logmath_log_to_log10(lmath_, s);
  }

  // The same through the public API, feeding the context word by word.
  static double our_score(const std::vector<std::string>& words) {
    LmState state = words.front() == "<s>" ? model_->begin_sentence() : model_->null_context();
    LmState next;
    for (std::size_t i = words.front() == "<s>" ? 1 : 0; i + 1 < words.size(); ++i) {
      model_->score(state, model_->vocab_id(words[i]), &next);
      state = next;
    }
    return model_->score(state, model_->vocab_id(words.back()), &next);
  }

  std::vector<std::string> ngram(int n, std::size_t i) const {
    std::vector<std::string> out;
    for (int k = 0; k < n; ++k) out.push_back(set_->vocab[set_->levels[n].words[i * n + k]]);
    return out;
  }

  static NgramSet* set_;
  static std::string* path_;
  static LanguageModel* model_;
  static logmath_t* lmath_;
  static ngram_model_t* sphinx_;
};

NgramSet* SphinxTest::set_ = nullptr;
std::string* SphinxTest::path_ = nullptr;
LanguageModel* SphinxTest::model_ = nullptr;
logmath_t* SphinxTest::lmath_ = nullptr;
ngram_model_t* SphinxTest::sphinx_ = nullptr;

TEST_F(SphinxTest, ReferenceValuesFromTheBrief) {
  EXPECT_NEAR(our_score({"chief", "executive"}), -1.058, 5e-4);
  EXPECT_NEAR(our_score({"pointy", "enhance"}), -5.479, 5e-4);
  EXPECT_NEAR(sphinx_score({"chief", "executive"}), -1.058, 5e-4);
}

TEST_F(SphinxTest, VocabularyMatchesSphinx) {
  EXPECT_EQ(model_->vocab_size(), static_cast<std::size_t>(ngram_model_get_counts(sphinx_)[0]) + 1);  // + <unk>
  EXPECT_EQ(model_->order(), 3);
  EXPECT_TRUE(model_->folds_case());
  EXPECT_EQ(model_->vocab_id("The"), model_->vocab_id("the"));
  EXPECT_NE(model_->vocab_id("the"), kUnknownWord);
  EXPECT_EQ(model_->word(model_->vocab_id("executive")), "executive");
}

TEST_F(SphinxTest, RandomNgramsScoreLikeLibsphinxbase) {
  std::mt19937_64 rng(20261127);
  const std::size_t vocab = set_->vocab.size();
  auto word = [&] { return set_->vocab[1 + rng() % (vocab - 1)]; };
  std::vector<std::vector<std::string>> cases;
  for (int i = 0; i < 3000; ++i) cases.push_back(ngram(3, rng() % set_->levels[3].size()));  // seen trigrams
  for (int i = 0; i < 3000; ++i) cases.push_back(ngram(2, rng() % set_->levels[2].size()));  // seen bigrams
  for (int i = 0; i < 2000; ++i) {  // seen bigram context, random next word: backs off
    auto g = ngram(2, rng() % set_->levels[2].size());
    g.push_back(word());
    cases.push_back(g);
  }
  for (int i = 0; i < 2000; ++i) cases.push_back({word(), word(), word()});  // mostly unseen
  for (int i = 0; i < 1000; ++i) cases.push_back({word(), word()});
  for (int i = 0; i < 1000; ++i) cases.push_back({word()});
  for (int i = 0; i < 1000; ++i) cases.push_back({"<s>", word()});
  for (int i = 0; i < 1000; ++i) cases.push_back({"<s>", word(), word()});
  for (int i = 0; i < 1000; ++i) cases.push_back({word(), word(), "</s>"});
  int seen_trigram_with_bos = 0;
  for (std::size_t i = 0; i < set_->levels[3].size() && seen_trigram_with_bos < 1000; i += 97) {
    auto g = ngram(3, i);
    if (g[0] == "<s>") {
      cases.push_back(g);
      ++seen_trigram_with_bos;
    }
  }
  ASSERT_GT(seen_trigram_with_bos, 100);
  double worst = 0;
  int failures = 0;
  for (const auto& c : cases) {
    if (c.back() == "<s>") continue;  // never predicted
    const double ours = our_score(c), theirs = sphinx_score(c);
    worst = std::max(worst, std::abs(ours - theirs));
    if (std::abs(ours - theirs) > kTolerance && ++failures <= 10) {
      std::string text;
      for (const auto& w : c) text += w + " ";
      ADD_FAILURE() << text << ": ours " << ours << ", libsphinxbase " << theirs;
    }
  }
  EXPECT_EQ(failures, 0);
  RecordProperty("max_abs_diff", std::to_string(worst));
  std::printf("compared %zu n-grams, max |ours - libsphinxbase| = %.3g\n", cases.size(), worst);
}

TEST_F(SphinxTest, UnknownWordPolicy) {
  const float unk = model_->unknown_log10();
  EXPECT_GT(unk, -20.0f);  // a usable penalty, not Sphinx's ~-23000 in log units
  EXPECT_LT(unk, -8.0f);
  LmState out;
  EXPECT_EQ(model_->vocab_id("govtxq"), kUnknownWord);
  EXPECT_FLOAT_EQ(model_->score(model_->begin_sentence(), kUnknownWord, &out), unk);
  EXPECT_EQ(out, model_->null_context());
}

TEST_F(SphinxTest, ImportIsDeterministic) {
  const std::string again = *path_ + ".again";
  write_ulm(*set_, again);
  std::ifstream a(*path_, std::ios::binary), b(again, std::ios::binary);
  std::string sa((std::istreambuf_iterator<char>(a)), {}), sb((std::istreambuf_iterator<char>(b)), {});
  std::filesystem::remove(again);
  EXPECT_EQ(sa.size(), sb.size());
  EXPECT_TRUE(sa == sb);
}

// A small trie written by sphinx_lm_convert from testdata/tiny3.arpa (with
// <unk>, a missing suffix bigram and its count fix-up): every word triple.
TEST(SphinxSmallTrie, EveryTripleScoresLikeLibsphinxbase) {
  const std::string bin = std::string(UNSPIN_SOURCE_DIR) + "/src/lm/testdata/tiny3.lm.bin";
  NgramSet set = read_sphinx_trie_file(bin);
  close_ngram_set(set);
  const std::string path = (std::filesystem::temp_directory_path() / "unspin_tiny3_sphinx.ulm").string();
  write_ulm(set, path);
  auto model = LanguageModel::open(path);
  logmath_t* lmath = logmath_init(1.0001, 0, 0);
  ngram_model_t* sphinx = ngram_model_read(nullptr, bin.c_str(), NGRAM_AUTO, lmath);
  ASSERT_NE(sphinx, nullptr);
  const std::vector<std::string> words = {"<s>", "</s>", "the", "cat", "dog", "big"};
  int compared = 0;
  for (const auto& a : words) {
    for (const auto& b : words) {
      for (const auto& c : words) {
        if (c == "<s>" || b == "<s>") continue;
        LmState s0 = a == "<s>" ? model->begin_sentence() : model->null_context(), s1, s2;
        if (a != "<s>") model->score(s0, model->vocab_id(a), &s1), s0 = s1;
        model->score(s0, model->vocab_id(b), &s2);
        const double ours = model->score(s2, model->vocab_id(c), &s1);
        int32 hist[2] = {ngram_wid(sphinx, b.c_str()), ngram_wid(sphinx, a.c_str())}, n_used;
        const double theirs =
            logmath_log_to_log10(lmath, ngram_ng_score(sphinx, ngram_wid(sphinx, c.c_str()), hist, 2, &n_used));
        EXPECT_NEAR(ours, theirs, kTolerance) << a << " " << b << " " << c;
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100);
  ngram_model_free(sphinx);
  logmath_free(lmath);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace unspin::lm
