// ARPA reader errors, gzip input, and ARPA round trips of order-4/5 models.
#include <cmath>
#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lm/kneser_ney.h"
#include "lm/lm_text.h"
#include "lm/test_util.h"
#include "unspin/error.h"

namespace unspin::lm {
namespace {

using ::testing::HasSubstr;
using testing::TempPath;

constexpr const char* kGood =
    "\\data\\\nngram 1=3\nngram 2=1\n\n\\1-grams:\n-1\t<s>\t-0.5\n-0.5\ta\t-0.3\n-0.8\t</s>\n\n"
    "\\2-grams:\n-0.2\ta\t</s>\n\n\\end\\\n";

std::string arpa_error(const std::string& text) {
  try {
    testing::parse_arpa(text, "m.arpa");
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadData) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted:\n" << text;
  return "";
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(ArpaReader, ReadsAValidModel) {
  NgramSet set = testing::parse_arpa(kGood);
  EXPECT_EQ(set.order, 2);
  EXPECT_EQ(set.vocab.size(), 4u);  // <unk> + 3
  EXPECT_EQ(set.levels[2].size(), 1u);
  EXPECT_FLOAT_EQ(set.levels[2].prob[0], -0.2f);
  // CRLF line ends are accepted.
  EXPECT_EQ(testing::parse_arpa(replace(kGood, "\n\\end\\\n", "\r\n\\end\\\r\n")).order, 2);
}

TEST(ArpaReader, MalformedInputFailsWithFileLineAndExpectation) {
  EXPECT_THAT(arpa_error("hello\nworld\n"), HasSubstr("no \\data\\"));
  EXPECT_THAT(arpa_error(replace(kGood, "ngram 2=1", "ngram 2=2")),
              HasSubstr("m.arpa:12: found an empty line after 1 2-grams; expected 2 2-grams"));
  EXPECT_THAT(arpa_error(replace(kGood, "ngram 1=3", "ngram 1=2")), HasSubstr("m.arpa:"));
  EXPECT_THAT(arpa_error(replace(kGood, "-0.5\ta", "-0.5x\ta")), HasSubstr("m.arpa:7: found probability \"-0.5x\""));
  EXPECT_THAT(arpa_error(replace(kGood, "-0.5\ta", "0.5\ta")), HasSubstr("positive log10 probability"));
  EXPECT_THAT(arpa_error(replace(kGood, "-0.5\ta", "nan\ta")), HasSubstr("finite"));
  EXPECT_THAT(arpa_error(replace(kGood, "\\2-grams:", "\\3-grams:")), HasSubstr("expected \\2-grams:"));
  EXPECT_THAT(arpa_error(replace(kGood, "\\end\\", "")), HasSubstr("expected \\end\\"));
  EXPECT_THAT(arpa_error(replace(kGood, "a\t</s>", "b\t</s>")), HasSubstr("m.arpa:11: found word \"b\""));
  EXPECT_THAT(arpa_error(replace(kGood, "-0.8\t</s>", "-0.8\ta")), HasSubstr("a second unigram \"a\""));
  EXPECT_THAT(arpa_error(replace(kGood, "ngram 2=1", "ngram 3=1")), HasSubstr("expected ngram 2"));
  EXPECT_THAT(arpa_error(replace(kGood, "ngram 2=1", "ngram 2=x")), HasSubstr("a number for the count"));
  EXPECT_THAT(arpa_error(replace(kGood, "-0.2\ta\t</s>", "-0.2\ta\t</s>\t-0.1")), HasSubstr("4 fields"));
  EXPECT_THAT(arpa_error("\\data\\\nngram 1=1\nngram 2=0\nngram 3=0\nngram 4=0\nngram 5=0\nngram 6=0\n"),
              HasSubstr("at most 5"));
  EXPECT_THAT(arpa_error(replace(kGood, "-0.8\t</s>", "-0.8\t" + std::string(2u << 20, 'x'))),
              HasSubstr("line longer than"));
}

TEST(ArpaReader, ReadsGzipAndPlainFiles) {
  NgramSet set = testing::parse_arpa(kGood);
  TempPath gz("m.arpa.gz"), plain("m.arpa");
  write_arpa(set, gz.str());
  write_arpa(set, plain.str());
  for (const auto* p : {&gz, &plain}) {
    NgramSet back = read_arpa_file(p->str());
    EXPECT_EQ(back.vocab, set.vocab);
    EXPECT_EQ(back.levels[2].words, set.levels[2].words);
  }
  try {
    read_arpa_file("/nonexistent/x.arpa");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kIo);
  }
}

std::vector<std::vector<std::string>> corpus() {
  // Deterministic pseudo-English with enough repetition for 5-grams.
  const char* words[] = {"the", "cat", "sat", "on", "mat", "a", "dog", "ran", "to", "house", "big", "red", "and"};
  std::mt19937 rng(42);
  std::vector<std::vector<std::string>> out;
  for (int s = 0; s < 3000; ++s) {
    std::vector<std::string> sentence;
    const int len = 2 + rng() % 9;
    for (int i = 0; i < len; ++i) sentence.push_back(words[(rng() % 13 + (i ? 0 : rng() % 3)) % 13]);
    out.push_back(sentence);
  }
  return out;
}

class RoundTrip : public ::testing::TestWithParam<int> {};

TEST_P(RoundTrip, WriteArpaImportScoresEqual) {
  const int order = GetParam();
  KneserNeyBuilder builder(order);
  for (const auto& s : corpus()) builder.add_sentence(s);
  NgramSet original = builder.estimate();
  original.folds_case = true;
  TempPath arpa("rt.arpa"), ulm("rt.ulm");
  write_arpa(original, arpa.str());
  NgramSet imported = read_arpa_file(arpa.str());
  imported.unknown_log10 = imported.uni_prob[0];
  close_ngram_set(imported);
  write_ulm(imported, ulm.str());
  auto model = LanguageModel::open(ulm.str());
  EXPECT_EQ(model->order(), order);

  NgramSet closed_original = original;
  close_ngram_set(closed_original);
  NgramSetScorer reference(closed_original);
  std::mt19937 rng(order);
  double worst = 0;
  for (const auto& sentence : corpus()) {
    std::vector<WordId> ids;
    LmState state = model->begin_sentence(), next;
    ids.push_back(model->vocab_id("<s>"));
    for (std::size_t i = 0; i <= sentence.size(); ++i) {
      const WordId w = i < sentence.size() ? model->vocab_id(sentence[i]) : model->end_sentence_id();
      // Scores in the model must equal the estimator's (vocab ids coincide:
      // the ARPA lists words in id order).
      const double got = model->score(state, w, &next), want = reference.score(ids, w);
      worst = std::max(worst, std::abs(got - want));
      ids.push_back(w);
      state = next;
    }
  }
  // Floats are written in shortest round-trip form, so the error is 0.
  EXPECT_LE(worst, 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Orders, RoundTrip, ::testing::Values(4, 5));

}  // namespace
}  // namespace unspin::lm
