#include "lm/evaluate.h"

namespace unspin::lm {

void PerplexityReport::add(const PerplexityReport& other) {
  sentences += other.sentences;
  words += other.words;
  oov += other.oov;
  log10_sum += other.log10_sum;
}

PerplexityReport evaluate(const LanguageModel& model, const std::vector<std::vector<std::string>>& sentences) {
  PerplexityReport r;
  LmState state, next;
  for (const auto& sentence : sentences) {
    state = model.begin_sentence();
    for (const std::string& w : sentence) {
      const WordId id = model.vocab_id(w);
      ++r.words;
      if (id == kUnknownWord) {
        ++r.oov;
        state = model.null_context();
        continue;
      }
      r.log10_sum += model.score(state, id, &next);
      state = next;
    }
    r.log10_sum += model.score(state, model.end_sentence_id(), &next);
    ++r.sentences;
  }
  return r;
}

}  // namespace unspin::lm
