#include "lm/kneser_ney.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "unspin/error.h"

namespace unspin::lm {
namespace {

constexpr WordId kBos = 1, kEos = 2;  // ids fixed by the constructor

using Gram = std::array<WordId, kMaxOrder>;  // unused tail is 0

struct Counted {
  Gram gram;
  std::uint32_t count;
};

// Sorts and merges equal grams, summing counts.
std::vector<Counted> merge(std::vector<Counted> items) {
  std::sort(items.begin(), items.end(), [](const Counted& a, const Counted& b) { return a.gram < b.gram; });
  std::vector<Counted> out;
  for (const Counted& c : items) {
    if (!out.empty() && out.back().gram == c.gram) {
      out.back().count += c.count;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::size_t find_gram(const std::vector<Counted>& level, const Gram& g) {
  auto it = std::lower_bound(level.begin(), level.end(), g, [](const Counted& c, const Gram& x) { return c.gram < x; });
  if (it == level.end() || it->gram != g) {
    throw Error(ErrorCode::kInternal, "Kneser-Ney: a suffix or context n-gram is missing");
  }
  return static_cast<std::size_t>(it - level.begin());
}

}  // namespace

KneserNeyBuilder::KneserNeyBuilder(int order) : order_(order) {
  if (order < 1 || order > kMaxOrder) {
    throw Error(ErrorCode::kUsage, "--order must be between 1 and " + std::to_string(kMaxOrder));
  }
  intern(kUnknownToken);
  intern(kBeginToken);
  intern(kEndToken);
}

WordId KneserNeyBuilder::intern(std::string_view word) {
  auto [it, added] = ids_.emplace(std::string(word), static_cast<WordId>(vocab_.size()));
  if (added) vocab_.emplace_back(word);
  return it->second;
}

void KneserNeyBuilder::add_sentence(const std::vector<std::string>& words) {
  if (words.empty()) return;
  sentence_starts_.push_back(text_.size());
  text_.push_back(kBos);
  for (const std::string& w : words) {
    // The markers are reserved: a literal "<s>" in the text is dropped.
    if (w == kBeginToken || w == kEndToken || w == kUnknownToken) continue;
    text_.push_back(intern(w));
    ++tokens_;
  }
  text_.push_back(kEos);
}

NgramSet KneserNeyBuilder::estimate() {
  if (sentence_starts_.empty()) throw Error(ErrorCode::kBadData, "no text to estimate a language model from");
  const int N = order_;
  std::vector<std::vector<Counted>> levels(N + 1);
  const std::size_t n_sent = sentence_starts_.size();
  auto sentence_end = [&](std::size_t s) { return s + 1 < n_sent ? sentence_starts_[s + 1] : text_.size(); };

  // Highest order: raw counts of every window. Lower orders: raw counts of
  // the sentence-initial n-grams (nothing can precede <s>), continuation
  // counts (distinct left extensions) for all others.
  {
    std::vector<Counted> items;
    for (std::size_t s = 0; s < n_sent; ++s) {
      const std::size_t b = sentence_starts_[s], e = sentence_end(s);
      for (std::size_t i = b; i + N <= e; ++i) {
        Counted c{{}, 1};
        std::copy(&text_[i], &text_[i] + N, c.gram.begin());
        items.push_back(c);
      }
    }
    levels[N] = merge(std::move(items));
  }
  for (int n = N - 1; n >= 1; --n) {
    std::vector<Counted> items;
    items.reserve(levels[n + 1].size() + n_sent);
    for (const Counted& c : levels[n + 1]) {
      Counted s{{}, 1};
      std::copy(c.gram.begin() + 1, c.gram.begin() + n + 1, s.gram.begin());
      items.push_back(s);
    }
    for (std::size_t s = 0; s < n_sent; ++s) {
      const std::size_t b = sentence_starts_[s], e = sentence_end(s);
      if (e - b < static_cast<std::size_t>(n)) continue;
      Counted c{{}, 1};
      std::copy(&text_[b], &text_[b] + n, c.gram.begin());
      items.push_back(c);
    }
    levels[n] = merge(std::move(items));
  }

  // Discounts from count-of-counts.
  NgramSet set;
  set.order = N;
  set.source = UlmSource::kKneserNey;
  set.folds_case = false;                              // decided by the caller, who knows how the text was tokenized
  std::vector<std::array<double, 4>> discount(N + 1);  // [1..3] used
  for (int n = 1; n <= N; ++n) {
    double cc[5] = {};
    for (const Counted& c : levels[n]) {
      if (n == 1 && c.gram[0] == kBos) continue;
      if (c.count <= 4) cc[c.count] += 1;
    }
    double d1 = 0, d2 = 0, d3 = 0;
    if (cc[1] > 0 && cc[2] > 0 && cc[3] > 0 && cc[4] > 0) {
      const double y = cc[1] / (cc[1] + 2 * cc[2]);
      d1 = 1 - 2 * y * cc[2] / cc[1];
      d2 = 2 - 3 * y * cc[3] / cc[2];
      d3 = 3 - 4 * y * cc[4] / cc[3];
    }
    if (!(d1 > 0 && d1 < 1 && d2 > 0 && d2 < 2 && d3 > 0 && d3 < 3)) {
      warnings_.push_back("order " + std::to_string(n) +
                          ": too little text for count-of-counts discounts; using 0.5, 1, 1.5");
      d1 = 0.5, d2 = 1.0, d3 = 1.5;
    }
    discount[n] = {0, d1, d2, d3};
    for (int k = 0; k < 3; ++k) set.discounts[n - 1][k] = static_cast<float>(discount[n][k + 1]);
  }
  auto D = [&](int n, std::uint32_t count) { return discount[n][std::min<std::uint32_t>(count, 3)]; };

  // Probabilities, interpolated bottom-up; gamma(context) becomes its backoff.
  std::vector<std::vector<double>> prob(N + 1), gamma(N + 1);
  const std::size_t V = vocab_.size();
  std::vector<double> uni(V, 0.0), uni_gamma(V, 1.0);
  {
    double total = 0, mass = 0;
    for (const Counted& c : levels[1]) {
      if (c.gram[0] == kBos) continue;
      total += c.count;
      mass += D(1, c.count);
    }
    const double g0 = mass / total;
    const double uniform = 1.0 / static_cast<double>(V - 1);  // every word but <s>
    for (std::size_t w = 0; w < V; ++w) uni[w] = w == kBos ? 0.0 : g0 * uniform;
    for (const Counted& c : levels[1]) {
      if (c.gram[0] == kBos) continue;
      uni[c.gram[0]] += (c.count - D(1, c.count)) / total;
    }
  }
  for (int n = 2; n <= N; ++n) {
    const auto& level = levels[n];
    prob[n].assign(level.size(), 0.0);
    gamma[n - 1].assign(levels[n - 1].size(), 1.0);
    for (std::size_t b = 0; b < level.size();) {
      std::size_t e = b;
      double total = 0, mass = 0;
      while (e < level.size() &&
             std::equal(level[e].gram.begin(), level[e].gram.begin() + n - 1, level[b].gram.begin())) {
        total += level[e].count;
        mass += D(n, level[e].count);
        ++e;
      }
      const double g = mass / total;
      Gram context{};
      std::copy(level[b].gram.begin(), level[b].gram.begin() + n - 1, context.begin());
      if (n == 2) {
        uni_gamma[context[0]] = g;
      } else {
        gamma[n - 1][find_gram(levels[n - 1], context)] = g;
      }
      for (std::size_t i = b; i < e; ++i) {
        const Counted& c = level[i];
        double lower;
        if (n == 2) {
          lower = uni[c.gram[1]];
        } else {
          Gram suffix{};
          std::copy(c.gram.begin() + 1, c.gram.begin() + n, suffix.begin());
          lower = prob[n - 1][find_gram(levels[n - 1], suffix)];
        }
        prob[n][i] = (c.count - D(n, c.count)) / total + g * lower;
      }
      b = e;
    }
  }

  set.vocab = vocab_;
  set.uni_prob.resize(V);
  set.uni_backoff.resize(V);
  for (std::size_t w = 0; w < V; ++w) {
    set.uni_prob[w] = w == kBos ? -99.0f : static_cast<float>(std::log10(uni[w]));
    set.uni_backoff[w] = N > 1 ? static_cast<float>(std::log10(uni_gamma[w])) : 0.0f;
  }
  set.unknown_log10 = set.uni_prob[kUnknownWord];
  for (int n = 2; n <= N; ++n) {
    NgramLevel& out = set.levels[n];
    const auto& level = levels[n];
    out.words.reserve(level.size() * n);
    for (std::size_t i = 0; i < level.size(); ++i) {
      out.words.insert(out.words.end(), level[i].gram.begin(), level[i].gram.begin() + n);
      out.prob.push_back(static_cast<float>(std::log10(prob[n][i])));
      out.backoff.push_back(n < N ? static_cast<float>(std::log10(gamma[n][i])) : 0.0f);
    }
  }
  return set;
}

}  // namespace unspin::lm
