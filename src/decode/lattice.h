// The lattice of one sentence: for each word position, the arcs that replace
// a span of 1..N spun words by a candidate original of 1..M words. Keeping a
// word is implicit (every position has a keep arc).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
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
  float local_gain = 0;            // log10 LM gain over keeping, in the written context
  std::uint16_t alternatives = 0;  // how many candidates the lexicon proposed for the span
};

struct Lattice {
  std::vector<std::vector<Arc>> arcs_from;  // indexed by begin position
};

struct LatticeOptions {
  int max_span_words = 4;
  // Candidates per span scored by the LM, best first by prior x word
  // frequency^frequency_weight (user-table candidates are all kept, ahead).
  // 8 instead of 24: 1.6x faster; build part, 300 words: recall at 0.5 the
  // same (2.3%), detection AUC 0.714 -> 0.707, table given 73.5% -> 74.3%.
  int max_candidates_per_span = 8;
  double frequency_weight = 0.5;
  int max_arcs_per_span = 6;     // by local gain, after LM filtering
  float min_local_gain = -1.0f;  // arcs worse than this in context are dropped
};

// One candidate original of a spun span, ready for LM scoring.
struct SpanCandidate {
  std::string original;     // folded, the span's possessive suffix re-attached
  std::vector<WordId> ids;  // LM ids of `original`'s words (never empty)
  float prior = 0;
  std::uint16_t sources = 0;
};

// What the lexicon says about one spun form (folded span + suffix of its last
// word): the candidates in build_lattice's order (user-table first, then by
// prior x frequency; the others capped at max_candidates_per_span), without those that can never be
// arcs (equal to the span, with digits, no LM words), and whether a longer key
// starts with the span. A pure function of (key, suffix, lexicons, LM,
// options): the cache only saves recomputing it for repeated words.
struct SpanCandidates {
  std::vector<SpanCandidate> list;
  std::uint16_t alternatives = 0;  // candidates after the cap, before the filter (Arc::alternatives)
  bool has_longer = false;
  std::string key;  // the folded span it answers for (without the suffix)
};

// Memo of SpanCandidates by spun form, shared by every thread that decodes
// with one pipeline (a form's list is computed once, not once per thread:
// two threads each computing the forms they meet cost 4-9% more CPU than one).
// Bound to one lexicon stack, LM and options. Thread-safe: sharded locks
// around the lookups; lists are computed outside the locks. Entries are never
// removed, so references stay valid for the cache's life; once it holds
// `max_forms` forms or `max_candidates` candidates it stops growing and a new
// form's list is returned from a per-thread slot, valid until that thread's
// next get() (build_lattice uses a list before it asks for the next).
class CandidateCache {
 public:
  CandidateCache(const LexiconStack& lexicons, const LanguageModel& lm, const LatticeOptions& options,
                 std::size_t max_forms = 200000, std::size_t max_candidates = 300000);
  // The entry for `key` (folded words joined by single spaces) whose last
  // word carries `suffix`.
  const SpanCandidates& get(std::string_view key, std::string_view suffix);
  // get(key, "") for a one-word key whose LM id is `id` (not unknown): the
  // same entry, found by an array index instead of hashing the string.
  const SpanCandidates& get_word(WordId id, std::string_view key);
  std::size_t size() const { return forms_.load(std::memory_order_relaxed); }  // distinct forms held
  std::size_t candidates() const { return candidates_.load(std::memory_order_relaxed); }

 private:
  SpanCandidates compute(std::string_view key, std::string_view suffix) const;
  const SpanCandidates* find_or_add(std::string_view key, std::string_view suffix);

  const LexiconStack& lexicons_;
  const LanguageModel& lm_;
  LatticeOptions options_;
  std::size_t max_forms_, max_candidates_;
  static constexpr std::size_t kShards = 64;
  struct Shard {
    std::mutex mutex;
    std::unordered_map<std::string, std::unique_ptr<const SpanCandidates>> map;  // key + '\x1f' + suffix
  };
  std::unique_ptr<Shard[]> shards_;
  std::atomic<std::size_t> forms_{0}, candidates_{0};
  std::unique_ptr<std::atomic<const SpanCandidates*>[]> by_word_;  // by LM id: one-word keys without suffix
  std::size_t vocab_size_;
};

// Builds the arcs for a sentence. Arcs never include ineligible words or
// cross a non-whitespace gap. `cache` (optional, bound to the same lexicons,
// LM and options) shares candidate lists across the sentences of a document;
// the lattice is the same with or without it.
Lattice build_lattice(const Sentence& sentence, const LexiconStack& lexicons, const LanguageModel& lm,
                      const LatticeOptions& options, CandidateCache* cache = nullptr);

// Scores word sequences that share a left LM state and a tail: totals[c] is
// the log10 probability, from `left`, of heads[c]'s words then tail's, summed
// in that order (exactly what one query at a time gives). The queries of one
// step (every sequence's next word) are asked together (score_batch), so the
// model overlaps their memory accesses. Reuse one scorer: it keeps its buffers.
class SequenceScorer {
 public:
  void score(const LanguageModel& lm, LmState left, const std::vector<const std::vector<WordId>*>& heads,
             const std::vector<WordId>& tail);
  std::vector<double> totals;

 private:
  std::vector<LmState> states_, in_, next_;
  std::vector<WordId> words_;
  std::vector<float> probs_;
  std::vector<std::uint32_t> active_, position_;
};

// The reference for SequenceScorer (one query at a time; tests):
// log10 probability of `replacement` followed by the next `right` written
// words (and </s> at the sentence end), from the written left context `left`
// (see left_state): used to rank arcs before the joint search.
double local_score_from(const Sentence& sentence, const LanguageModel& lm, LmState left, std::uint32_t end,
                        const std::vector<WordId>& replacement, int right);
// The LM state after the (up to two) written words before `begin`.
LmState left_state(const Sentence& sentence, const LanguageModel& lm, std::uint32_t begin);

}  // namespace unspin::decode
