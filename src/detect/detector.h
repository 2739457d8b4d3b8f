// The document detector: P(spun | text) from candidate-free evidence
// (detect/evidence.h) and, when the decoder ran, the spinner model's Bayes
// factor. A model one can write down:
//
//   log LR(text) = w . phi(text)        (a logistic model over a handful of
//                                         features, length as a covariate)
//   P(spun | text) = sigmoid(log LR + logit(base_rate))
//
// w is fitted by `unspin-eval eval detect --fit` on the build part of every genre,
// clean against simulated spinning of every style, weighted to a 1:1 mix, so
// that w . phi is the log likelihood ratio of "spun" against "clean" and the
// base rate enters only through its prior odds (docs/ARCHITECTURE.md, "The
// document detector"; the data and figures in src/detect/params.h).
//
// Two models share the features: the screen (candidate-free evidence only:
// one LM query per word) and the full model (the same plus the decoder's
// evidence). A document whose screen probability is below the screen's
// pass threshold is called clean without decoding.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "detect/evidence.h"

namespace unspin::fitted {
class Bundle;  // fitted/bundle.h
}  // namespace unspin::fitted

namespace unspin::detect {

// phi(text): the features of the logistic model, in this order.
enum Feature : int {
  kBias,
  kLength,          // log10(words / 300)
  kUnseenCommon,    // share of pairs of common words the LM never saw
  kUnseenExcess,    // unseen pairs beyond the clean rate of their frequency classes, per pair
  kUnseenTriples,   // share of common-word triples (both bigrams seen) whose trigram is unseen
  kLowGain,         // share of words their context makes >= 10x less likely
  kTail,            // share of words with log10 P(w | context) < -5
  kMeanLog10,       // mean log10 P(w | context)
  kOov,             // share of lowercase words the LM does not know
  kRare,            // share of words with log10 P(w) < -5.5
  kMissingTop,      // expected count of the top words never written, per 100 words, minus its clean expectation
  kWordLlr,         // the per-word mixture's log likelihood ratio (below), per 100 words
  kWordLlrTotal,    // the same, in total (evidence grows with length), scaled by 1/10
  kScreenFeatures,  // (count) the screen's features end here; interactions with length follow
};

// The screen's features with their length interactions: kScreenFeatures +
// (kScreenFeatures - 2) values; the full model adds the decoder's evidence.
inline constexpr std::size_t kScreenDims = kScreenFeatures + (kScreenFeatures - 2);
inline constexpr std::size_t kFullDims = kScreenDims + 2;  // + null z of log10 BF, and its length interaction

struct DetectorParams {
  std::vector<double> screen;  // kScreenDims weights
  std::vector<double> full;    // kFullDims weights
  // Clean-text rate of unseen pairs by frequency-class cell (kClasses^2).
  std::vector<double> clean_unseen_rate;
  // (The per-word model, a spun document as a mixture in which a share r of
  // the words was written by a substitution, each word with its likelihood
  // ratio LR(x), is detect/word_model.h: LLR = log mean_r prod_words
  // (1 - r + r LR(x)), r over kMixtureRates, independent of any candidate
  // original; it is fitted apart, harness/fit/fit_word_model.py.)
  // Clean expectation of kMissingTop's raw value, as a function of words:
  // a + b log10(words) (the chance a top word is absent falls with length).
  double missing_a = 0, missing_b = 0;
  // A document whose screen probability (at the base rate) is below this is
  // called clean by the screen alone.
  double screen_pass = 0.02;
  // The model bundle's "detector.*" values (read by src/detect/params.cpp). Throws
  // Error(kBadModel) when one is missing.
  static DetectorParams from_bundle(const fitted::Bundle& bundle);
};

class Detector {
 public:
  Detector(const EvidenceModel& model, DetectorParams params);

  // phi(text) of the screen; `null_z` (the decoder's evidence against clean
  // text of the same length) extends it to the full model's.
  std::vector<double> features(const EvidenceCounts& counts) const;
  std::vector<double> full_features(const EvidenceCounts& counts, double null_z) const;

  double screen_log_lr(const EvidenceCounts& counts) const;
  double full_log_lr(const EvidenceCounts& counts, double null_z) const;

  const DetectorParams& params() const { return params_; }
  const EvidenceModel& evidence() const { return model_; }

 private:
  const EvidenceModel& model_;
  DetectorParams params_;
  // Made once from the model, the very values features() would compute per
  // call (the screen calls features() for every window and paragraph):
  // 10^log10 P(w) of the top words.
  std::vector<double> top_unigram_;
};

// The per-word mixture's log likelihood ratio of counts (natural log):
// log mean_r prod_words (1 - r + r LR(word)), r over kMixtureRates.
double word_mixture_llr(const EvidenceCounts& counts);

// P(spun | text) at `base_rate` from the log likelihood ratio.
double probability(double log_lr, double base_rate);
// log(p / (1 - p)), clamped away from 0 and 1.
double logit(double p);

}  // namespace unspin::detect
