// The detector's per-word likelihood ratio (docs/ARCHITECTURE.md, "The
// document detector"):
//
//   log LR(x) = log P(x | the word was written by a substitution)
//             - log P(x | clean text)
//
// over facts x that the LM and the default lexicon give about a scored word
// and its scored neighbours in the sentence (WordFeature). It is estimated as
// the log odds of boosted regression trees that tell substituted words of
// simulated spinning from the words of clean text, weighted 1:1
// (harness/fit/fit_word_model.py, build part; the trees are the model
// bundle's section "word_model", docs/LM.md). Facts are quantized before the trees see them, so
// that the model knows how common a word is and how its context treats it,
// not which word it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "fitted/trees.h"

namespace unspin::detect {

// The facts of one scored word, in the order the trees index them.
enum WordFeature : int {
  kFeatLog10P,           // log10 P(w | context); 0 for a word the LM does not know
  kFeatUnigram,          // log10 P(w)
  kFeatGain,             // log10 P(w | context) - log10 P(w)
  kFeatMatched,          // the longest n-gram order the LM holds (0: unknown word)
  kFeatName,             // written like a name (capitalised inside a sentence, or all caps)
  kFeatLexicon,          // the default lexicon knows w as a form a spinner may write
  kFeatSynonymGain,      // log10 P(o) - log10 P(w) for the commonest one-word original o it lists (kNoSynonym: none)
  kFeatCandidates,       // log(1 + the lexicon's candidate originals of w)
  kFeatSentenceStart,    // w starts a sentence
  kFeatNextGain,         // of the next scored word of the sentence (0 when none)
  kFeatNextMatched,      // (3 when none)
  kFeatNextLog10P,       // (0 when none)
  kFeatNextSynonymGain,  // (kNoSynonym when none)
  kFeatPreviousUnigram,  // of the previous scored word of the sentence (0 when none)
  kFeatPreviousSynonymGain,  // (kNoSynonym when none)
  kFeatNextUnigram,          // (0 when none)
  kWordFeatures
};

inline constexpr float kNoSynonym = -99.0f;
// log10 facts are rounded to multiples of this (to even at halves); the
// candidate count's log to halves.
inline constexpr float kWordQuantum = 0.25f;

// Rounds the facts as the fit did (harness/fit/fit_word_model.py).
void quantize_word_features(float x[kWordFeatures]);

class WordModel {
 public:
  // The model bundle's "word_model" trees (fitted/bundle.h), which must
  // outlive this view; they read kWordFeatures quantized facts.
  explicit WordModel(const fitted::BoostedTrees& trees);

  // log LR of quantized facts, bounded to [-kMaxLogLr, kMaxLogLr]: no single
  // word decides a document.
  double log_lr(const float x[kWordFeatures]) const;
  // The same for n rows of kWordFeatures facts each (row-major), several
  // rows at a time (fitted::BoostedTrees::sum_batch: the screen's main cost).
  void log_lr_batch(const float* rows, std::size_t n, double* out) const;
  static constexpr double kMaxLogLr = 5.0;

  std::size_t trees() const { return trees_->trees(); }
  std::size_t nodes() const { return trees_->nodes(); }

 private:
  const fitted::BoostedTrees* trees_;
};

}  // namespace unspin::detect
