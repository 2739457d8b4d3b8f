// Word alignment of a spun copy to its source (internal).
//
// align_words() finds a longest common subsequence of the two word-hash
// sequences (among those, one with the fewest gap openings): exactly (dynamic programming) on ranges of at most
// `max_cells` cells, and on larger ranges by first fixing words that occur once in both ranges and lie in increasing
// order in both (the longest such chain, as in patience diff), then recursing between them. Matched pairs are
// increasing in both sequences.
//
// substitution_runs() reads the substitutions off the matches: between two
// consecutive matches (or a match and either text's start/end) the spun words
// and the source words that differ. A run is a substitution when both sides
// have at most `max_gap_words` words and at least one word between them; a
// run with one empty side (an inserted or dropped word) is widened by the
// match before it (or after it, at the start), so that it rewrites a span;
// a widened run that reaches into the previous run is merged with it.
// Longer runs are left unaligned.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

namespace unspin::trace {

struct WordMatch {
  std::uint32_t spun, source;  // word indices
};

std::vector<WordMatch> align_words(std::span<const std::uint64_t> spun, std::span<const std::uint64_t> source,
                                   std::size_t max_cells = 1u << 18);

// Reference LCS (full DP, no anchoring), for tests: the length only.
std::size_t lcs_length_reference(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b);

struct WordRun {
  std::uint32_t spun_begin, spun_end;      // [begin, end) word indices of the spun text
  std::uint32_t source_begin, source_end;  // [begin, end) word indices of the source
};

struct RunSummary {
  std::vector<WordRun> substitutions;  // in order, non-overlapping on both sides
  std::size_t matched_words = 0;       // spun words matched to an identical source word
  std::size_t substituted_words = 0;   // spun words inside substitutions, not matched
  std::size_t spun_words = 0;
};

RunSummary substitution_runs(const std::vector<WordMatch>& matches, std::size_t spun_words, std::size_t source_words,
                             std::size_t max_gap_words);

}  // namespace unspin::trace
