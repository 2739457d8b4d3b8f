// Language model: state-based n-gram scoring in the style of KenLM.
//
// Models live in unspin's own binary format (.ulm): mmap'd and used in place.
// They are made once from the Debian Sphinx binary or from an ARPA file
// (`unspin lm import-sphinx`, `unspin lm import-arpa`) or estimated from text
// (`unspin lm build`). All scores are log10 probabilities.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace unspin {

using WordId = std::uint32_t;
inline constexpr WordId kUnknownWord = 0;  // id of every out-of-vocabulary word
inline constexpr int kMaxOrder = 5;

// The context an n-gram model needs to score the next word: the last
// (order - 1) word ids, most recent first. Plain and hashable so that
// decoder paths with equal states merge.
struct LmState {
  WordId words[kMaxOrder - 1] = {};
  std::uint8_t length = 0;            // how many of `words` are meaningful
  float backoff[kMaxOrder - 1] = {};  // backoff weights of the context n-grams

  bool operator==(const LmState& other) const noexcept;
  std::uint64_t hash() const noexcept;
};

class LanguageModel {
 public:
  // Opens a .ulm file. Throws unspin::Error(kBadModel) with a message saying
  // how to rebuild it when the file is missing, truncated, foreign or old.
  static std::unique_ptr<LanguageModel> open(const std::string& path);
  virtual ~LanguageModel() = default;

  virtual int order() const = 0;
  virtual std::size_t vocab_size() const = 0;
  // Looks up a word as the model was trained (see folds_case()); OOV -> kUnknownWord.
  virtual WordId vocab_id(std::string_view word) const = 0;
  virtual std::string_view word(WordId id) const = 0;
  // True when the model was trained on lowercased text (the default model is).
  virtual bool folds_case() const = 0;

  virtual LmState begin_sentence() const = 0;  // context "<s>"
  virtual LmState null_context() const = 0;    // no context
  virtual WordId end_sentence_id() const = 0;  // "</s>"

  // log10 P(word | in). An unknown word scores unknown_log10() and resets the
  // context, so one OOV word cannot swamp a sentence's score.
  virtual float score(const LmState& in, WordId word, LmState* out) const = 0;
  // score() of n independent queries: probs[i] = score(in[i], words[i], &outs[i]).
  // A model may overlap their memory accesses (the .ulm model prefetches
  // every query's hash buckets before it probes the first), so a decoder
  // scoring many candidates of one span asks for them together.
  virtual void score_batch(const LmState* in, const WordId* words, std::size_t n, float* probs, LmState* outs) const {
    for (std::size_t i = 0; i < n; ++i) probs[i] = score(in[i], words[i], &outs[i]);
  }
  // vocab_id() of n words: ids[i] = vocab_id(words[i]), always the same ids.
  // A model may overlap their memory accesses (the .ulm model requests every
  // word's vocabulary slot, then its spelling, before it compares the first),
  // so a caller about to look up a whole text asks for it together.
  virtual void vocab_ids(const std::string_view* words, std::size_t n, WordId* ids) const {
    for (std::size_t i = 0; i < n; ++i) ids[i] = vocab_id(words[i]);
  }
  // A hint with no result and no effect on any score: requests the memory
  // that score() of each word of a running text will read (ids[i] after
  // ids[i - 1] and ids[i - 2], kUnknownWord for a word the model does not
  // know or a context break), so that a following pass of score() calls over
  // the same text waits on memory once rather than at every word. Callers
  // pass a few thousand words at most (the lines must still be cached when
  // the scoring pass reaches them). The default requests nothing.
  virtual void prefetch_text(const WordId* ids, std::size_t n) const {
    (void)ids;
    (void)n;
  }
  virtual float unknown_log10() const = 0;
  // score(), and the order of the longest n-gram the model holds that ends in
  // `word` with this context (1: the word alone, the context backed off; 2: the
  // bigram; ...). The document screen asks it to tell word pairs the model
  // never saw. The default derives it from the output state, which is exact
  // below the model's order.
  virtual float score_matched(const LmState& in, WordId word, LmState* out, int* matched_order) const {
    const float p = score(in, word, out);
    *matched_order = out->length;
    return p;
  }
};

}  // namespace unspin
