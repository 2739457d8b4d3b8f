#include "listed/unlisted.h"

#include <optional>

#include <algorithm>
#include <cmath>

#include "listed/tokens.h"

namespace unspin::listed {

namespace {

std::vector<std::string> words_of(const std::string& key) {
  std::vector<std::string> w;
  std::size_t i = 0;
  while (i < key.size()) {
    const std::size_t sp = std::min(key.find(' ', i), key.size());
    w.push_back(key.substr(i, sp - i));
    i = sp + 1;
  }
  return w;
}

// The confidence's parameters: chosen on the fitting part of the list and
// build-part prose (`unspin eval tortured --fit-part`, bench/RESULTS.md),
// never on the eval part. The weights are set by hand; the bias was moved so
// that the default review threshold (0.2) keeps the spans that scored 0.8
// under bias -4: at 0.2 (bias -4) clean build-part prose had 2.6-4.4 suspects
// per 2,000 words, at 0.8 at most 0.32 (Brown J 0, SOTU 0.32), recall of held-out
// phrases 0.100 -> 0.033 at precision 0.745 -> 1.0.
struct Params {
  double bias = -6.77;
  double lm_gain = 0.8;       // per log10 unit of LM gain
  double recurrence = 0.9;    // per log10(1 + count) summed over substitutions
  double extra_sub = 1.0;     // per substituted word beyond the first
  std::size_t max_alternatives = 6;
  std::uint32_t min_count_single = 2;  // a one-word restoration needs a substitution seen this often
};
constexpr Params kParams{};

}  // namespace

UnlistedModel UnlistedModel::learn(const PhraseList& list) {
  UnlistedModel m;
  std::unordered_map<std::string, std::unordered_map<std::string, std::uint32_t>> counts;
  for (const ListedPhrase& p : list.phrases()) {
    if (p.correct.empty()) continue;
    std::vector<std::string> c = words_of(p.correct), t = words_of(p.tortured);
    for (std::string& w : c) w = number_stem(w);
    for (std::string& w : t) w = number_stem(w);
    for (std::size_t i = 0; i + 1 < c.size(); ++i) {
      if (c[i] != "," && c[i + 1] != ",") ++m.bigrams[c[i] + " " + c[i + 1]];
    }
    if (p.status != Status::kActive && p.status != Status::kNeedsContext) continue;
    if (c.size() != t.size()) continue;
    ++m.pairs_aligned;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c[i] == t[i] || c[i] == "," || t[i] == ",") continue;
      ++counts[t[i]][c[i]];
      ++m.substitutions_seen;
    }
  }
  for (auto& [written, alts] : counts) {
    std::vector<Alternative>& v = m.substitutions[written];
    for (auto& [word, n] : alts) v.push_back({word, n});
    std::sort(v.begin(), v.end(), [](const Alternative& a, const Alternative& b) {
      return a.count != b.count ? a.count > b.count : a.word < b.word;
    });
  }
  return m;
}

UnlistedFinder::UnlistedFinder(const PhraseList& list, const LanguageModel* lm)
    : model_(UnlistedModel::learn(list)), lm_(lm) {}

std::vector<Suspect> UnlistedFinder::find(std::string_view text) const {
  struct Word {
    std::uint32_t begin, end;
    std::string folded, stem;
    bool run_start;  // first word after a break or comma
  };
  std::vector<Word> words;
  bool run_start = true;
  detail::scan(text, [&](detail::TokenKind k, std::size_t b, std::size_t e, bool) {
    if (k != detail::TokenKind::kWord) {
      run_start = true;
      return;
    }
    Word w{static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), {}, {}, run_start};
    detail::fold_word(text.substr(b, e - b), w.folded);
    w.stem = number_stem(w.folded);
    words.push_back(std::move(w));
    run_start = false;
  });
  const auto bigram = [&](const std::string& a, const std::string& b) -> std::uint32_t {
    auto it = model_.bigrams.find(a + " " + b);
    return it == model_.bigrams.end() ? 0 : it->second;
  };
  const auto alternatives = [&](const std::string& stem) -> const std::vector<UnlistedModel::Alternative>* {
    auto it = model_.substitutions.find(stem);
    return it == model_.substitutions.end() ? nullptr : &it->second;
  };
  // LM log10 of words[lo..hi) as `choice` (stems replaced; the written word
  // where choice is empty), with one word of context each side.
  const auto lm_score = [&](std::size_t lo, std::size_t hi, const std::vector<std::string>& choice) {
    if (!lm_) return 0.0;
    LmState state = lo > 0 && !words[lo].run_start ? lm_->null_context() : lm_->begin_sentence();
    LmState next;
    if (lo > 0 && !words[lo].run_start) {
      lm_->score(state, lm_->vocab_id(words[lo - 1].folded), &next);
      state = next;
    }
    double total = 0;
    for (std::size_t i = lo; i < hi; ++i) {
      const std::string& w = choice[i - lo].empty() ? words[i].folded : choice[i - lo];
      total += lm_->score(state, lm_->vocab_id(w), &next);
      state = next;
    }
    if (hi < words.size() && !words[hi].run_start) total += lm_->score(state, lm_->vocab_id(words[hi].folded), &next);
    return total;
  };

  struct Cand {
    Suspect s;
    double z;
  };
  std::vector<Cand> cands;
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t len = 4; len >= 2; --len) {
      const std::size_t hi = i + len;
      if (hi > words.size()) continue;
      bool one_run = true;
      for (std::size_t k = i + 1; k < hi; ++k) one_run &= !words[k].run_start;
      if (!one_run) continue;
      // Written as scientific terms are: never a suspect.
      bool written_known = true;
      for (std::size_t k = i; k + 1 < hi; ++k) written_known &= bigram(words[k].stem, words[k + 1].stem) > 0;
      if (written_known) continue;
      // Depth-first over the choices whose bigrams are all correct-term bigrams.
      // Depth-first over the choices whose bigrams are all correct-term
      // bigrams; each complete choice is scored, the best kept.
      std::vector<std::string> choice(len);
      std::vector<std::uint32_t> counts(len, 0);
      Suspect best;
      double best_z = -1e300;
      // The span's LM score as written, the same whenever it is computed: only
      // when a choice is scored (most spans have none, and this was ~15 LM
      // queries per word of every decoded document).
      std::optional<double> written_lm;
      const auto dfs = [&](auto&& self, std::size_t k, const std::string& prev) -> void {
        if (k == hi) {
          Suspect s;
          std::uint32_t max_count = 0;
          for (std::size_t j = 0; j < len; ++j) {
            if (!counts[j]) continue;
            ++s.substituted;
            s.recurrence += std::log10(1.0 + counts[j]);
            max_count = std::max(max_count, counts[j]);
          }
          if (s.substituted == 0 || (s.substituted == 1 && max_count < kParams.min_count_single)) return;
          // The restoration keeps the written number of each word.
          std::vector<std::string> restored(len);
          for (std::size_t j = 0; j < len; ++j) {
            const Word& w = words[i + j];
            restored[j] = choice[j].empty() ? w.folded : (w.stem != w.folded ? pluralize(choice[j]) : choice[j]);
            if (j) s.original += ' ';
            s.original += restored[j];
          }
          if (!written_lm) written_lm = lm_score(i, hi, std::vector<std::string>(len));
          s.lm_gain = lm_score(i, hi, restored) - *written_lm;
          const double z = kParams.bias + kParams.lm_gain * s.lm_gain + kParams.recurrence * s.recurrence +
                           kParams.extra_sub * (s.substituted - 1);
          if (z > best_z) best_z = z, best = std::move(s);
          return;
        }
        const std::size_t j = k - i;
        // Keep the written word.
        if (k == i || bigram(prev, words[k].stem) > 0) {
          choice[j].clear();
          counts[j] = 0;
          self(self, k + 1, words[k].stem);
        }
        if (const auto* alts = alternatives(words[k].stem)) {
          for (std::size_t a = 0; a < std::min(alts->size(), kParams.max_alternatives); ++a) {
            const std::string& w = (*alts)[a].word;
            if (k > i && bigram(prev, w) == 0) continue;
            choice[j] = w;
            counts[j] = (*alts)[a].count;
            self(self, k + 1, w);
          }
          choice[j].clear();
          counts[j] = 0;
        }
      };
      dfs(dfs, i, std::string());
      if (best_z <= -1e299) continue;
      Suspect s = std::move(best);
      s.byte_begin = words[i].begin;
      s.byte_end = words[hi - 1].end;
      const double z = best_z;
      s.confidence = 1.0 / (1.0 + std::exp(-z));
      cands.push_back({std::move(s), z});
    }
  }
  // Non-overlapping, the most confident first.
  std::sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
    return a.z != b.z ? a.z > b.z : a.s.byte_begin < b.s.byte_begin;
  });
  std::vector<Suspect> out;
  for (Cand& c : cands) {
    bool free = true;
    for (const Suspect& o : out) free &= c.s.byte_end <= o.byte_begin || o.byte_end <= c.s.byte_begin;
    if (free) out.push_back(std::move(c.s));
  }
  std::sort(out.begin(), out.end(), [](const Suspect& a, const Suspect& b) { return a.byte_begin < b.byte_begin; });
  std::uint32_t byte = 0, cp = 0;
  for (Suspect& s : out) {
    for (; byte < s.byte_begin; ++byte) cp += (static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80;
    s.cp_begin = cp;
    for (; byte < s.byte_end; ++byte) cp += (static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80;
    s.cp_end = cp;
  }
  return out;
}

}  // namespace unspin::listed
