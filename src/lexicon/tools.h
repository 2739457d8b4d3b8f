// Measurements over a lexicon, shared by the CLI, tests and benchmarks:
// coverage of known (original, spun) pairs and candidates per token. Internal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "unspin/lexicon.h"

namespace unspin::lexicon {

struct CoverageResult {
  std::size_t pairs = 0;            // usable pairs read
  std::size_t covered = 0;          // original among the candidates of spun
  std::size_t skipped = 0;          // malformed lines
  std::vector<std::string> missed;  // "spun -> original", first few hundred
  double fraction() const { return pairs ? static_cast<double>(covered) / static_cast<double>(pairs) : 0.0; }
};

// `pairs_tsv`: original<TAB>spun per line ('#' comments; extra columns ignored).
CoverageResult coverage(const LexiconStack& lexicons, std::string_view pairs_tsv);

struct CandidateStats {
  std::size_t tokens = 0;    // word tokens looked up
  std::size_t with_any = 0;  // tokens with at least one candidate
  double mean = 0;
  double median = 0;
  double p95 = 0;
  std::size_t max = 0;
};

// Candidates per word token of `text` (single-word lookups, as the decoder
// does for each position).
CandidateStats candidates_per_token(const LexiconStack& lexicons, std::string_view text);

}  // namespace unspin::lexicon
