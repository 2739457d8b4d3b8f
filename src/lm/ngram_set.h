// NgramSet: a backoff n-gram model held in memory, the common currency of the
// importers (Sphinx trie, ARPA), the Kneser-Ney estimator and the writers
// (.ulm, ARPA). Not used at scoring time: scoring reads the mmap'd .ulm.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lm/ulm_format.h"
#include "unspin/lm.h"

namespace unspin::lm {

inline constexpr const char* kUnknownToken = "<unk>";
inline constexpr const char* kBeginToken = "<s>";
inline constexpr const char* kEndToken = "</s>";

// All n-grams of one order n >= 2, in insertion order.
struct NgramLevel {
  std::vector<WordId> words;   // n ids per n-gram, oldest first (ARPA order)
  std::vector<float> prob;     // log10 P(last | rest)
  std::vector<float> backoff;  // log10 backoff of the whole n-gram as a context
  std::size_t size() const { return prob.size(); }
};

struct NgramSet {
  int order = 0;
  // id -> word. vocab[0] is always "<unk>" (kUnknownWord); the source's own
  // <unk>, if any, lands there.
  std::vector<std::string> vocab;
  std::vector<float> uni_prob;           // by id; uni_prob[0] is the source's <unk> prob or -99
  std::vector<float> uni_backoff;        // by id
  NgramLevel levels[kMaxOrder + 1];      // levels[n] for n = 2..order
  std::uint64_t blanks[kMaxOrder] = {};  // per order, inserted by close_ngram_set()
  bool folds_case = false;
  UlmSource source = UlmSource::kUnknown;
  std::string provenance;
  float discounts[kMaxOrder][3] = {};
  // Penalty for out-of-vocabulary words; NaN means "apply the default policy"
  // (see default_unknown_log10).
  float unknown_log10 = __builtin_nanf("");
};

// Policy for OOV words (docs/LM.md): the log10 probability of the rarest
// in-vocabulary word minus one (ten times less likely than anything the model
// has seen), ignoring <s>, <unk> and the -99 placeholders.
float default_unknown_log10(const NgramSet& set);

// True when no vocabulary word contains an ASCII or Latin-1 uppercase letter.
bool vocab_is_lowercase(const NgramSet& set);

// Drops n-grams that contain <unk> (they can never be reached: an unknown word
// resets the context) and inserts "blank" n-grams so that the prefix and the
// suffix of every stored n-gram is stored too. A blank's probability is what
// backoff would give and its backoff is 0, so scores do not change; the
// closure lets score() stop at the first missing n-gram and keep states short.
// Throws Error(kBadData) on duplicate n-grams.
void close_ngram_set(NgramSet& set);

// Writes `set` (closed by close_ngram_set) as a .ulm file. Deterministic:
// the same set gives the same bytes. Throws Error(kIo / kBadData).
void write_ulm(const NgramSet& set, const std::string& path);

// Backoff scoring over an NgramSet (slow, map-based): the reference the fast
// scorer is tested against. `context` is oldest first.
class NgramSetScorer {
 public:
  explicit NgramSetScorer(const NgramSet& set);
  float score(const std::vector<WordId>& context, WordId word) const;
  // Index of the n-gram (oldest first) in set.levels[n], or -1.
  long find(const WordId* words, int n) const;

 private:
  const NgramSet& set_;
  std::vector<std::vector<std::pair<std::uint64_t, std::uint32_t>>> index_;  // per order, sorted
};

}  // namespace unspin::lm
