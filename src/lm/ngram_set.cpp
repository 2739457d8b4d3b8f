#include "lm/ngram_set.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "lm/lm_text.h"
#include "unspin/error.h"

namespace unspin::lm {
namespace {

std::uint64_t key_of(const WordId* words, int n) {
  std::uint64_t key = ngram_key_start(words[n - 1]);
  for (int i = n - 2; i >= 0; --i) key = ngram_key_extend(key, words[i]);
  return key;
}

std::string ngram_text(const NgramSet& set, const WordId* words, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out += ' ';
    out += words[i] < set.vocab.size() ? set.vocab[words[i]] : "<bad id>";
  }
  return out;
}

void drop_unknown_ngrams(NgramLevel& level, int n) {
  std::size_t kept = 0;
  for (std::size_t i = 0; i < level.size(); ++i) {
    const WordId* w = &level.words[i * n];
    if (std::find(w, w + n, kUnknownWord) != w + n) continue;
    if (kept != i) {
      std::copy(w, w + n, &level.words[kept * n]);
      level.prob[kept] = level.prob[i];
      level.backoff[kept] = level.backoff[i];
    }
    ++kept;
  }
  level.words.resize(kept * n);
  level.prob.resize(kept);
  level.backoff.resize(kept);
}

}  // namespace

float default_unknown_log10(const NgramSet& set) {
  float lowest = 0.0f;
  bool any = false;
  for (std::size_t id = 1; id < set.uni_prob.size(); ++id) {
    const float p = set.uni_prob[id];
    if (set.vocab[id] == kBeginToken || !(p > -98.0f)) continue;  // skips -99 and NaN
    if (!any || p < lowest) lowest = p;
    any = true;
  }
  return any ? lowest - 1.0f : -10.0f;
}

bool vocab_is_lowercase(const NgramSet& set) {
  for (std::size_t id = 1; id < set.vocab.size(); ++id) {
    const std::string& w = set.vocab[id];
    if (w == kBeginToken || w == kEndToken) continue;
    if (fold_word(w) != w) return false;
  }
  return true;
}

void close_ngram_set(NgramSet& set) {
  if (set.order < 1 || set.order > kMaxOrder) {
    throw Error(ErrorCode::kBadData,
                "model order " + std::to_string(set.order) + " is outside 1.." + std::to_string(kMaxOrder));
  }
  std::vector<std::unordered_map<std::uint64_t, std::uint32_t>> index(set.order + 1);
  std::vector<std::vector<bool>> blank(set.order + 1);
  for (int n = 2; n <= set.order; ++n) {
    NgramLevel& level = set.levels[n];
    drop_unknown_ngrams(level, n);
    index[n].reserve(level.size() * 2);
    for (std::size_t i = 0; i < level.size(); ++i) {
      const WordId* w = &level.words[i * n];
      for (int k = 0; k < n; ++k) {
        if (w[k] >= set.vocab.size()) {
          throw Error(ErrorCode::kInternal, "n-gram word id out of range");
        }
      }
      if (!index[n].emplace(key_of(w, n), static_cast<std::uint32_t>(i)).second) {
        throw Error(ErrorCode::kBadData, "duplicate " + std::to_string(n) + "-gram \"" + ngram_text(set, w, n) +
                                             "\" (or a 64-bit hash collision); remove the duplicate from the source");
      }
    }
    blank[n].assign(level.size(), false);
  }
  // Top-down: every n-gram's (n-1)-word prefix and suffix must exist.
  for (int n = set.order; n >= 3; --n) {
    NgramLevel& lower = set.levels[n - 1];
    for (std::size_t i = 0; i < set.levels[n].size(); ++i) {
      for (int part = 0; part < 2; ++part) {
        const WordId* w = &set.levels[n].words[i * n] + part;  // prefix, then suffix
        const std::uint64_t key = key_of(w, n - 1);
        if (index[n - 1].count(key)) continue;
        index[n - 1].emplace(key, static_cast<std::uint32_t>(lower.size()));
        std::vector<WordId> copy(w, w + n - 1);  // `w` may move when `lower` grows
        lower.words.insert(lower.words.end(), copy.begin(), copy.end());
        lower.prob.push_back(0.0f);
        lower.backoff.push_back(0.0f);
        blank[n - 1].push_back(true);
        ++set.blanks[n - 2];
      }
    }
  }
  // Bottom-up: a blank scores what backoff would give, bo(prefix) + P(suffix).
  for (int n = 2; n <= set.order; ++n) {
    NgramLevel& level = set.levels[n];
    for (std::size_t i = 0; i < level.size(); ++i) {
      if (!blank[n][i]) continue;
      const WordId* w = &level.words[i * n];
      float prefix_bo, suffix_p;
      if (n == 2) {
        prefix_bo = set.uni_backoff[w[0]];
        suffix_p = set.uni_prob[w[1]];
      } else {
        const NgramLevel& lower = set.levels[n - 1];
        prefix_bo = lower.backoff[index[n - 1].at(key_of(w, n - 1))];
        suffix_p = lower.prob[index[n - 1].at(key_of(w + 1, n - 1))];
      }
      level.prob[i] = prefix_bo + suffix_p;
      level.backoff[i] = 0.0f;
    }
  }
  if (std::isnan(set.unknown_log10)) set.unknown_log10 = default_unknown_log10(set);
}

NgramSetScorer::NgramSetScorer(const NgramSet& set) : set_(set), index_(set.order + 1) {
  for (int n = 2; n <= set.order; ++n) {
    const NgramLevel& level = set.levels[n];
    auto& idx = index_[n];
    idx.reserve(level.size());
    for (std::size_t i = 0; i < level.size(); ++i) {
      idx.emplace_back(key_of(&level.words[i * n], n), static_cast<std::uint32_t>(i));
    }
    std::sort(idx.begin(), idx.end());
  }
}

long NgramSetScorer::find(const WordId* words, int n) const {
  const auto& idx = index_[n];
  const std::uint64_t key = key_of(words, n);
  auto it = std::lower_bound(idx.begin(), idx.end(), std::make_pair(key, std::uint32_t{0}));
  if (it == idx.end() || it->first != key) return -1;
  return it->second;
}

float NgramSetScorer::score(const std::vector<WordId>& context, WordId word) const {
  if (word == kUnknownWord || word >= set_.vocab.size()) return set_.unknown_log10;
  // An unknown word resets the context: only the words after it count.
  auto after_unknown = std::find(context.rbegin(), context.rend(), kUnknownWord).base();
  const int n_ctx = std::min<int>(static_cast<int>(context.end() - after_unknown), set_.order - 1);
  std::vector<WordId> gram(context.end() - n_ctx, context.end());
  gram.push_back(word);
  // Longest stored n-gram ending in `word`.
  int used = 0;  // context words in the matched n-gram
  float prob = set_.uni_prob[word];
  for (int len = n_ctx; len >= 1; --len) {
    const WordId* w = gram.data() + (n_ctx - len);
    const long at = find(w, len + 1);
    if (at >= 0) {
      prob = set_.levels[len + 1].prob[at];
      used = len;
      break;
    }
  }
  // Backoff weights of every longer context that exists.
  for (int len = used + 1; len <= n_ctx; ++len) {
    const WordId* w = gram.data() + (n_ctx - len);
    if (len == 1) {
      prob += set_.uni_backoff[w[0]];
    } else {
      const long at = find(w, len);
      if (at >= 0) prob += set_.levels[len].backoff[at];
    }
  }
  return prob;
}

}  // namespace unspin::lm
