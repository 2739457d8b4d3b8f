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
#include <iterator>
#include <string_view>
#include <vector>

#include "detect/word_model.h"
#include "unspin/lexicon.h"
#include "unspin/lm.h"
#include "unspin/text.h"

namespace unspin::detect {

// Frequency class of a word: 0 for out-of-vocabulary, else
// clamp(floor(-log10 P_unigram(w)), 1, kClasses - 1).
inline constexpr int kClasses = 8;

// The shares of words written by a substitution that the per-word mixture
// averages over (detect/detector.h word_mixture_llr).
inline constexpr double kMixtureRates[] = {0.01, 0.03, 0.1, 0.2, 0.35};
inline constexpr std::size_t kMixtureTerms = std::size(kMixtureRates);

// One position where the LM never saw the written pair of common words: the
// raw material of "unusual wording" review spans.
struct UnusualPair {
  std::uint32_t first_token, second_token;  // indices into TokenizedText::tokens
};

// One scored word as the LM saw it (development and harness use).
struct ScoredWord {
  std::uint32_t token = 0;   // index into TokenizedText::tokens
  std::uint8_t matched = 0;  // longest n-gram order the LM holds (0: out of vocabulary)
  bool name = false;         // written like a name
  WordId id = kUnknownWord;
  float log10_p = 0;  // log10 P(w | context) (0: out of vocabulary)
  float log_lr = 0;   // the word model's log LR (detect/word_model.h)
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
  std::uint32_t common_pairs = 0;    // pairs of two common words (class <= kCommonClass)
  std::uint32_t unseen_common = 0;   // of them, unseen bigrams
  std::uint32_t common_triples = 0;  // three adjacent common words whose two bigrams the LM holds
  std::uint32_t unseen_triples = 0;  // of them, trigrams the LM does not hold
  std::uint32_t low_gain = 0;        // known words the context makes >= 10x less likely than alone
  std::uint32_t tail = 0;            // known words with log10 P(w | context) < -5
  std::uint32_t rare = 0;            // known words with log10 P(w) < -5.5
  double sum_log10 = 0;              // sum of log10 P(w | context) over known words
  // Occurrences of the LM's most frequent words, by rank: the writer's
  // commonest words go missing when a table replaces them everywhere.
  std::array<std::uint16_t, 256> top_counts{};
  // The per-word mixture's terms: sum over scored words of
  // log(1 - r + r LR(word)), one for each r of kMixtureRates.
  std::array<double, kMixtureTerms> mixture{};
  double word_log_lr = 0;  // sum over scored words of log LR(word)

  void add(const EvidenceCounts& other);
};

// The LM facts the screen needs per word, precomputed once per model.
class EvidenceModel {
 public:
  // The words whose occurrences are counted (top_counts), by unigram probability.
  static constexpr std::size_t kTopWords = 256;
  // A word of this class or lower is "common" (log10 P(w) >= -kCommonClass - 1).
  static constexpr int kCommonClass = 4;

  // `lexicon`: the default lexicon (the spinner-output facts of the word
  // model; none: every word is unknown to it). `words`: the per-word model.
  EvidenceModel(const LanguageModel& lm, const Lexicon* lexicon, const WordModel& words);

  // Adds the evidence of tokens [begin, end) of `text` (whole sentences are
  // best: the LM context starts at the first token and at sentence starts).
  // `unusual`, when given, receives the unseen common pairs.
  // `positions`, when given, receives every scored word.
  void count(const TokenizedText& text, std::size_t begin, std::size_t end, EvidenceCounts& counts,
             std::vector<UnusualPair>* unusual = nullptr, std::vector<ScoredWord>* positions = nullptr) const;

  const LanguageModel& lm() const { return lm_; }
  const WordModel& word_model() const { return words_; }
  int word_class(WordId id) const { return id < classes_.size() ? classes_[id] : 0; }
  float unigram_log10(WordId id) const { return id < unigram_.size() ? unigram_[id] : lm_.unknown_log10(); }
  // log10 P(w) of the top words, by rank (the expected share of each in clean text).
  const std::vector<float>& top_unigram_log10() const { return top_log10_; }

 private:
  // The lexicon's facts of a word (detect/word_model.h kFeatLexicon..kFeatCandidates).
  struct LexicalFacts {
    float lexicon = 0, synonym_gain = kNoSynonym, candidates = 0;
  };
  LexicalFacts lexical_facts(std::string_view key, float unigram, std::vector<Candidate>& scratch) const;

  const LanguageModel& lm_;
  const Lexicon* lexicon_;
  WordModel words_;
  std::vector<LexicalFacts> lexical_;   // by WordId
  std::vector<std::uint8_t> classes_;   // by WordId
  std::vector<float> unigram_;          // by WordId
  std::vector<std::int16_t> top_rank_;  // by WordId: rank among the top words, or -1
  std::vector<float> top_log10_;
};

}  // namespace unspin::detect
