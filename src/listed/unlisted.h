// Unlisted tortured phrases, by generalising the list (issue 21, item 2).
//
// The list's pairs are word-level substitutions that recur ("deep" ->
// "profound", "network" -> "organization"). UnlistedModel learns them with
// how often each recurs, and the word bigrams of the list's correct terms (a
// tiny model of scientific terms); UnlistedFinder proposes, for each run of
// 2-4 words of a text, the restorations built from learned substitutions
// whose every bigram is a bigram of some correct term ("profound neural
// organization" -> "deep neural network"), and scores the best by the
// general LM's gain and the substitutions' recurrence. A window whose written
// bigrams are all correct-term bigrams is never a suspect (it is written as
// scientific terms are).
//
// Immutable after construction; find() is const and thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "listed/phrase_list.h"
#include "unspin/lm.h"

namespace unspin::listed {

struct UnlistedModel {
  struct Alternative {
    std::string word;            // a correct-term word (number stem)
    std::uint32_t count;         // pairs of the list where it was tortured into the written word
    std::uint32_t id = kNoWord;  // its id in `vocab`
  };
  static constexpr std::uint32_t kNoWord = 0xFFFFFFFFu;
  // written word (number stem) -> its alternatives, most frequent first
  std::unordered_map<std::string, std::vector<Alternative>> substitutions;
  // "a b" (number stems) -> occurrences in the list's correct terms
  std::unordered_map<std::string, std::uint32_t> bigrams;
  // Word (number stem) -> occurrences in the list's tortured forms, and their
  // total: the unigram model of tortured phrases, P_t(w) = (n + 0.5) /
  // (total + 0.5 * (distinct + 1)).
  std::unordered_map<std::string, std::uint32_t> tortured_words;
  std::size_t tortured_total = 0;
  // Word (number stem) -> occurrences in the list's correct terms.
  std::unordered_map<std::string, std::uint32_t> correct_words;
  std::size_t pairs_aligned = 0, substitutions_seen = 0;
  // The words of the bigrams by id, and the bigrams as (id << 32 | id): the
  // finder's lookups without building strings.
  std::unordered_map<std::string, std::uint32_t> vocab;
  std::unordered_set<std::uint64_t> bigram_ids;
  std::uint32_t id_of(const std::string& stem) const {
    const auto it = vocab.find(stem);
    return it == vocab.end() ? kNoWord : it->second;
  }
  bool has_bigram(std::uint32_t a, std::uint32_t b) const {
    return a != kNoWord && b != kNoWord && bigram_ids.count(static_cast<std::uint64_t>(a) << 32 | b) > 0;
  }
  // log10 P_t(w) for a number stem.
  double tortured_log10(const std::string& stem) const;
  // From the list's pairs with a known correct term and the same number of words.
  static UnlistedModel learn(const PhraseList& list);
};

struct Suspect {
  std::uint32_t byte_begin = 0, byte_end = 0, cp_begin = 0, cp_end = 0;
  std::string original;   // the proposed correct term (folded; the written number kept)
  double confidence = 0;  // probability the span is a tortured phrase (see unlisted.cpp)
  double lm_gain = 0;     // log10 LM gain of the restoration in context
  int substituted = 0;    // words restored
  double recurrence = 0;  // sum of log10(1 + count) of its substitutions
  // The span's words against the two unigram models: sum and minimum over its
  // words of log10 P_t(w) / P_lm(w) (each bounded to [-3, 3]), P_lm the
  // general LM's unigram probability.
  double tortured_llr = 0, tortured_llr_min = 0;
  int words = 0;           // words in the span
  int written_known = 0;   // its written bigrams that are correct-term bigrams
  int restored_known = 0;  // the same for its restoration with the most of them
  int correct_vocab = 0;   // its words that occur in correct terms
  // How the words hold together as written: sum over its second and later
  // words of log10 P_lm(w | the span's words before it) - log10 P_lm(w), and
  // how many of those pairs the LM never saw as a bigram.
  double association = 0;
  int unseen_pairs = 0;
  int substitutable = 0;         // its words the list tortured some word into
  double llr_max = 0;            // the largest of its words' log10 P_t(w) / P_lm(w)
  int function_edges = 0;        // its first and last words that are function words (P_lm(w) > 10^-2.5)
  double output_recurrence = 0;  // sum over its words of log10(1 + pairs with it as a tortured word)
};

// The confidence: P(the window overlaps a tortured phrase) = logistic(z),
// z = bias + sum of weight * feature (Suspect's fields). Fitted by logistic
// regression on `unspin-eval eval tortured --fit-part --dump-candidates` (the
// list's fitting part split again, build-part Brown J; never the eval part):
// see docs/LEXICON.md, "Unlisted phrases". The values are the model bundle's
// "unlisted.weights" (docs/LM.md), in the order of from_values.
struct UnlistedWeights {
  double bias = 0, words = 0, llr = 0, llr_min = 0, written_known = 0, correct_vocab = 0, lm_gain = 0, recurrence = 0,
         substituted = 0, association = 0, unseen_pairs = 0, substitutable = 0, output_recurrence = 0,
         restored_known = 0, llr_max = 0, function_edges = 0;
  static constexpr std::size_t kCount = 16;
  // bias, words, llr, llr_min, written_known, correct_vocab, lm_gain,
  // recurrence, substituted, association, unseen_pairs, substitutable,
  // output_recurrence, restored_known, llr_max, function_edges. Throws
  // std::invalid_argument unless there are kCount.
  static UnlistedWeights from_values(const std::vector<double>& values);
};
double suspect_logit(const UnlistedWeights& weights, const Suspect& s);

class UnlistedFinder {
 public:
  // `lm` may be null (then the LM gain is 0). Both must outlive the finder.
  UnlistedFinder(const PhraseList& list, const LanguageModel* lm, const UnlistedWeights& weights);
  // Suspects of `text`, in text order, non-overlapping, confidence above 0.
  std::vector<Suspect> find(std::string_view text) const;
  // Every scored window of 2-4 words (overlapping, before the selection):
  // what find() chooses from, and what the weights are fitted on.
  // Windows whose logit is below `min_logit` are left out (find() passes the
  // logit of its smallest confidence, so that a long text keeps few).
  std::vector<Suspect> candidates(std::string_view text, double min_logit = -1e300) const;
  const UnlistedModel& model() const { return model_; }

 private:
  // What the finder needs of a written word (number stem), in one lookup.
  struct WordFacts {
    std::uint32_t id = UnlistedModel::kNoWord;  // in the bigram vocabulary
    const std::vector<UnlistedModel::Alternative>* alts = nullptr;
    double outputs = 0;         // log10(1 + substitutions into it)
    double tortured_log10 = 0;  // UnlistedModel::tortured_log10
    bool tortured_known = false, correct_vocab = false;
  };
  UnlistedModel model_;
  const LanguageModel* lm_;
  UnlistedWeights weights_;
  std::unordered_map<std::string, WordFacts> facts_;
  double unseen_tortured_log10_ = 0;
};

}  // namespace unspin::listed
