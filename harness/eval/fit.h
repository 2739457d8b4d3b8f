// Fitting the spinner model's calibration (edits and documents) on simulated spinning
// of the BUILD part of the corpora (never the eval part). The output is the
// weights to ship in src/decode/params.h, with the figures they reach on
// the data they were fitted on (the honest figures come from `unspin-eval eval`).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "decode/params.h"
#include "eval/corpus.h"
#include "eval/spinner.h"
#include "unspin/restore.h"

namespace unspin::eval {

struct FitConfig {
  std::vector<SpinStyle> styles{SpinStyle::kThesaurus, SpinStyle::kPhrase, SpinStyle::kTortured, SpinStyle::kTable};
  std::vector<double> rates{0.05, 0.1, 0.2, 0.4, 0.8, 1.0};
  std::vector<std::size_t> lengths{100, 300, 1000, 3000};
  std::size_t docs = 40;        // excerpts per length, each clean and spun
  std::size_t clean_docs = 80;  // further excerpts per length, clean only
  std::uint64_t seed = 1000;    // distinct from the evaluation's seeds
  double l2 = 0.01;
  std::vector<double> prior_shifts{-1.0, 0.0, 1.0};  // relative to SpinnerModelParams defaults
  bool calibrate_only = false;  // --calibrate-only: keep the shipped priors, refit the calibrations  // added to every
                                // non-user log10 prior
  std::vector<double> temperatures{0.5, 0.7, 1.0};
};

struct FitDetection {
  decode::DetectionCalibration calibration;
  std::size_t samples = 0, positives = 0;
  double log_loss = 0, recall_at_threshold = 0, clean_flagged_share = 0;
};

struct FitResult {
  // The LM channel's fitted likelihood ratio (see fit_decoder).
  std::size_t channel_samples = 0, channel_positives = 0;
  double channel_temperature = 0, channel_offset = 0;
  FitDetection detection, user_detection;
  double log_active_paraphrase = 0, log_active_wordnet = 0, log_active_other = 0, lm_temperature = 1;
  double edit_scale = 1, edit_bias = 0;  // SpinnerModelParams
  double user_edit_scale = 1, user_edit_bias = 0;
  std::vector<std::pair<double, double>> edit_curve, user_edit_curve;  // isotonic (raw, P(right))
  // Recall at precision >= 0.95 and <= 0.5 clean false edits per 1k tokens,
  // and the calibrated confidence there, without and with the table given.
  double recall_default = 0, threshold_default = 1, recall_table = 0, threshold_table = 1;
  std::size_t edit_samples = 0, edit_positives = 0;
  double edit_log_loss = 0;
  std::string summary() const;  // weights as C++ initialisers, plus the counts
};

// Logistic regression by Newton's method with an L2 penalty (not on the bias).
// rows: feature vectors (first feature is the constant 1); labels 0/1;
// weights: per-sample weights (empty = all 1).
std::vector<double> fit_logistic(const std::vector<std::vector<double>>& rows, const std::vector<int>& labels,
                                 const std::vector<double>& weights, double l2, double* log_loss);

// `table_models`: the default models plus the table style's groups as a user
// lexicon (the "table given" case), or nullptr.
FitResult fit_decoder(const Models& models, const Models* table_models, const SpinnerData& spinner_data,
                      const std::vector<CorpusDoc>& build_docs, const FitConfig& config,
                      const std::function<void(const std::string&)>& log);

}  // namespace unspin::eval
