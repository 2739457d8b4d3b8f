#include "lexicon/candidate_table.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace unspin::lexicon {

// Share of the noisy-OR credited when a second source agrees: MyThes is
// derived from WordNet, so agreement is weak evidence, not independent.
constexpr float kAgreement = 0.25f;

std::uint32_t Interner::id(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  const std::string& stored = storage_.emplace_back(s);
  const auto next = static_cast<std::uint32_t>(views_.size());
  views_.push_back(stored);
  ids_.emplace(stored, next);
  return next;
}

std::uint32_t Interner::find(std::string_view s) const {
  auto it = ids_.find(s);
  return it == ids_.end() ? std::numeric_limits<std::uint32_t>::max() : it->second;
}

void PairTable::add(std::string_view key, std::string_view original, float prior, std::uint16_t sources) {
  if (key == original || key.empty() || original.empty()) return;
  if (!(prior > 0.0f && prior <= 1.0f)) return;
  pairs_.push_back({strings_.id(key), strings_.id(original), prior, sources});
}

CandidateTable PairTable::finish(std::size_t cap) const {
  // Order everything by string content (not id) so the output does not
  // depend on insertion order.
  std::vector<std::uint32_t> rank(strings_.size());
  {
    std::vector<std::uint32_t> order(strings_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return strings_.str(a) < strings_.str(b); });
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
  }
  std::vector<Pair> pairs = pairs_;
  std::sort(pairs.begin(), pairs.end(), [&](const Pair& a, const Pair& b) {
    if (a.key != b.key) return rank[a.key] < rank[b.key];
    if (a.original != b.original) return rank[a.original] < rank[b.original];
    if (a.sources != b.sources) return a.sources < b.sources;
    return a.prior > b.prior;
  });

  CandidateTable table;
  std::size_t i = 0;
  while (i < pairs.size()) {
    TableKey entry;
    entry.key = std::string(strings_.str(pairs[i].key));
    const std::uint32_t key = pairs[i].key;
    while (i < pairs.size() && pairs[i].key == key) {
      const std::uint32_t original = pairs[i].original;
      // Group maxima, best first.
      float best = 0, second = 0;
      std::uint16_t sources = 0;
      while (i < pairs.size() && pairs[i].key == key && pairs[i].original == original) {
        const std::uint16_t group = pairs[i].sources;
        const float p = pairs[i].prior;  // first of the group has the best prior
        if (p > best) {
          second = best;
          best = p;
        } else if (p > second) {
          second = p;
        }
        while (i < pairs.size() && pairs[i].key == key && pairs[i].original == original && pairs[i].sources == group) {
          sources |= pairs[i].sources;
          ++i;
        }
      }
      float prior = best + (1.0f - best) * kAgreement * second;
      entry.candidates.push_back({std::string(strings_.str(original)), prior, sources});
    }
    std::stable_sort(entry.candidates.begin(), entry.candidates.end(),
                     [](const TableCandidate& a, const TableCandidate& b) { return a.prior > b.prior; });
    if (entry.candidates.size() > cap) entry.candidates.resize(cap);
    table.push_back(std::move(entry));
  }
  return table;
}

}  // namespace unspin::lexicon
