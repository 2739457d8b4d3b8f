#include "fitted/trees.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <utility>

namespace unspin::fitted {

BoostedTrees::BoostedTrees(double baseline, std::size_t feature_count, const TreeNode* nodes, std::size_t node_count,
                           const std::uint32_t* roots, std::size_t tree_count, const std::string& what)
    : baseline_(baseline), feature_count_(feature_count) {
  if (feature_count == 0 || feature_count > kMaxFeatures) {
    throw std::invalid_argument(what + ": " + std::to_string(feature_count) + " features (1.." +
                                std::to_string(kMaxFeatures) + " allowed)");
  }
  for (std::size_t i = 0; i < node_count; ++i) {
    const TreeNode& n = nodes[i];
    if (n.feature >= 0 &&
        (static_cast<std::size_t>(n.feature) >= feature_count || n.left >= node_count || n.right >= node_count)) {
      throw std::invalid_argument(what + ": node " + std::to_string(i) + " is out of range");
    }
  }
  if (node_count >= (std::size_t{1} << 24)) throw std::invalid_argument(what + ": too many nodes");
  steps_.reserve(node_count);
  leaf_value_.reserve(node_count);
  roots_.reserve(tree_count);
  depths_.reserve(tree_count);
  // Lay every tree out again, breadth first, so that an inner node's two
  // children are neighbours (left, then right): a step of a walk is then
  // `at = left + (x > threshold)`, with no branch to mispredict.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> queue;  // (given index, depth)
  for (std::size_t t = 0; t < tree_count; ++t) {
    if (roots[t] >= node_count) throw std::invalid_argument(what + ": a root is out of range");
    queue.assign(1, {roots[t], 0});
    const std::size_t first = steps_.size();
    roots_.push_back(static_cast<std::uint32_t>(first));
    std::uint32_t depth = 0;
    for (std::size_t q = 0; q < queue.size(); ++q) {
      if (queue.size() > node_count) throw std::invalid_argument(what + ": a tree with a cycle");
      const auto [given, d] = queue[q];
      const TreeNode& n = nodes[given];
      const std::size_t here = first + q;
      if (here >= (std::size_t{1} << 24)) throw std::invalid_argument(what + ": too many nodes");
      depth = std::max(depth, d);
      if (n.feature < 0) {
        steps_.push_back({std::numeric_limits<float>::infinity(), static_cast<std::uint32_t>(here) << 8});
        leaf_value_.push_back(n.value);
        continue;
      }
      if (d + 1 > kMaxDepth) throw std::invalid_argument(what + ": a tree deeper than 64");
      const auto child = static_cast<std::uint32_t>(first + queue.size());
      steps_.push_back({n.threshold, child << 8 | static_cast<std::uint32_t>(n.feature)});
      leaf_value_.push_back(0);
      queue.push_back({n.left, d + 1});
      queue.push_back({n.right, d + 1});
    }
    depths_.push_back(depth);
  }
}

double BoostedTrees::sum(const float* x) const {
  // One lane of sum_batch's walk, with the same arithmetic.
  double total = baseline_;
  for (std::size_t t = 0; t < roots_.size(); ++t) {
    std::uint32_t at = roots_[t];
    for (std::uint32_t step = 0; step < depths_[t]; ++step) {
      const Step s = steps_[at];
      at = (s.child_and_feature >> 8) + static_cast<std::uint32_t>(x[s.child_and_feature & 255] > s.threshold);
    }
    total += leaf_value_[at];
  }
  return total;
}

void BoostedTrees::sum_batch(const float* rows, std::size_t n, std::size_t stride, double* out) const {
  constexpr std::size_t kLanes = 8;
  const Step* steps = steps_.data();
  for (std::size_t start = 0; start < n; start += kLanes) {
    // A short last group repeats its last row: every lane walks.
    const float* row[kLanes];
    for (std::size_t lane = 0; lane < kLanes; ++lane) row[lane] = rows + std::min(start + lane, n - 1) * stride;
    double total[kLanes];
    std::fill(total, total + kLanes, baseline_);
    for (std::size_t t = 0; t < roots_.size(); ++t) {
      std::uint32_t at[kLanes];
      std::fill(at, at + kLanes, roots_[t]);
      for (std::uint32_t step = 0; step < depths_[t]; ++step) {
        for (std::size_t lane = 0; lane < kLanes; ++lane) {
          const Step s = steps[at[lane]];
          at[lane] = (s.child_and_feature >> 8) +
                     static_cast<std::uint32_t>(row[lane][s.child_and_feature & 255] > s.threshold);
        }
      }
      for (std::size_t lane = 0; lane < kLanes; ++lane) total[lane] += leaf_value_[at[lane]];
    }
    for (std::size_t lane = 0; lane < kLanes && start + lane < n; ++lane) out[start + lane] = total[lane];
  }
}

}  // namespace unspin::fitted
