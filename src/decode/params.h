// Parameters of the decoder: the spinner model's priors and calibration
// (decode/spinner_model.h). Fitted on the BUILD part of the corpora, never
// the eval part, by `unspin-eval fit` (docs/EVALUATION.md); the command, the
// data and the fitted figures are recorded in bench/RESULTS.md. Current
// values (spinner_model.h defaults), 2026-11-30. Structure (prior scale, LM
// temperature): the grid of `unspin-eval fit` (prior shift x temperature,
// best geometric mean of the recall at precision >= 0.95 and <= 0.5 false
// edits per 1k clean tokens, with the default lexicon and with the table
// style's table given); over three refits the grid's differences stayed
// within their noise (default-lexicon recall 0.2-1.0% at every point, table
// given 34-40%), so the structure stays at the point first chosen.
// Edit calibration: `unspin-eval fit --docs 12 --calibrate-only` (lengths
// 100/300/800, sources brown-press, sotu, nlp-corpus; 2026-11-30): Platt per
// source over the edits a document can get (isotonic curves are fitted too,
// not shipped: see spinner_model.h). Refits with many more clean documents
// (--clean-docs 1000) lower the edit bias (-1.79 -> -3.51): the edit
// calibration depends on the share of clean text in the fitting mix, and
// stays at the news mix until edits are conditioned on the calibrated
// document score.
// Document calibrations (SpinnerModelParams::detection, user_detection):
// `unspin-eval fit --docs 12 --clean-docs 1000 --calibrate-only`, lengths
// 100/300/1000/3000, every genre of harness/eval/corpus.h kFitSources, 4,951
// documents (3,949 clean); null knots, logistic over z and log10 length, and
// the verdict threshold that at most 0.25% of clean fitting documents reach
// (0.228% reached it; without a table no spun fitting document reaches it,
// with the table style's table given 47.5%, every rate from 0.05). Refitted
// 2026-11-30 (session 4) when the bound on log10 BF went from 50 to 1e4: the
// old bound had cut the clean null's tail at 3,000 words (its p99 is 151,
// not 50) and the spun documents with it, and after the decoder's candidates
// became 8 per span ranked by frequency.
#pragma once

#include <cmath>

#include "decode/spinner_model.h"

namespace unspin::decode {

struct DecoderParams {
  SpinnerModelParams model;  // its DetectionCalibrations hold the verdict thresholds
};

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace unspin::decode
