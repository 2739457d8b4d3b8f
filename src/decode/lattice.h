// The lattice of one sentence: for each word position, the arcs that replace
// a span of 1..N spun words by a candidate original of 1..M words. Keeping a
// word is implicit (every position has a keep arc).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "decode/document.h"
#include "unspin/lexicon.h"
#include "unspin/lm.h"

namespace unspin::decode {

struct Arc {
  std::uint32_t begin = 0, end = 0;  // word positions [begin, end) in the sentence
  std::string spun;                  // folded spun span ("chief govt")
  std::string original;              // folded original ("chief executive"), suffix re-attached
  std::vector<WordId> ids;           // LM ids of the original's words
  float prior = 0;                   // lexicon prior
  std::uint16_t sources = 0;
  float local_gain = 0;              // log10 LM gain over keeping, in the written context
  std::uint16_t alternatives = 0;    // how many candidates the lexicon proposed for the span
};

struct Lattice {
  std::vector<std::vector<Arc>> arcs_from;  // indexed by begin position
};

struct LatticeOptions {
  int max_span_words = 4;
  int max_candidates_per_span = 24;  // by prior, before LM filtering
  int max_arcs_per_span = 6;         // by local gain, after LM filtering
  float min_local_gain = -1.0f;      // arcs worse than this in context are dropped
};

// Builds the arcs for a sentence. Arcs never include ineligible words or
// cross a non-whitespace gap.
Lattice build_lattice(const Sentence& sentence, const LexiconStack& lexicons,
                      const LanguageModel& lm, const LatticeOptions& options);

// log10 probability of `replacement` followed by the next `right` written
// words (and </s> at the sentence end), from the written left context `left`
// (see left_state): used to rank arcs before the joint search.
double local_score_from(const Sentence& sentence, const LanguageModel& lm, LmState left,
                        std::uint32_t end, const std::vector<WordId>& replacement, int right);
// The LM state after the (up to two) written words before `begin`.
LmState left_state(const Sentence& sentence, const LanguageModel& lm, std::uint32_t begin);

}  // namespace unspin::decode
