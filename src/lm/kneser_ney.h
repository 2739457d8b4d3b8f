// Interpolated modified Kneser-Ney estimation (Chen & Goodman 1998) of a
// backoff model of order 1..5, in memory. Suited to corpora of up to tens of
// millions of tokens (about 100 bytes per distinct n-gram); beyond that, use
// KenLM's lmplz and `unspin lm import-arpa`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "lm/ngram_set.h"

namespace unspin::lm {

class KneserNeyBuilder {
 public:
  explicit KneserNeyBuilder(int order);

  // Adds one sentence of already tokenized (and folded) words; <s> and </s>
  // are added around it. Empty sentences are ignored.
  void add_sentence(const std::vector<std::string>& words);

  // Estimates the model. Discounts come from the count-of-counts of each
  // order; when a count-of-counts is 0 (tiny corpora) the defaults 0.5 / 1 /
  // 1.5 are used and a warning is recorded. Throws Error(kBadData) when no
  // sentence was added.
  NgramSet estimate();

  const std::vector<std::string>& warnings() const { return warnings_; }
  std::uint64_t tokens() const { return tokens_; }
  std::uint64_t sentences() const { return sentence_starts_.size(); }

 private:
  WordId intern(std::string_view word);

  int order_;
  std::vector<std::string> vocab_;
  std::unordered_map<std::string, WordId> ids_;
  std::vector<WordId> text_;                    // padded sentences back to back
  std::vector<std::uint64_t> sentence_starts_;  // index of each sentence's <s> in text_
  std::uint64_t tokens_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace unspin::lm
