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
// (harness/fit/fit_word_model.py, build part; the trees are committed as
// word_model_data.cpp). Facts are quantized before the trees see them, so
// that the model knows how common a word is and how its context treats it,
// not which word it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

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

// One node of the flattened trees: an inner node sends x left when
// x[feature] <= threshold; a leaf (feature < 0) holds its value.
struct WordTreeNode {
  std::int16_t feature;
  float threshold;
  std::uint32_t left, right;
  float value;
};

class WordModel {
 public:
  // `nodes` holds every tree; `roots` the index of each tree's root. Throws
  // std::invalid_argument when a child index or feature is out of range.
  WordModel(double baseline, const WordTreeNode* nodes, std::size_t node_count, const std::uint32_t* roots,
            std::size_t tree_count);

  // The committed fit (word_model_data.cpp).
  static const WordModel& fitted();

  // log LR of quantized facts, bounded to [-kMaxLogLr, kMaxLogLr]: no single
  // word decides a document.
  double log_lr(const float x[kWordFeatures]) const;
  // The same for n rows of kWordFeatures facts each (row-major), several
  // rows at a time: their walks down a tree are independent, so the
  // processor overlaps them (the screen's main cost).
  void log_lr_batch(const float* rows, std::size_t n, double* out) const;
  static constexpr double kMaxLogLr = 5.0;

  std::size_t trees() const { return roots_.size(); }
  std::size_t nodes() const { return steps_.size(); }

 private:
  // One node as a walk reads it, in 8 bytes: go to `first child + (x[feature]
  // > threshold)`. A leaf is its own first child with an infinite threshold,
  // so that a walk of a tree's depth ends on the leaf whatever the path's length.
  struct Step {
    float threshold;
    std::uint32_t child_and_feature;  // first child << 4 | feature
  };
  double baseline_;
  std::vector<Step> steps_;
  std::vector<float> leaf_value_;  // by node (0 for inner nodes)
  std::vector<std::uint32_t> roots_;
  std::vector<std::uint32_t> depths_;  // of each tree
};

}  // namespace unspin::detect
