// The LanguageModel behind LanguageModel::open: a .ulm file mmap'd and used in
// place. Loading checks the header in O(1); scoring is a few hash probes.
#include <algorithm>
#include <cstring>

#include "common/mapped_file.h"
#include "lm/lm_text.h"
#include "lm/ulm_file.h"
#include "lm/ulm_format.h"
#include "unspin/error.h"
#include "unspin/lm.h"

namespace unspin {
namespace {

using lm::NgramEntry;

struct Table {
  const NgramEntry* entries = nullptr;
  std::uint64_t buckets = 0;
};

class UlmModel final : public LanguageModel {
 public:
  UlmModel(MappedFile file, const lm::UlmHeader& h) : file_(std::move(file)) {
    const char* base = file_.data();
    order_ = static_cast<int>(h.order);
    vocab_size_ = h.vocab_size;
    folds_case_ = (h.flags & lm::kFlagFoldsCase) != 0;
    unknown_ = h.unknown_log10;
    slots_ = reinterpret_cast<const lm::VocabSlot*>(base + h.vocab_table.offset);
    vocab_buckets_ = h.vocab_buckets;
    offsets_ = reinterpret_cast<const std::uint32_t*>(base + h.string_offsets.offset);
    pool_ = base + h.string_pool.offset;
    pool_size_ = h.string_pool.size;
    unigrams_ = reinterpret_cast<const lm::Unigram*>(base + h.unigrams.offset);
    for (int n = 2; n <= order_; ++n) {
      tables_[n] = {reinterpret_cast<const NgramEntry*>(base + h.tables[n - 1].offset), h.buckets[n - 1]};
    }
    bos_ = vocab_id("<s>");
    eos_ = vocab_id("</s>");
  }

  int order() const override { return order_; }
  std::size_t vocab_size() const override { return vocab_size_; }
  bool folds_case() const override { return folds_case_; }
  float unknown_log10() const override { return unknown_; }
  WordId end_sentence_id() const override { return eos_; }

  WordId vocab_id(std::string_view word) const override {
    if (folds_case_ && lm::may_need_folding(word)) return lookup(lm::fold_word(word));
    return lookup(word);
  }

  std::string_view word(WordId id) const override {
    if (id >= vocab_size_) return {};
    const std::uint32_t b = offsets_[id], e = offsets_[id + 1];
    if (b > e || e > pool_size_) return {};  // corrupted body: fail soft, verify reports it
    return {pool_ + b, e - b};
  }

  LmState null_context() const override { return LmState{}; }

  LmState begin_sentence() const override {
    LmState s;
    if (bos_ != kUnknownWord && order_ > 1) {
      s.words[0] = bos_;
      s.backoff[0] = unigrams_[bos_].backoff;
      s.length = 1;
    }
    return s;
  }

  float score(const LmState& in, WordId word, LmState* out) const override {
    if (word == kUnknownWord || word >= vocab_size_) {
      if (out) *out = LmState{};
      return unknown_;
    }
    Keys keys;
    prefetch(in, word, &keys);
    return probe(in, word, keys, out);
  }

  void score_batch(const LmState* in, const WordId* words, std::size_t n, float* probs, LmState* outs) const override {
    // All buckets of a chunk are requested before any probe waits on memory.
    constexpr std::size_t kChunk = 16;
    Keys keys[kChunk];
    for (std::size_t base = 0; base < n; base += kChunk) {
      const std::size_t m = std::min(kChunk, n - base);
      for (std::size_t i = 0; i < m; ++i) {
        const WordId w = words[base + i];
        if (w != kUnknownWord && w < vocab_size_) prefetch(in[base + i], w, &keys[i]);
      }
      for (std::size_t i = 0; i < m; ++i) {
        const WordId w = words[base + i];
        if (w == kUnknownWord || w >= vocab_size_) {
          outs[base + i] = LmState{};
          probs[base + i] = unknown_;
        } else {
          probs[base + i] = probe(in[base + i], w, keys[i], &outs[base + i]);
        }
      }
    }
  }

  // Three passes over chunks of words, each requesting what the next one
  // reads: the vocabulary slot of every word's hash, then the string offsets
  // of the ids found there, then the spellings; the last pass is lookup()
  // itself (so the ids are vocab_id()'s by construction), now on cached lines.
  void vocab_ids(const std::string_view* words, std::size_t n, WordId* ids) const override {
    constexpr std::size_t kChunk = 32;
    std::uint64_t hashes[kChunk], buckets[kChunk];
    for (std::size_t base = 0; base < n; base += kChunk) {
      const std::size_t m = std::min(kChunk, n - base);
      for (std::size_t i = 0; i < m; ++i) {
        hashes[i] = lm::word_hash(words[base + i]);
        buckets[i] = lm::bucket_of(hashes[i], vocab_buckets_);
        __builtin_prefetch(slots_ + buckets[i]);
      }
      for (std::size_t i = 0; i < m; ++i) {
        const lm::VocabSlot& s = slots_[buckets[i]];
        if (s.hash == hashes[i] && s.id < vocab_size_) __builtin_prefetch(offsets_ + s.id);
      }
      for (std::size_t i = 0; i < m; ++i) {
        const lm::VocabSlot& s = slots_[buckets[i]];
        if (s.hash == hashes[i] && s.id < vocab_size_ && offsets_[s.id] < pool_size_) {
          __builtin_prefetch(pool_ + offsets_[s.id]);
        }
      }
      for (std::size_t i = 0; i < m; ++i) ids[base + i] = vocab_id(words[base + i]);
    }
  }

  // Each n-gram's bucket and the line after it: an n-gram the model does not
  // hold (a fifth of bigrams, most trigrams) is probed up to an empty slot,
  // ~5 entries on average at the tables' load of 2/3.
  void prefetch_text(const WordId* ids, std::size_t n) const override {
    const auto request = [](const Table& t, std::uint64_t key) {
      const std::uint64_t b = lm::bucket_of(key, t.buckets);
      __builtin_prefetch(t.entries + b);
      __builtin_prefetch(t.entries + std::min<std::uint64_t>(b + 4, t.buckets - 1));
    };
    for (std::size_t i = 0; i < n; ++i) {
      const WordId w = ids[i];
      if (w == kUnknownWord || w >= vocab_size_) continue;
      __builtin_prefetch(unigrams_ + w);
      if (order_ < 2 || i < 1 || ids[i - 1] == kUnknownWord) continue;
      const std::uint64_t k2 = lm::ngram_key_extend(lm::ngram_key_start(w), ids[i - 1]);
      request(tables_[2], k2);
      if (order_ < 3 || i < 2 || ids[i - 2] == kUnknownWord) continue;
      request(tables_[3], lm::ngram_key_extend(k2, ids[i - 2]));
    }
  }

 private:
  // Keys of (h1 w), (h2 h1 w), ...: independent of the probe results, so
  // their buckets are prefetched before the first probe waits on memory.
  struct Keys {
    std::uint64_t key[kMaxOrder - 1];
    int count = 0;
  };
  void prefetch(const LmState& in, WordId word, Keys* keys) const {
    keys->count = std::min<int>(in.length, order_ - 1);
    std::uint64_t key = lm::ngram_key_start(word);
    __builtin_prefetch(unigrams_ + word);
    for (int i = 0; i < keys->count; ++i) {
      key = lm::ngram_key_extend(key, in.words[i]);
      keys->key[i] = key;
      const Table& t = tables_[i + 2];
      __builtin_prefetch(t.entries + lm::bucket_of(key, t.buckets));
    }
  }

  float score_matched(const LmState& in, WordId word, LmState* out, int* matched_order) const override {
    if (word == kUnknownWord || word >= vocab_size_) {
      *out = LmState{};
      *matched_order = 0;
      return unknown_;
    }
    Keys keys;
    prefetch(in, word, &keys);
    return probe(in, word, keys, out, matched_order);
  }

  float probe(const LmState& in, WordId word, const Keys& keys, LmState* out, int* matched_order = nullptr) const {
    LmState next;
    const int max_context = order_ - 1;
    const int in_len = keys.count;
    const lm::Unigram& u = unigrams_[word];
    float prob = u.prob;
    if (max_context > 0) {
      next.words[0] = word;
      next.backoff[0] = u.backoff;
      next.length = 1;
    }
    int matched = 0;  // context words of the longest stored n-gram ending in `word`
    for (; matched < in_len; ++matched) {
      const NgramEntry* e = find(matched + 2, keys.key[matched]);
      if (!e) break;
      prob = e->prob;
      if (matched + 1 < max_context) {
        next.words[matched + 1] = in.words[matched];
        next.backoff[matched + 1] = e->backoff;
        next.length = static_cast<std::uint8_t>(matched + 2);
      }
    }
    // Back off from every longer context; its weight was stored in the state.
    for (int j = matched; j < in_len; ++j) prob += in.backoff[j];
    if (matched_order) *matched_order = matched + 1;
    if (out) *out = next;
    return prob;
  }

  WordId lookup(std::string_view word) const {
    const std::uint64_t hash = lm::word_hash(word);
    std::uint64_t b = lm::bucket_of(hash, vocab_buckets_);
    for (std::uint64_t probes = 0; probes < vocab_buckets_; ++probes) {
      const lm::VocabSlot& s = slots_[b];
      if (s.hash == 0) return kUnknownWord;
      if (s.hash == hash && s.id < vocab_size_ && this->word(s.id) == word) return s.id;
      if (++b == vocab_buckets_) b = 0;
    }
    return kUnknownWord;
  }

  // Linear probing; the probe bound keeps a corrupted (full) table from looping.
  const NgramEntry* find(int n, std::uint64_t key) const {
    const Table& t = tables_[n];
    std::uint64_t b = lm::bucket_of(key, t.buckets);
    for (std::uint64_t probes = 0; probes < t.buckets; ++probes) {
      const NgramEntry& e = t.entries[b];
      if (e.key == key) return &e;
      if (e.key == 0) return nullptr;
      if (++b == t.buckets) b = 0;
    }
    return nullptr;
  }

  MappedFile file_;
  int order_ = 0;
  std::uint64_t vocab_size_ = 0;
  bool folds_case_ = false;
  float unknown_ = 0;
  const lm::VocabSlot* slots_ = nullptr;
  std::uint64_t vocab_buckets_ = 0;
  const std::uint32_t* offsets_ = nullptr;
  const char* pool_ = nullptr;
  std::uint64_t pool_size_ = 0;
  const lm::Unigram* unigrams_ = nullptr;
  Table tables_[kMaxOrder + 1];
  WordId bos_ = kUnknownWord, eos_ = kUnknownWord;
};

}  // namespace

std::unique_ptr<LanguageModel> LanguageModel::open(const std::string& path) {
  MappedFile file = [&] {
    try {
      return MappedFile(path);
    } catch (const Error& e) {
      throw Error(ErrorCode::kBadModel, std::string(e.what()) + "; " + lm::rebuild_hint(path, nullptr));
    }
  }();
  const lm::UlmHeader& header = lm::check_ulm_header(file.bytes(), path);
  return std::make_unique<UlmModel>(std::move(file), header);
}

bool LmState::operator==(const LmState& other) const noexcept {
  if (length != other.length) return false;
  for (int i = 0; i < length && i < kMaxOrder - 1; ++i) {
    if (words[i] != other.words[i]) return false;
  }
  return true;
}

// Backoffs are a function of the words (for a given model), so neither
// equality nor the hash looks at them.
std::uint64_t LmState::hash() const noexcept {
  std::uint64_t h = lm::mix64(length + 0x51ED270B27C9F1A3ull);
  for (int i = 0; i < length && i < kMaxOrder - 1; ++i) h = lm::mix64(h ^ (words[i] + 0x9E3779B97F4A7C15ull * (i + 1)));
  return h;
}

}  // namespace unspin
