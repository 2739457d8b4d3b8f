// Accumulates (key, original, prior, sources) pairs while a lexicon is built
// and turns them into the sorted, capped table the .ulex writer serializes.
// Internal.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace unspin::lexicon {

// Stable ids for strings; views returned by str() live as long as the Interner.
class Interner {
 public:
  std::uint32_t id(std::string_view s);
  // Returns UINT32_MAX when `s` was never interned.
  std::uint32_t find(std::string_view s) const;
  std::string_view str(std::uint32_t id) const { return views_[id]; }
  std::size_t size() const { return views_.size(); }

 private:
  std::deque<std::string> storage_;
  std::vector<std::string_view> views_;
  std::unordered_map<std::string_view, std::uint32_t> ids_;
};

struct TableCandidate {
  std::string original;
  float prior;
  std::uint16_t sources;
};

struct TableKey {
  std::string key;
  std::vector<TableCandidate> candidates;  // best prior first, then by original
};

// Sorted by key bytes: the input of write_ulex().
using CandidateTable = std::vector<TableKey>;

class PairTable {
 public:
  // Ignores identity pairs and priors outside (0, 1].
  void add(std::string_view key, std::string_view original, float prior, std::uint16_t sources);
  std::size_t size() const { return pairs_.size(); }

  // Merges duplicate (key, original) pairs: within one source value the best
  // prior wins; across source values the best prior p1 gains a quarter of the
  // noisy-OR with the runner-up p2: p1 + (1 - p1) * 0.25 * p2 (the sources
  // are correlated: MyThes derives from WordNet). Keeps
  // the `cap` best candidates per key. Deterministic for a given set of adds
  // regardless of their order.
  CandidateTable finish(std::size_t cap) const;

 private:
  struct Pair {
    std::uint32_t key, original;
    float prior;
    std::uint16_t sources;
  };
  Interner strings_;
  std::vector<Pair> pairs_;
};

}  // namespace unspin::lexicon
