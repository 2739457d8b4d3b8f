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
#include <vector>

#include "listed/phrase_list.h"
#include "unspin/lm.h"

namespace unspin::listed {

struct UnlistedModel {
  struct Alternative {
    std::string word;     // a correct-term word (number stem)
    std::uint32_t count;  // pairs of the list where it was tortured into the written word
  };
  // written word (number stem) -> its alternatives, most frequent first
  std::unordered_map<std::string, std::vector<Alternative>> substitutions;
  // "a b" (number stems) -> occurrences in the list's correct terms
  std::unordered_map<std::string, std::uint32_t> bigrams;
  std::size_t pairs_aligned = 0, substitutions_seen = 0;
  // From the list's pairs with a known correct term and the same number of words.
  static UnlistedModel learn(const PhraseList& list);
};

struct Suspect {
  std::uint32_t byte_begin = 0, byte_end = 0, cp_begin = 0, cp_end = 0;
  std::string original;  // the proposed correct term (folded; the written number kept)
  double confidence = 0; // probability the span is a tortured phrase (see unlisted.cpp)
  double lm_gain = 0;    // log10 LM gain of the restoration in context
  int substituted = 0;   // words restored
  double recurrence = 0; // sum of log10(1 + count) of its substitutions
};

class UnlistedFinder {
 public:
  // `lm` may be null (then the LM gain is 0). Both must outlive the finder.
  UnlistedFinder(const PhraseList& list, const LanguageModel* lm);
  // Suspects of `text`, in text order, non-overlapping, confidence above 0.
  std::vector<Suspect> find(std::string_view text) const;
  const UnlistedModel& model() const { return model_; }

 private:
  UnlistedModel model_;
  const LanguageModel* lm_;
};

}  // namespace unspin::listed
