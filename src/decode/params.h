// Parameters of the decoder: the channel's costs, the edit model (a logistic
// regression over each chosen edit's evidence) and the detection model (a
// logistic regression over document-level evidence). The weights are fitted
// on the BUILD part of the corpora, never the eval part, by
// `unspin eval fit --docs 25` (docs/EVALUATION.md): 1,019 build-part documents
// (lengths 100/300/800 words, clean and spun by the three simulated styles at
// rates 0.05-0.8, seeds from 1000): 594,895 candidate edits (every lattice
// arc) of which 5,316 right; verdict threshold 0.86 (RestoreOptions).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>

namespace unspin::decode {

struct ChannelParams {
  // log10 cost of one substitution: edit_bias + adapt_weight * log10(r / (1 - r))
  // for the spinner's substitution rate r; the first pass assumes prior_spin_rate.
  // The first pass is permissive (a high assumed rate) so that the edit model
  // sees every substitution the LM favours; adaptation then tightens it.
  double edit_bias = -0.4;
  double prior_spin_rate = 0.2;
  // Weight of log10(lexicon prior), and of -log10(number of candidates for the span).
  double prior_weight = 1.0;
  double alternatives_weight = 1.0;
  // log10 bonus per word the original adds over the spun span: without it,
  // every word a phrase loses is an LM factor saved, and the search would
  // shorten text for free (the word insertion penalty of speech decoders).
  double length_bonus = 2.0;
  // Share of the unigram frequency gain the channel takes back: spinners pick
  // rarer words, but clean writers also use rare words, so the LM's raw
  // preference for the commoner synonym is not evidence by itself.
  // 0: the edit model weighs frequency gain itself (EditFeature kFrequencyGain).
  double frequency_discount = 0.0;
  // Adaptation: how strongly the document's estimated spin odds move the
  // substitution cost, and the bonus for a pair the document repeats.
  double adapt_weight = 1.0;
  double repeat_bonus = 0.5;
  double min_spin_rate = 0.002, max_spin_rate = 0.5;
};

// Evidence for one chosen edit. Index names are the contract between the
// decoder and the fitted weights.
enum EditFeature : std::size_t {
  kBias,
  kMargin,          // on the path: log10 path gain over keeping the span (capped at 8)
  kAltGap,          // on the path: log10 path gain over the best other original (capped at 5)
  kLocalGain,       // log10 LM gain in the written context
  kFrequencyGain,   // unigram log10 P(original) - P(spun)
  kLogPrior,        // log10 lexicon prior
  kSpunUnknown,     // the spun words include an LM-unknown word
  kLengthChange,    // |words(original) - words(spun)|
  kDocSpinLogit,    // log10 odds of the document's suspicious-word rate (DocumentState)
  kPairRepeats,     // log2 of how often the document makes this same edit
  kOriginalInDoc,   // the original occurs as written elsewhere in the document
  kFromParaphrase,  // proposed by the curated paraphrase table
  kFromWordNet,     // proposed by WordNet synonymy
  kLogAlternatives, // log10 of how many candidates the lexicon listed for the span
  kOnPath,          // the joint search chose this arc
  kGainLead,        // local gain minus the best other arc's for the same span
  kEditFeatureCount
};
using EditFeatures = std::array<double, kEditFeatureCount>;

enum DetectionFeature : std::size_t {
  kDetBias,
  kDetSpinLogit,     // log odds (natural) of the estimated spin rate
  kDetGainPerWord,   // summed margins of applied edits / words
  kDetEditsPerWord,  // applied edits / words
  kDetMeanConfidence,
  kDetLogWords,      // log10 of the document's word count
  kDetFirstPassLogit,  // log odds of the permissive first pass's rate (before adaptation)
  kDetTopMargins,    // mean of the five largest edit margins (log10), 0 for missing ones
  kDetSuspiciousLogit,  // log odds of the suspicious-word rate (model-free)
  kDetectionFeatureCount
};
using DetectionFeatures = std::array<double, kDetectionFeatureCount>;

struct DecoderParams {
  ChannelParams channel;
  // P(edit right) = sigmoid(edit_weights . features).
  EditFeatures edit_weights = {-3.846, -0.4907, 0.2667, 0.778, 0.005098, 2.011, 0, -0.04437,
                               3.848, 0.2155, 0.6334, 1.179, 0.2949, 0.8195, 0.002883, 0.2574};
  // P(document spun) = sigmoid(detection_weights . features).
  DetectionFeatures detection_weights = {3.946, 1.746, 9.043, 6.204, 2.554, -0.3673, -1.1, -0.03526, -0.04632};
};

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

template <std::size_t N>
double dot(const std::array<double, N>& a, const std::array<double, N>& b) {
  double s = 0;
  for (std::size_t i = 0; i < N; ++i) s += a[i] * b[i];
  return s;
}

}  // namespace unspin::decode
