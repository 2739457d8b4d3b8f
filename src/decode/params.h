// Parameters of the decoder: the spinner model's priors and calibration
// (decode/spinner_model.h). Fitted on the BUILD part of the corpora, never
// the eval part, by `unspin eval fit` (docs/EVALUATION.md); the command, the
// data and the fitted figures are recorded in bench/RESULTS.md. Current
// values (spinner_model.h defaults): `unspin eval fit --docs 8` on 532
// build-part documents (all four styles, rates 0.05-1.0), 2026-11-30.
#pragma once

#include <cmath>

#include "decode/spinner_model.h"

namespace unspin::decode {

struct DecoderParams {
  SpinnerModelParams model;
  // Calibrated verdict threshold (RestoreOptions::verdict_threshold < 0).
  double verdict_threshold = 0.69979;
};

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace unspin::decode
