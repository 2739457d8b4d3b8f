// Boosted regression trees: the one node format and the one evaluator of every
// fitted tree ensemble (the detector's per-word model, detect/word_model.h; the
// site learner's pair prior, decode::pair_prior). The trees come from
// the model bundle (fitted/bundle.h), which stores the nodes as written here.
//
// The sum is baseline + one leaf value per tree, added in tree order in
// double. A walk goes right when x[feature] > threshold, compared in float:
// features are given as float and thresholds are float. A NaN feature goes
// left (x > t is false). The word model was fitted and always evaluated in
// float; the site learner's double thresholds were compared against
// float(x), so the bundle stores each as the largest float at or below it,
// which sends every float x the same way (f <= t exactly when f <= that float).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace unspin::fitted {

// One node as the bundle stores it (24 bytes, little-endian). An inner node
// sends x left when x[feature] <= threshold, right otherwise; a leaf
// (feature < 0) holds its value.
struct TreeNode {
  std::int32_t feature;
  float threshold;
  std::uint32_t left, right;
  double value;
};
static_assert(sizeof(TreeNode) == 24);

class BoostedTrees {
 public:
  BoostedTrees() = default;
  // `nodes` holds every tree; `roots` each tree's root. Throws
  // std::invalid_argument (naming `what`) when a feature is not below
  // `feature_count`, a child or root is out of range, a tree has a cycle or is
  // deeper than kMaxDepth.
  BoostedTrees(double baseline, std::size_t feature_count, const TreeNode* nodes, std::size_t node_count,
               const std::uint32_t* roots, std::size_t tree_count, const std::string& what = "trees");

  static constexpr std::uint32_t kMaxDepth = 64;
  static constexpr std::size_t kMaxFeatures = 256;

  // baseline + the leaf each tree sends x to; x holds feature_count() floats.
  double sum(const float* x) const;
  // The same for n rows of `stride` floats each (row-major), several rows at
  // a time: their walks are independent, so the processor overlaps them.
  void sum_batch(const float* rows, std::size_t n, std::size_t stride, double* out) const;

  double baseline() const { return baseline_; }
  std::size_t feature_count() const { return feature_count_; }
  std::size_t trees() const { return roots_.size(); }
  std::size_t nodes() const { return steps_.size(); }

 private:
  // One node as a walk reads it, in 8 bytes: go to `first child + (x[feature]
  // > threshold)`. A leaf is its own first child with an infinite threshold,
  // so that a walk of a tree's depth ends on the leaf whatever the path's length.
  struct Step {
    float threshold;
    std::uint32_t child_and_feature;  // first child << 8 | feature
  };
  double baseline_ = 0;
  std::size_t feature_count_ = 0;
  std::vector<Step> steps_;
  std::vector<double> leaf_value_;  // by step (0 for inner nodes)
  std::vector<std::uint32_t> roots_;
  std::vector<std::uint32_t> depths_;  // of each tree
};

}  // namespace unspin::fitted
