#include <array>
#include <stdexcept>
#include <string>

#include "decode/site_learner_trees.h"

namespace unspin::decode {

SiteTrees::SiteTrees(double baseline, const SiteTreeNode* nodes, std::size_t node_count, const std::uint32_t* roots,
                     std::size_t tree_count)
    : baseline_(baseline), nodes_(nodes), node_count_(node_count), roots_(roots), tree_count_(tree_count) {
  for (std::size_t i = 0; i < node_count; ++i) {
    const SiteTreeNode& n = nodes[i];
    if (n.feature < 0) continue;
    if (static_cast<std::size_t>(n.feature) >= kLearnFeatures || n.left <= i || n.right <= i || n.left >= node_count ||
        n.right >= node_count) {
      throw std::invalid_argument("site learner trees: node " + std::to_string(i) + " is malformed");
    }
  }
  for (std::size_t t = 0; t < tree_count; ++t) {
    if (roots[t] >= node_count) throw std::invalid_argument("site learner trees: a root is out of range");
  }
}

double SiteTrees::logit(const std::array<double, kLearnFeatures>& x) const {
  double total = baseline_;
  for (std::size_t t = 0; t < tree_count_; ++t) {
    std::uint32_t at = roots_[t];
    while (nodes_[at].feature >= 0) {
      const SiteTreeNode& n = nodes_[at];
      at = static_cast<double>(static_cast<float>(x[n.feature])) <= n.threshold ? n.left : n.right;
    }
    total += nodes_[at].value;
  }
  return total;
}

}  // namespace unspin::decode
