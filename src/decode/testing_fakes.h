// Small in-memory LM and lexicon for decoder tests: a bigram model with a
// fixed backoff, and a lexicon from a map. Not part of the library.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "unspin/lexicon.h"
#include "unspin/lm.h"
#include "unspin/text.h"

namespace unspin::testing {

class FakeBigramLm : public LanguageModel {
 public:
  explicit FakeBigramLm(std::vector<std::string> vocab) : vocab_(std::move(vocab)) {
    vocab_.insert(vocab_.begin(), {"<unk>", "<s>", "</s>"});
  }
  void set(const std::string& prev, const std::string& word, float log10p) {
    bigrams_[{vocab_id(prev), vocab_id(word)}] = log10p;
  }
  void set_unigram(const std::string& word, float log10p) { unigrams_[vocab_id(word)] = log10p; }

  int order() const override { return 2; }
  std::size_t vocab_size() const override { return vocab_.size(); }
  WordId vocab_id(std::string_view word) const override {
    std::string folded = fold_case(word);
    for (WordId i = 1; i < vocab_.size(); ++i) {
      if (vocab_[i] == folded) return i;
    }
    return kUnknownWord;
  }
  std::string_view word(WordId id) const override { return vocab_.at(id); }
  bool folds_case() const override { return true; }
  LmState begin_sentence() const override {
    LmState s;
    s.words[0] = 1;
    s.length = 1;
    return s;
  }
  LmState null_context() const override { return LmState{}; }
  WordId end_sentence_id() const override { return 2; }
  float score(const LmState& in, WordId w, LmState* out) const override {
    *out = LmState{};
    if (w == kUnknownWord) return unknown_log10();
    out->words[0] = w;
    out->length = 1;
    auto uni = unigrams_.find(w);
    const float unigram = uni == unigrams_.end() ? -3.0f : uni->second;
    if (in.length == 0) return unigram;
    auto it = bigrams_.find({in.words[0], w});
    return it == bigrams_.end() ? unigram - 0.5f : it->second;
  }
  float unknown_log10() const override { return -7.0f; }

 private:
  std::vector<std::string> vocab_;
  std::map<std::pair<WordId, WordId>, float> bigrams_;
  std::map<WordId, float> unigrams_;
};

class FakeLexicon : public Lexicon {
 public:
  void add(const std::string& spun, const std::string& original, float prior) {
    entries_[spun].push_back({original, prior});
  }
  void lookup(std::string_view spun, std::vector<Candidate>* out) const override {
    auto it = entries_.find(std::string(spun));
    if (it == entries_.end()) return;
    for (const auto& [original, prior] : it->second) out->push_back({original, prior, kSourceUser});
  }
  bool has_longer(std::string_view prefix) const override {
    const std::string p = std::string(prefix) + " ";
    for (const auto& [key, _] : entries_) {
      if (key.starts_with(p)) return true;
    }
    return false;
  }
  int max_key_words() const override { return 4; }
  bool contains(std::string_view spun) const override { return entries_.count(std::string(spun)) > 0; }
  std::size_t key_count() const override { return entries_.size(); }

 private:
  std::map<std::string, std::vector<std::pair<std::string, float>>> entries_;
};

}  // namespace unspin::testing
