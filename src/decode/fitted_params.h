// Every fitted parameter of the engine, read once from the model bundle
// (fitted/bundle.h; docs/LM.md, "The model bundle") when the models load,
// and reached through the models (Models::Parts::fitted).
#pragma once

#include <array>
#include <memory>
#include <string>

#include "decode/params.h"
#include "decode/site_counts.h"
#include "detect/detector.h"
#include "detect/word_model.h"
#include "fitted/bundle.h"
#include "listed/unlisted.h"

namespace unspin {
struct Models;

namespace decode {

struct FittedParams {
  // Owns the trees the views below read.
  std::shared_ptr<const fitted::Bundle> bundle;
  detect::WordModel word_model;            // section "word_model"
  detect::DetectorParams detector;         // "detector.*"
  const fitted::BoostedTrees* site_prior;  // "site_prior": decode::pair_prior
  DecoderParams decoder;                   // the spinner model's calibrations "decoder.*", "site.*"
  listed::UnlistedWeights unlisted;        // "unlisted.weights"
  // False when the bundle was fitted for other models and the run goes on
  // anyway (--uncalibrated): every result then says its score is not
  // calibrated (docs/SCHEMA.md "calibrated").
  bool calibrated = true;

  // Reads every parameter of `bundle`; throws Error(kBadModel) naming the
  // file when one is missing or of the wrong size.
  explicit FittedParams(std::shared_ptr<const fitted::Bundle> bundle, bool calibrated = true);
};

// The models' fitted parameters; throws Error(kBadModel) when the models were
// put together without a bundle.
const FittedParams& fitted_of(const Models& models);

}  // namespace decode
}  // namespace unspin
