// The beam search is checked against exhaustive search (RE2-style tester):
// on short random sentences with random lattices, a wide beam must find
// exactly the best path, and the default beam must too on these sizes.
#include "decode/viterbi.h"

#include <gtest/gtest.h>

#include <random>

#include "decode/channel.h"
#include "decode/testing_fakes.h"

namespace unspin::decode {
namespace {

using unspin::testing::FakeBigramLm;
using unspin::testing::FakeLexicon;

const std::vector<std::string> kVocab = {"the", "firm", "company", "chief", "govt", "executive",
                                         "said", "stated", "costs", "prices", "rose", "went", "up",
                                         "sharp", "pointy", "increase", "enhance", "in", "order",
                                         "to", "so", "as"};

struct World {
  FakeBigramLm lm{kVocab};
  LexiconStack lexicons;
};

std::unique_ptr<World> random_world(std::mt19937& rng) {
  auto world = std::make_unique<World>();
  std::uniform_real_distribution<float> logp(-4.0f, -0.2f);
  for (const auto& a : kVocab) {
    world->lm.set_unigram(a, logp(rng));
    for (const auto& b : kVocab) {
      if (rng() % 3 == 0) world->lm.set(a, b, logp(rng));
    }
  }
  auto lexicon = std::make_unique<FakeLexicon>();
  std::uniform_int_distribution<std::size_t> pick(0, kVocab.size() - 1);
  std::uniform_real_distribution<float> prior(0.05f, 1.0f);
  for (int i = 0; i < 40; ++i) {
    std::string spun = kVocab[pick(rng)];
    if (rng() % 4 == 0) spun += " " + kVocab[pick(rng)];
    std::string original = kVocab[pick(rng)];
    if (rng() % 4 == 0) original += " " + kVocab[pick(rng)];
    lexicon->add(spun, original, prior(rng));
  }
  world->lexicons.add(std::move(lexicon));
  return world;
}

TEST(Viterbi, MatchesBruteForceOnRandomSentences) {
  std::mt19937 rng(12345);
  int compared = 0;
  for (int trial = 0; trial < 300; ++trial) {
    auto world = random_world(rng);
    std::string text;
    const int length = 2 + static_cast<int>(rng() % 6);
    for (int i = 0; i < length; ++i) {
      if (i) text += ' ';
      text += kVocab[rng() % kVocab.size()];
    }
    TokenizedText tokens = tokenize(text);
    std::vector<Sentence> sentences = build_sentences(tokens, world->lm);
    ASSERT_EQ(sentences.size(), 1u) << text;
    LatticeOptions options;
    options.min_local_gain = -100;
    Lattice lattice = build_lattice(sentences[0], world->lexicons, world->lm, options);
    ChannelParams params;
    params.frequency_discount = 0.3;
    ChannelModel(params).score(lattice, world->lm);
    Path exact = brute_force_best_path(sentences[0], lattice, world->lm);
    Path wide = best_path(sentences[0], lattice, world->lm, 1 << 20);
    Path narrow = best_path(sentences[0], lattice, world->lm, 8);
    EXPECT_NEAR(wide.score, exact.score, 1e-9) << text;
    EXPECT_NEAR(narrow.score, exact.score, 1e-9) << text;
    EXPECT_NEAR(score_path(sentences[0], lattice, world->lm, wide.steps), wide.score, 1e-9);
    ++compared;
  }
  EXPECT_EQ(compared, 300);
}

TEST(Viterbi, PrefersTheOriginalWhenTheLmStronglyDoes) {
  FakeBigramLm lm(kVocab);
  for (const auto& w : kVocab) lm.set_unigram(w, -3.0f);
  lm.set("<s>", "the", -0.5f);
  lm.set("the", "chief", -1.0f);
  lm.set("chief", "executive", -0.3f);
  lm.set("executive", "said", -0.5f);
  lm.set("said", "</s>", -0.5f);
  auto lexicon = std::make_unique<FakeLexicon>();
  lexicon->add("govt", "executive", 0.5f);
  lexicon->add("stated", "said", 0.8f);
  LexiconStack lexicons;
  lexicons.add(std::move(lexicon));
  TokenizedText tokens = tokenize("The chief govt stated");
  auto sentences = build_sentences(tokens, lm);
  Lattice lattice = build_lattice(sentences[0], lexicons, lm, LatticeOptions{});
  ChannelModel(ChannelParams{}).score(lattice, lm);
  Path path = best_path(sentences[0], lattice, lm, 8);
  ASSERT_EQ(path.steps.size(), 4u);
  EXPECT_LT(path.steps[0].arc, 0);
  EXPECT_LT(path.steps[1].arc, 0);
  ASSERT_GE(path.steps[2].arc, 0);
  EXPECT_EQ(lattice.arcs_from[2][path.steps[2].arc].original, "executive");
  ASSERT_GE(path.steps[3].arc, 0);
  EXPECT_EQ(lattice.arcs_from[3][path.steps[3].arc].original, "said");
}

}  // namespace
}  // namespace unspin::decode
