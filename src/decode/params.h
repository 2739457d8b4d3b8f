// Tunable parameters of the decoder's channel and calibration. Values are
// fitted on the BUILD part of the corpora (never the eval part) with
// `unspin eval calibrate`; see docs/EVALUATION.md.
#pragma once

namespace unspin::decode {

struct ChannelParams {
  // log10 cost of one substitution: edit_bias + adapt_weight * log10(r / (1 - r))
  // for the spinner's substitution rate r; the first pass assumes prior_spin_rate.
  double edit_bias = -1.5;
  double prior_spin_rate = 0.05;
  // Weight of log10(lexicon prior).
  double prior_weight = 1.0;
  // Share of the unigram frequency gain the channel takes back: spinners pick
  // rarer words, but clean writers also use rare words, so the LM's raw
  // preference for the commoner synonym is not evidence by itself.
  double frequency_discount = 0.5;
  // Adaptation: how strongly the document's estimated spin odds move the
  // substitution cost, and the bonus for a pair the document repeats.
  double adapt_weight = 1.0;
  double repeat_bonus = 0.5;
  double min_spin_rate = 0.002, max_spin_rate = 0.5;
};

struct ConfidenceParams {
  // P(edit right) = sigmoid(scale * margin + bias) * alt_share, where margin is
  // the log10 score gain over keeping the span and alt_share the share of the
  // best alternative original for the same span.
  double scale = 1.2;
  double bias = -2.0;
};

struct DetectionParams {
  // P(spun) = sigmoid(w_rate * logit(spin_rate) + w_gain * gain_per_word + bias).
  double w_rate = 1.5;
  double w_gain = 4.0;
  double bias = 6.0;
};

struct DecoderParams {
  ChannelParams channel;
  ConfidenceParams confidence;
  DetectionParams detection;
};

}  // namespace unspin::decode
