// Perplexity of a LanguageModel on tokenized sentences (SRILM conventions:
// OOV words are not scored and reset the context; </s> is scored).
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "unspin/lm.h"

namespace unspin::lm {

struct PerplexityReport {
  std::uint64_t sentences = 0;
  std::uint64_t words = 0;  // tokens, </s> excluded
  std::uint64_t oov = 0;
  double log10_sum = 0;  // over in-vocabulary words and </s>
  // 10^(-log10_sum / (words - oov + sentences)): per scored token incl. </s>.
  double perplexity() const {
    const double n = static_cast<double>(words - oov + sentences);
    return n > 0 ? std::pow(10.0, -log10_sum / n) : 0.0;
  }
  double oov_rate() const { return words ? static_cast<double>(oov) / static_cast<double>(words) : 0.0; }
  void add(const PerplexityReport& other);
};

// Scores each sentence from <s> to </s>.
PerplexityReport evaluate(const LanguageModel& model, const std::vector<std::vector<std::string>>& sentences);

}  // namespace unspin::lm
