#include "lexicon/lemma_graph.h"

#include <algorithm>
#include <unordered_set>

#include "lexicon/normalize.h"
#include "unspin/lexicon.h"

namespace unspin::lexicon {
namespace {

// Whether the words of `inner` occur contiguously in the longer `outer`.
bool contains_words(std::string_view outer, std::string_view inner) {
  if (inner.size() >= outer.size()) return false;
  for (std::size_t p = outer.find(inner); p != std::string_view::npos; p = outer.find(inner, p + 1)) {
    const bool left = p == 0 || outer[p - 1] == ' ' || outer[p - 1] == '-';
    const std::size_t end = p + inner.size();
    const bool right = end == outer.size() || outer[end] == ' ' || outer[end] == '-';
    if (left && right) return true;
  }
  return false;
}

}  // namespace

bool LemmaGraph::add_thesaurus(std::string_view key, std::string_view original, Pos pos, float prior,
                               std::uint16_t sources, bool synonym) {
  if (key == original || !is_usable_phrase(key) || !is_usable_phrase(original)) return false;
  if (is_function_word(key) || is_function_word(original)) return false;
  if (is_number_word(key) || is_number_word(original)) return false;
  // "cost" <-> "production cost": a spinner swaps words, it does not drop or
  // add modifiers; such pairs only crowd out real candidates.
  if (contains_words(key, original) || contains_words(original, key)) return false;
  edges_.push_back({lemmas_.id(key), lemmas_.id(original), prior, sources, pos, synonym});
  return true;
}

bool LemmaGraph::add_curated(std::string_view key, std::string_view original, Pos pos, float prior) {
  if (key == original || key.empty() || original.empty()) return false;
  if (word_count(key) > kMaxPhraseWords || word_count(original) > kMaxPhraseWords) return false;
  edges_.push_back({lemmas_.id(key), lemmas_.id(original), prior, kSourceParaphrase, pos, false});
  return true;
}

std::size_t LemmaGraph::add_two_hops(std::size_t fanout) {
  if (fanout == 0) return 0;
  // Best synonym edges per (key, pos), ordered for determinism.
  std::vector<std::uint32_t> syn;
  for (std::uint32_t i = 0; i < edges_.size(); ++i) {
    if (edges_[i].synonym) syn.push_back(i);
  }
  auto by_key = [&](std::uint32_t a, std::uint32_t b) {
    const LemmaEdge &x = edges_[a], &y = edges_[b];
    if (x.key != y.key) return x.key < y.key;
    if (x.pos != y.pos) return x.pos < y.pos;
    if (x.prior != y.prior) return x.prior > y.prior;
    return lemmas_.str(x.original) < lemmas_.str(y.original);
  };
  std::sort(syn.begin(), syn.end(), by_key);
  // Index: first synonym edge of each (key, pos) run, deduplicated originals.
  struct Run {
    std::size_t begin, end;
  };
  std::vector<std::vector<Run>> runs_of_key(lemmas_.size());
  for (std::size_t i = 0; i < syn.size();) {
    std::size_t j = i;
    while (j < syn.size() && edges_[syn[j]].key == edges_[syn[i]].key && edges_[syn[j]].pos == edges_[syn[i]].pos) {
      ++j;
    }
    runs_of_key[edges_[syn[i]].key].push_back({i, j});
    i = j;
  }
  auto top = [&](std::uint32_t key, Pos pos, std::vector<const LemmaEdge*>* out) {
    out->clear();
    for (const Run& r : runs_of_key[key]) {
      if (edges_[syn[r.begin]].pos != pos) continue;
      for (std::size_t k = r.begin; k < r.end && out->size() < fanout; ++k) {
        const LemmaEdge* e = &edges_[syn[k]];
        if (std::none_of(out->begin(), out->end(), [&](const LemmaEdge* o) { return o->original == e->original; })) {
          out->push_back(e);
        }
      }
    }
  };
  std::vector<LemmaEdge> added;
  std::vector<const LemmaEdge*> first, second;
  std::unordered_set<std::uint32_t> direct;
  for (std::uint32_t key = 0; key < runs_of_key.size(); ++key) {
    for (const Run& r : runs_of_key[key]) {
      const Pos pos = edges_[syn[r.begin]].pos;
      top(key, pos, &first);
      direct.clear();
      for (std::size_t k = r.begin; k < r.end; ++k) direct.insert(edges_[syn[k]].original);
      for (const LemmaEdge* hop1 : first) {
        top(hop1->original, pos, &second);
        for (const LemmaEdge* hop2 : second) {
          if (hop2->original == key || direct.count(hop2->original)) continue;
          added.push_back({key, hop2->original, prior::kTwoHopScale * hop1->prior * hop2->prior,
                           static_cast<std::uint16_t>(kSourceTwoHop), pos, false});
        }
      }
    }
  }
  edges_.insert(edges_.end(), added.begin(), added.end());
  return added.size();
}

void LemmaGraph::inflect_into(const Morphology& morph, PairTable* table) const {
  for (const LemmaEdge& e : edges_) {
    const std::string_view key = lemmas_.str(e.key), original = lemmas_.str(e.original);
    table->add(key, original, e.prior, e.sources);
    for (Slot slot : slots_of(e.pos)) {
      if (slot == Slot::kBase) continue;
      const std::vector<std::string> keys = morph.forms(key, e.pos, slot);
      if (keys.empty()) continue;
      const std::vector<std::string> originals = morph.forms(original, e.pos, slot);
      for (const std::string& k : keys) {
        for (const std::string& o : originals) {
          table->add(k, o, e.prior * prior::kInflected, static_cast<std::uint16_t>(e.sources | kSourceInflected));
        }
      }
    }
  }
}

}  // namespace unspin::lexicon
