// Candidate-free evidence about a document: what a context-blind spinner
// leaves in a text whatever its table, measured with one LM query per word.
//
// A spinner replaces words and phrases without looking at their neighbours,
// so at every substitution it writes word pairs that clean English (the LM's
// training text) almost never joins ("secretary normal", "navy cooperation"),
// and it takes away every occurrence of the common words its table knows
// ("said" in news). None of this needs the original to be a candidate of the
// lexicon, which is what limits the spinner model's Bayes factor.
//
// The counts are additive: the evidence of a text is the sum of the evidence
// of its parts (paragraphs, windows), so a caller may split and merge freely.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "unspin/lm.h"
#include "unspin/text.h"

namespace unspin::detect {

// Frequency class of a word: 0 for out-of-vocabulary, else
// clamp(floor(-log10 P_unigram(w)), 1, kClasses - 1).
inline constexpr int kClasses = 8;

// Every scored word falls in one bin of what the LM says about it in its
// context: how far the context moves its probability (log10 P(w | context) -
// log10 P(w), 12 bins), the longest n-gram the LM holds for it (3), how common
// the word and the word before it are (5 x 5) and whether it is written like a name (2); plus one bin for
// lowercase words the LM does not know. The detector's per-word likelihood
// ratios are defined on these bins (detect/detector.h).
inline constexpr int kGainBins = 12;
inline constexpr int kFreqGroups = 5;
inline constexpr int kBins = kGainBins * 3 * kFreqGroups * kFreqGroups * 2 + 1;
inline constexpr int kOovBin = kBins - 1;

// One position where the LM never saw the written pair of common words: the
// raw material of "unusual wording" review spans.
struct UnusualPair {
  std::uint32_t first_token, second_token;  // indices into TokenizedText::tokens
};

struct EvidenceCounts {
  std::uint32_t words = 0;         // word tokens
  std::uint32_t known = 0;         // of them, in the LM's vocabulary
  std::uint32_t oov_lower = 0;     // lowercase words the LM does not know (names excluded)
  std::uint32_t pairs = 0;         // adjacent known words of one sentence (the second scored)
  std::uint32_t unseen_pairs = 0;  // of them, bigrams the LM does not hold
  // Pairs by the frequency classes of their two words, and how many of each
  // the LM never saw: the clean-text rate of unseen pairs depends on how
  // common the words are, so the screen compares like with like.
  std::array<std::uint32_t, kClasses * kClasses> pairs_by_class{};
  std::array<std::uint32_t, kClasses * kClasses> unseen_by_class{};
  std::uint32_t common_pairs = 0;   // pairs of two common words (class <= kCommonClass)
  std::uint32_t unseen_common = 0;  // of them, unseen bigrams
  std::uint32_t common_triples = 0;   // three adjacent common words whose two bigrams the LM holds
  std::uint32_t unseen_triples = 0;   // of them, trigrams the LM does not hold
  std::uint32_t low_gain = 0;       // known words the context makes >= 10x less likely than alone
  std::uint32_t tail = 0;           // known words with log10 P(w | context) < -5
  std::uint32_t rare = 0;           // known words with log10 P(w) < -5.5
  double sum_log10 = 0;             // sum of log10 P(w | context) over known words
  // Occurrences of the LM's most frequent words, by rank: the writer's
  // commonest words go missing when a table replaces them everywhere.
  std::array<std::uint16_t, 256> top_counts{};
  // Scored words by bin (see kBins).
  std::array<std::uint32_t, kBins> bins{};

  void add(const EvidenceCounts& other);
};

// The LM facts the screen needs per word, precomputed once per model.
class EvidenceModel {
 public:
  // The words whose occurrences are counted (top_counts), by unigram probability.
  static constexpr std::size_t kTopWords = 256;
  // A word of this class or lower is "common" (log10 P(w) >= -kCommonClass - 1).
  static constexpr int kCommonClass = 4;

  explicit EvidenceModel(const LanguageModel& lm);

  // Adds the evidence of tokens [begin, end) of `text` (whole sentences are
  // best: the LM context starts at the first token and at sentence starts).
  // `unusual`, when given, receives the unseen common pairs.
  // `positions`, when given, receives (token index, bin) of every scored word.
  void count(const TokenizedText& text, std::size_t begin, std::size_t end, EvidenceCounts& counts,
             std::vector<UnusualPair>* unusual = nullptr,
             std::vector<std::pair<std::uint32_t, std::uint16_t>>* positions = nullptr) const;

  const LanguageModel& lm() const { return lm_; }
  int word_class(WordId id) const { return id < classes_.size() ? classes_[id] : 0; }
  float unigram_log10(WordId id) const { return id < unigram_.size() ? unigram_[id] : lm_.unknown_log10(); }
  // log10 P(w) of the top words, by rank (the expected share of each in clean text).
  const std::vector<float>& top_unigram_log10() const { return top_log10_; }

 private:
  const LanguageModel& lm_;
  std::vector<std::uint8_t> classes_;   // by WordId
  std::vector<float> unigram_;          // by WordId
  std::vector<std::int16_t> top_rank_;  // by WordId: rank among the top words, or -1
  std::vector<float> top_log10_;
};

}  // namespace unspin::detect
