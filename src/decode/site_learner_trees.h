// The site learner's pair prior (decode/site_counts.h, docs/ARCHITECTURE.md
// "The site learner", item 3): P(o -> s in the site's table) = sigmoid(F(x)),
// F the baseline plus one leaf of each boosted regression tree over the
// pair's features x (decode::pair_features). Fitted by
// harness/fit/fit_site_learner.py on simulated build-part sites; the trees are
// committed as site_learner_trees.cpp.
#pragma once

#include <cstddef>
#include <array>
#include <cstdint>
#include <string>

#include "decode/site_counts.h"

namespace unspin::decode {

struct SiteTreeNode {
  std::int32_t feature;  // index into x (1..kLearnFeatures-1); -1: a leaf
  double threshold;      // go left when float(x[feature]) <= threshold
  std::uint32_t left, right;
  double value;  // a leaf's share of F
};

class SiteTrees {
 public:
  // `nodes` holds every tree, `roots` each tree's root. Throws
  // std::invalid_argument when a child or feature index is out of range or a
  // child does not come after its parent (so every walk ends).
  SiteTrees(double baseline, const SiteTreeNode* nodes, std::size_t node_count, const std::uint32_t* roots,
            std::size_t tree_count);
  static const SiteTrees& fitted();
  // F(x), the log odds.
  double logit(const std::array<double, kLearnFeatures>& x) const;
  std::size_t trees() const { return tree_count_; }

 private:
  double baseline_;
  const SiteTreeNode* nodes_;
  std::size_t node_count_;
  const std::uint32_t* roots_;
  std::size_t tree_count_;
};

}  // namespace unspin::decode
