#include "decode/fitted_params.h"

#include <stdexcept>
#include <utility>

#include "decode/model_parts.h"
#include "unspin/error.h"

namespace unspin::decode {
namespace {

// Knots (x, y) stored flattened.
std::vector<std::pair<double, double>> knots(const fitted::Bundle& bundle, const std::string& name) {
  const std::vector<double>& v = bundle.values(name);
  if (v.size() % 2 != 0) {
    throw Error(ErrorCode::kBadModel, bundle.path() + ": values " + name + " are not (x, y) pairs; " +
                                          fitted::bundle_rebuild_hint(bundle.path()));
  }
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < v.size(); i += 2) out.emplace_back(v[i], v[i + 1]);
  return out;
}

DetectionCalibration detection(const fitted::Bundle& bundle, const std::string& name) {
  const std::vector<double>& v = bundle.values(name, 4);  // scale, bias, log_words, threshold
  DetectionCalibration c;
  c.scale = v[0];
  c.bias = v[1];
  c.log_words = v[2];
  c.threshold = v[3];
  c.null_median = knots(bundle, name + ".null_median");
  c.null_spread = knots(bundle, name + ".null_spread");
  return c;
}

template <std::size_t N>
std::array<double, N> fixed(const fitted::Bundle& bundle, const std::string& name) {
  const std::vector<double>& v = bundle.values(name, static_cast<long>(N));
  std::array<double, N> out;
  std::copy(v.begin(), v.end(), out.begin());
  return out;
}

DecoderParams decoder_params(const fitted::Bundle& bundle) {
  DecoderParams p;
  SpinnerModelParams& m = p.model;
  const std::vector<double>& edit = bundle.values("decoder.edit", 2);
  m.edit_scale = edit[0];
  m.edit_bias = edit[1];
  const std::vector<double>& user_edit = bundle.values("decoder.user_edit", 2);
  m.user_edit_scale = user_edit[0];
  m.user_edit_bias = user_edit[1];
  m.edit_curve = knots(bundle, "decoder.edit_curve");
  m.user_edit_curve = knots(bundle, "decoder.user_edit_curve");
  m.detection = detection(bundle, "decoder.detection");
  m.user_detection = detection(bundle, "decoder.user_detection");
  m.learned_edit_weights = fixed<6>(bundle, "site.learned_edit_weights");
  m.site_generic_edit_weights = fixed<3>(bundle, "site.generic_edit_weights");
  return p;
}

}  // namespace

FittedParams::FittedParams(std::shared_ptr<const fitted::Bundle> b, bool is_calibrated)
    : bundle(std::move(b)),
      word_model(bundle->trees("word_model", detect::kWordFeatures)),
      detector(detect::DetectorParams::from_bundle(*bundle)),
      site_prior(&bundle->trees("site_prior", kLearnFeatures)),
      decoder(decoder_params(*bundle)),
      unlisted(listed::UnlistedWeights::from_values(
          bundle->values("unlisted.weights", static_cast<long>(listed::UnlistedWeights::kCount)))),
      calibrated(is_calibrated) {}

const FittedParams& fitted_of(const Models& models) {
  if (!models.parts || !models.parts->fitted) {
    throw Error(ErrorCode::kInternal, "these models were put together without a model bundle (Models::load reads one)");
  }
  return *models.parts->fitted;
}

}  // namespace unspin::decode
