// Parameters of the decoder: the spinner model's priors and calibration
// (decode/spinner_model.h). Fitted on the BUILD part of the corpora, never
// the eval part, by `unspin eval fit` (docs/EVALUATION.md); the command, the
// data and the fitted figures are recorded in bench/RESULTS.md. Current
// values (spinner_model.h defaults), 2026-11-30: `unspin eval fit --docs 12`
// on 808 build-part documents (lengths 100/300/800; all four styles at rates
// 0.05-1.0; clean excerpts), run once with the default lexicon and once with
// the table style's own groups given as a user lexicon. The grid (prior
// shift -1/0/+1 x LM temperature 0.5/0.7/1.0) keeps the setting with the
// highest geometric mean of the two runs' recall at precision >= 0.95 and
// <= 0.5 false edits per 1k clean tokens, then Platt-calibrates edits per
// source and the document score.
#pragma once

#include <cmath>

#include "decode/spinner_model.h"

namespace unspin::decode {

struct DecoderParams {
  SpinnerModelParams model;
  // Calibrated verdict threshold (RestoreOptions::verdict_threshold < 0).
  double verdict_threshold = 0.8075;
};

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace unspin::decode
