// Lemma-level relations gathered from every build source before inflection:
// "a spinner holding `original` may write `key`", with a part of speech, a
// prior and source bits. Internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "lexicon/candidate_table.h"
#include "lexicon/morphology.h"

namespace unspin::lexicon {

// Priors by source and relation, before the sense-rank factor. The ordering
// (curated > synonym > thesaurus > relation > two hops) is the contract; the
// values are documented in docs/LEXICON.md.
namespace prior {
inline constexpr float kCurated = 0.95f;         // as written in data/lexicon
inline constexpr float kCuratedReverse = 0.85f;  // the other direction
inline constexpr float kWordNetSynonym = 0.8f;
inline constexpr float kMythesSynonym = 0.7f;
inline constexpr float kMythesSimilar = 0.5f;
inline constexpr float kWordNetSimilar = 0.45f;   // similar-to, also-see, verb group
inline constexpr float kWordNetHypernym = 0.35f;  // spun word is more generic
inline constexpr float kMythesRelated = 0.35f;    // "(generic term)", "(related term)"
inline constexpr float kWordNetDerived = 0.3f;    // derivationally related, base forms only
inline constexpr float kWordNetHyponym = 0.25f;   // spun word is more specific
inline constexpr float kTwoHopScale = 0.2f;       // times the two hops' priors
inline constexpr float kInflected = 0.95f;        // times the lemma pair's prior
// The n-th sense (0-based) of the original counts 1 / (1 + 0.25 n).
inline float sense_factor(int rank) { return 1.0f / (1.0f + 0.25f * static_cast<float>(rank)); }
}  // namespace prior

struct LemmaEdge {
  std::uint32_t key, original;  // Interner ids
  float prior;
  std::uint16_t sources;
  Pos pos;
  bool synonym;  // eligible for two-hop expansion
};

class LemmaGraph {
 public:
  // Thesaurus pairs: both sides must be usable phrases, neither a function
  // word nor a number word. Returns false when filtered out.
  bool add_thesaurus(std::string_view key, std::string_view original, Pos pos, float prior, std::uint16_t sources,
                     bool synonym);
  // Curated pairs: trusted, only normalized (function words allowed).
  bool add_curated(std::string_view key, std::string_view original, Pos pos, float prior);

  // Adds original -> x -> key candidates through synonym edges of one part of
  // speech, following the `fanout` best edges at each hop. Returns how many.
  std::size_t add_two_hops(std::size_t fanout);

  // Expands every edge into its inflected forms (key and original in the
  // same slot) and adds them to `table`.
  void inflect_into(const Morphology& morph, PairTable* table) const;

  std::size_t size() const { return edges_.size(); }

 private:
  Interner lemmas_;
  std::vector<LemmaEdge> edges_;
};

}  // namespace unspin::lexicon
