#include "detect/detector.h"

#include <algorithm>
#include <cmath>

namespace unspin::detect {

double logit(double p) {
  p = std::clamp(p, 1e-9, 1 - 1e-9);
  return std::log(p / (1 - p));
}

double probability(double log_lr, double base_rate) {
  const double z = log_lr + logit(base_rate);
  return 1.0 / (1.0 + std::exp(-z));
}

double word_mixture_llr(const EvidenceCounts& c) {
  double best = -1e300;
  for (double t : c.mixture) best = std::max(best, t);
  double total = 0;
  for (double t : c.mixture) total += std::exp(t - best);
  return best + std::log(total / static_cast<double>(kMixtureTerms));
}

Detector::Detector(const EvidenceModel& model, DetectorParams params) : model_(model), params_(std::move(params)) {
  for (const float lp : model_.top_unigram_log10()) top_unigram_.push_back(std::pow(10.0, lp));
}

std::vector<double> Detector::features(const EvidenceCounts& c) const {
  std::vector<double> x(kScreenDims, 0.0);
  const auto share = [](double n, double of) { return of > 0 ? n / of : 0.0; };
  const double words = std::max<double>(c.words, 1);
  const double length = std::log10(words / 300.0);
  x[kBias] = 1;
  x[kLength] = length;
  x[kUnseenCommon] = share(c.unseen_common, c.common_pairs);
  double expected = 0;
  if (params_.clean_unseen_rate.size() == c.pairs_by_class.size()) {
    for (std::size_t cell = 0; cell < c.pairs_by_class.size(); ++cell) {
      expected += c.pairs_by_class[cell] * params_.clean_unseen_rate[cell];
    }
  }
  x[kUnseenExcess] = share(c.unseen_pairs - expected, c.pairs);
  x[kUnseenTriples] = share(c.unseen_triples, c.common_triples);
  x[kLowGain] = share(c.low_gain, c.known);
  x[kTail] = share(c.tail, c.known);
  x[kMeanLog10] = c.known ? c.sum_log10 / c.known : 0.0;
  x[kOov] = share(c.oov_lower, c.words);
  x[kRare] = share(c.rare, c.known);
  const std::vector<float>& top = model_.top_unigram_log10();
  double missing = 0;
  for (std::size_t r = 0; r < top.size() && r < c.top_counts.size(); ++r) {
    if (c.top_counts[r] == 0) missing += top_unigram_[r];
  }
  x[kMissingTop] = 100.0 * missing - (params_.missing_a + params_.missing_b * std::log10(words));
  const double llr = word_mixture_llr(c);
  x[kWordLlr] = 100.0 * llr / words;
  x[kWordLlrTotal] = llr / 10.0;
  for (int k = kUnseenCommon; k < kScreenFeatures; ++k) x[kScreenFeatures + (k - kUnseenCommon)] = x[k] * length;
  return x;
}

std::vector<double> Detector::full_features(const EvidenceCounts& c, double null_z) const {
  std::vector<double> x = features(c);
  const double z = std::clamp(null_z, -50.0, 50.0);
  x.push_back(z);
  x.push_back(z * x[kLength]);
  return x;
}

namespace {
double dot(const std::vector<double>& w, const std::vector<double>& x) {
  double z = 0;
  for (std::size_t i = 0; i < w.size() && i < x.size(); ++i) z += w[i] * x[i];
  return z;
}
}  // namespace

double Detector::screen_log_lr(const EvidenceCounts& c) const { return dot(params_.screen, features(c)); }
double Detector::full_log_lr(const EvidenceCounts& c, double null_z) const {
  return dot(params_.full, full_features(c, null_z));
}

}  // namespace unspin::detect
