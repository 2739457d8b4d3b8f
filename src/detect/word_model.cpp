#include "detect/word_model.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <stdexcept>

namespace unspin::detect {

void quantize_word_features(float x[kWordFeatures]) {
  // std::nearbyint rounds halves to even in the default rounding mode, as numpy's rint.
  static constexpr int kLog10[] = {kFeatLog10P,          kFeatUnigram,         kFeatGain,
                                   kFeatSynonymGain,     kFeatNextGain,        kFeatNextLog10P,
                                   kFeatNextSynonymGain, kFeatPreviousUnigram, kFeatPreviousSynonymGain,
                                   kFeatNextUnigram};
  for (int k : kLog10) x[k] = std::nearbyint(x[k] / kWordQuantum) * kWordQuantum;
  x[kFeatCandidates] = std::nearbyint(x[kFeatCandidates] * 2.0f) / 2.0f;
}

WordModel::WordModel(const fitted::BoostedTrees& trees) : trees_(&trees) {
  if (trees.feature_count() != kWordFeatures) {
    throw std::invalid_argument("WordModel: trees of " + std::to_string(trees.feature_count()) + " features, not " +
                                std::to_string(kWordFeatures));
  }
}

double WordModel::log_lr(const float x[kWordFeatures]) const {
  return std::clamp(trees_->sum(x), -kMaxLogLr, kMaxLogLr);
}

void WordModel::log_lr_batch(const float* rows, std::size_t n, double* out) const {
  trees_->sum_batch(rows, n, kWordFeatures, out);
  for (std::size_t i = 0; i < n; ++i) out[i] = std::clamp(out[i], -kMaxLogLr, kMaxLogLr);
}

}  // namespace unspin::detect
