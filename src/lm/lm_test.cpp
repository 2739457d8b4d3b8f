// The .ulm scorer against a hand-computed model and the map-based reference,
// plus the loader's refusals.
#include <cstring>
#include <fstream>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "lm/test_util.h"
#include "lm/ulm_file.h"
#include "lm/ulm_format.h"
#include "unspin/error.h"

namespace unspin::lm {
namespace {

using ::testing::HasSubstr;
using testing::TempPath;

// A small order-3 model. The trigram "the big dog" lacks its suffix bigram
// "big dog", which the importer must insert as a blank.
constexpr const char* kArpa = R"(some header text
\data\
ngram 1=7
ngram 2=5
ngram 3=3

\1-grams:
-99	<s>	-0.30
-1.0	</s>
-0.7	the	-0.20
-1.2	cat	-0.10
-1.5	dog	-0.25
-1.4	big	-0.15
-2.0	<unk>

\2-grams:
-0.40	<s>	the	-0.05
-0.50	the	cat	-0.12
-0.60	the	dog
-0.30	cat	</s>
-0.90	the	big	-0.07

\3-grams:
-0.10	<s>	the	cat
-0.20	the	big	dog
-0.35	<s>	the	dog

\end\
)";

class TinyModel : public ::testing::Test {
 protected:
  void SetUp() override {
    set_ = testing::parse_arpa(kArpa);
    close_ngram_set(set_);
    write_ulm(set_, path_.str());
    model_ = LanguageModel::open(path_.str());
  }
  float score_after(std::initializer_list<const char*> context, const char* word, bool bos = false) {
    LmState s = bos ? model_->begin_sentence() : model_->null_context(), next;
    for (const char* w : context) {
      model_->score(s, model_->vocab_id(w), &next);
      s = next;
    }
    return model_->score(s, model_->vocab_id(word), &next);
  }
  TempPath path_{"tiny.ulm"};
  NgramSet set_;
  std::unique_ptr<LanguageModel> model_;
};

TEST_F(TinyModel, HandComputedScores) {
  EXPECT_FLOAT_EQ(score_after({}, "cat"), -1.2f);
  EXPECT_FLOAT_EQ(score_after({"the"}, "cat"), -0.5f);
  EXPECT_FLOAT_EQ(score_after({"cat"}, "the"), -0.1f - 0.7f);                 // bo(cat) + P(the)
  EXPECT_FLOAT_EQ(score_after({"the", "cat"}, "dog"), -0.12f - 0.1f - 1.5f);  // bo(the cat) + bo(cat) + P(dog)
  EXPECT_FLOAT_EQ(score_after({"the", "big"}, "dog"), -0.2f);                 // trigram
  EXPECT_FLOAT_EQ(score_after({"big"}, "dog"), -0.15f - 1.5f);                // the blank bigram
  EXPECT_FLOAT_EQ(score_after({"cat", "big"}, "dog"), -0.15f - 1.5f);         // no bo for "cat big"
  EXPECT_FLOAT_EQ(score_after({"the"}, "cat", true), -0.1f);                  // <s> the cat
  EXPECT_FLOAT_EQ(score_after({"the"}, "big", true), -0.05f - 0.9f);          // bo(<s> the) + P(big|the)
  EXPECT_EQ(set_.blanks[1], 1u);
}

TEST_F(TinyModel, UnknownWordsAndCase) {
  EXPECT_TRUE(model_->folds_case());
  EXPECT_EQ(model_->vocab_id("The"), model_->vocab_id("the"));
  EXPECT_EQ(model_->vocab_id("THE"), model_->vocab_id("the"));
  EXPECT_EQ(model_->vocab_id("zebra"), kUnknownWord);
  EXPECT_EQ(model_->vocab_id("<unk>"), kUnknownWord);
  EXPECT_FLOAT_EQ(model_->unknown_log10(), -1.5f - 1.0f);  // rarest word (dog) minus one
  LmState out;
  out.length = 3;
  EXPECT_FLOAT_EQ(model_->score(model_->begin_sentence(), kUnknownWord, &out), -2.5f);
  EXPECT_EQ(out.length, 0);
  EXPECT_FLOAT_EQ(model_->score(model_->begin_sentence(), 12345, &out), -2.5f);  // out of range id
  EXPECT_EQ(model_->word(model_->vocab_id("cat")), "cat");
  EXPECT_EQ(model_->word(999), "");
  EXPECT_EQ(model_->word(model_->end_sentence_id()), "</s>");
}

// The batched lookup is vocab_id() word for word (the screen's warm-up relies
// on it only for speed, the decoder may for ids), over more words than one
// chunk, with case to fold, unknown words, markup words and empty strings.
TEST_F(TinyModel, VocabIdsAreVocabIdOfEachWord) {
  std::vector<std::string> spellings = {"the",  "The",   "CAT", "dog",         "zebra",           "",   "<s>",
                                        "</s>", "<unk>", "big", "caf\xC3\xA9", "d\xE2\x80\x99og", "Big"};
  while (spellings.size() < 100)
    spellings.push_back(spellings[spellings.size() % 13] + (spellings.size() % 3 ? "" : "s"));
  const std::vector<std::string_view> words(spellings.begin(), spellings.end());
  std::vector<WordId> ids(words.size(), 12345);
  model_->vocab_ids(words.data(), words.size(), ids.data());
  for (std::size_t i = 0; i < words.size(); ++i) EXPECT_EQ(ids[i], model_->vocab_id(words[i])) << words[i];
  model_->vocab_ids(nullptr, 0, nullptr);  // nothing to look up
}

// prefetch_text is a hint: any ids (unknown, out of range, at the start) are
// accepted and no score changes.
TEST_F(TinyModel, PrefetchTextChangesNoScore) {
  const float before = score_after({"the", "big"}, "dog");
  const std::vector<WordId> ids = {model_->vocab_id("<s>"), model_->vocab_id("the"), kUnknownWord,           999999,
                                   model_->vocab_id("big"), model_->vocab_id("dog"), model_->vocab_id("cat")};
  for (std::size_t n = 0; n <= ids.size(); ++n) model_->prefetch_text(ids.data(), n);
  EXPECT_EQ(score_after({"the", "big"}, "dog"), before);
}

TEST_F(TinyModel, StatesMergeWhenTheirFutureIsEqual) {
  LmState a, b, c;
  model_->score(model_->null_context(), model_->vocab_id("dog"), &a);
  model_->score(a, model_->vocab_id("cat"), &b);  // "dog cat" unseen: state is just [cat]
  model_->score(model_->null_context(), model_->vocab_id("cat"), &c);
  EXPECT_EQ(b, c);
  EXPECT_EQ(b.hash(), c.hash());
  LmState d;
  model_->score(model_->null_context(), model_->vocab_id("the"), &a);
  model_->score(a, model_->vocab_id("cat"), &d);  // "the cat" seen: [cat, the]
  EXPECT_EQ(d.length, 2);
  EXPECT_FALSE(d == c);
  EXPECT_NE(d.hash(), c.hash());
}

TEST_F(TinyModel, FastScorerMatchesReferenceOnRandomText) {
  NgramSetScorer reference(set_);
  std::mt19937 rng(7);
  const WordId v = static_cast<WordId>(model_->vocab_size());
  for (int sentence = 0; sentence < 2000; ++sentence) {
    std::vector<WordId> history;
    LmState state = model_->null_context(), next;
    for (int i = 0; i < 8; ++i) {
      const WordId w = rng() % v;  // includes <unk> and <s>
      const float fast = model_->score(state, w, &next);
      EXPECT_NEAR(fast, reference.score(history, w), 1e-5) << "sentence " << sentence << " word " << i;
      history.push_back(w);
      state = next;
    }
  }
}

// --- the loader refuses bad files with a message that says how to fix them ---

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}
void spit(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }
std::string open_error(const std::string& path) {
  try {
    LanguageModel::open(path);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModel) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "open(" << path << ") succeeded";
  return "";
}

// score_batch (every query's buckets prefetched first) gives exactly score():
// probabilities and states, unknown and out-of-range words included, over
// more queries than one prefetch chunk.
TEST_F(TinyModel, BatchScoresEqualOneAtATime) {
  const char* words[] = {"the", "cat", "dog", "big", "</s>", "zebra", "<s>"};
  std::vector<LmState> in;
  std::vector<WordId> ids;
  LmState s = model_->begin_sentence(), next;
  for (int i = 0; i < 40; ++i) {
    const WordId w = i == 13 ? static_cast<WordId>(1u << 30) : model_->vocab_id(words[(i * 5 + 3) % 7]);
    in.push_back(s);
    ids.push_back(w);
    model_->score(s, w, &next);
    s = i % 9 == 8 ? model_->begin_sentence() : next;
  }
  std::vector<float> probs(ids.size());
  std::vector<LmState> outs(ids.size());
  model_->score_batch(in.data(), ids.data(), ids.size(), probs.data(), outs.data());
  for (std::size_t i = 0; i < ids.size(); ++i) {
    LmState expected;
    EXPECT_EQ(probs[i], model_->score(in[i], ids[i], &expected)) << i;
    EXPECT_TRUE(outs[i] == expected) << i;
    EXPECT_EQ(outs[i].length, expected.length) << i;
    for (int k = 0; k < expected.length; ++k) EXPECT_EQ(outs[i].backoff[k], expected.backoff[k]) << i;
  }
}

TEST_F(TinyModel, RefusesMissingTruncatedForeignOldAndIncompleteFiles) {
  TempPath bad("bad.ulm");
  EXPECT_THAT(open_error(bad.str()), HasSubstr("setup.sh"));  // missing
  const std::string good = slurp(path_.str());
  spit(bad.str(), good.substr(0, good.size() / 2));
  EXPECT_THAT(open_error(bad.str()), HasSubstr("truncated"));
  spit(bad.str(), good.substr(0, 100));
  EXPECT_THAT(open_error(bad.str()), HasSubstr("truncated"));
  spit(bad.str(), "hello world, not a model at all");
  EXPECT_THAT(open_error(bad.str()), HasSubstr("not an unspin language model"));
  spit(bad.str(), std::string("Trie Language Model") + std::string(100, '\0'));
  EXPECT_THAT(open_error(bad.str()), HasSubstr("unspin lm import-sphinx"));
  std::string old = good;
  const std::uint32_t v0 = 0;
  std::memcpy(old.data() + offsetof(UlmHeader, version), &v0, 4);
  spit(bad.str(), old);
  EXPECT_THAT(open_error(bad.str()), HasSubstr("format version 0"));
  std::string incomplete = good;
  std::memset(incomplete.data() + offsetof(UlmHeader, complete), 0, 8);
  spit(bad.str(), incomplete);
  EXPECT_THAT(open_error(bad.str()), HasSubstr("incomplete"));
  spit(bad.str(), "");
  EXPECT_THAT(open_error(bad.str()), HasSubstr("truncated"));
}

TEST_F(TinyModel, VerifyCatchesCorruptionTheFastLoadDoesNotRead) {
  EXPECT_TRUE(verify_ulm(path_.str()).ok());
  TempPath bad("corrupt.ulm");
  std::string bytes = slurp(path_.str());
  bytes[bytes.size() - 3] ^= 0x40;
  spit(bad.str(), bytes);
  EXPECT_NO_THROW(LanguageModel::open(bad.str()));
  try {
    verify_ulm(bad.str());
    ADD_FAILURE() << "verify accepted a corrupted body";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadModel);
    EXPECT_THAT(e.what(), HasSubstr("checksum"));
  }
  EXPECT_THAT(describe_ulm(path_.str()), HasSubstr("ngram 3=3"));
}

TEST_F(TinyModel, WritingIsDeterministic) {
  TempPath again("again.ulm");
  write_ulm(set_, again.str());
  EXPECT_EQ(slurp(again.str()), slurp(path_.str()));
}

}  // namespace
}  // namespace unspin::lm
