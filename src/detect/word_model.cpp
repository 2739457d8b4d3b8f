#include "detect/word_model.h"

#include <algorithm>
#include <cmath>
#include <limits>
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

WordModel::WordModel(double baseline, const WordTreeNode* nodes, std::size_t node_count, const std::uint32_t* roots,
                     std::size_t tree_count)
    : baseline_(baseline) {
  for (std::size_t i = 0; i < node_count; ++i) {
    const WordTreeNode& n = nodes[i];
    if (n.feature >= kWordFeatures || (n.feature >= 0 && (n.left >= node_count || n.right >= node_count))) {
      throw std::invalid_argument("WordModel: node " + std::to_string(i) + " is out of range");
    }
  }
  static_assert(kWordFeatures <= 16, "a Step packs the feature in 4 bits");
  // Lay every tree out again, breadth first, so that an inner node's two
  // children are neighbours (left, then right): a step of a walk is then
  // `at = left + (x > threshold)`, with no branch to mispredict.
  for (std::size_t t = 0; t < tree_count; ++t) {
    if (roots[t] >= node_count) throw std::invalid_argument("WordModel: a root is out of range");
    std::vector<std::pair<std::uint32_t, std::uint32_t>> queue{{roots[t], 0}};  // (given index, depth)
    const std::size_t first = steps_.size();
    roots_.push_back(static_cast<std::uint32_t>(first));
    std::uint32_t depth = 0;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      if (queue.size() > node_count) throw std::invalid_argument("WordModel: a tree with a cycle");
      const auto [given, d] = queue[q];
      const WordTreeNode& n = nodes[given];
      const std::size_t here = first + q;
      if (here >= (std::size_t{1} << 28)) throw std::invalid_argument("WordModel: too many nodes");
      depth = std::max(depth, d);
      if (n.feature < 0) {
        steps_.push_back({std::numeric_limits<float>::infinity(), static_cast<std::uint32_t>(here) << 4});
        leaf_value_.push_back(n.value);
        continue;
      }
      if (d + 1 > 64) throw std::invalid_argument("WordModel: a tree deeper than 64");
      const auto child = static_cast<std::uint32_t>(first + queue.size());
      steps_.push_back({n.threshold, child << 4 | static_cast<std::uint32_t>(n.feature)});
      leaf_value_.push_back(0);
      queue.push_back({n.left, d + 1});
      queue.push_back({n.right, d + 1});
    }
    depths_.push_back(depth);
  }
}

double WordModel::log_lr(const float x[kWordFeatures]) const {
  double out;
  log_lr_batch(x, 1, &out);
  return out;
}

void WordModel::log_lr_batch(const float* rows, std::size_t n, double* out) const {
  constexpr std::size_t kLanes = 8;
  const Step* steps = steps_.data();
  for (std::size_t start = 0; start < n; start += kLanes) {
    // A short last group repeats its last row: every lane walks.
    const float* row[kLanes];
    for (std::size_t lane = 0; lane < kLanes; ++lane) {
      row[lane] = rows + std::min(start + lane, n - 1) * kWordFeatures;
    }
    double sum[kLanes];
    std::fill(sum, sum + kLanes, baseline_);
    for (std::size_t t = 0; t < roots_.size(); ++t) {
      std::uint32_t at[kLanes];
      std::fill(at, at + kLanes, roots_[t]);
      for (std::uint32_t step = 0; step < depths_[t]; ++step) {
        for (std::size_t lane = 0; lane < kLanes; ++lane) {
          const Step s = steps[at[lane]];
          at[lane] = (s.child_and_feature >> 4) +
                     static_cast<std::uint32_t>(row[lane][s.child_and_feature & 15] > s.threshold);
        }
      }
      for (std::size_t lane = 0; lane < kLanes; ++lane) sum[lane] += leaf_value_[at[lane]];
    }
    for (std::size_t lane = 0; lane < kLanes && start + lane < n; ++lane) {
      out[start + lane] = std::clamp(sum[lane], -kMaxLogLr, kMaxLogLr);
    }
  }
}

}  // namespace unspin::detect
