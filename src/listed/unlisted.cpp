#include "listed/unlisted.h"

#include <optional>

#include <algorithm>
#include <stdexcept>
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

// The search's limits.
struct Params {
  std::size_t max_alternatives = 6;
  std::uint32_t min_count_single = 2;  // a one-word restoration needs a substitution seen this often
  double llr_bound = 3.0;              // |log10 P_t(w) / P_lm(w)| per word at most
  double min_confidence = 0.01;        // find() drops windows below this
  // The prior odds of a tortured window: in the fitting documents (the
  // share of the fitting windows inside a planted phrase), and in a text
  // (chosen on the fitting part, so that the default review threshold 0.2
  // keeps clean build-part prose of every genre under one span per 2,000
  // words: docs/LEXICON.md).
  double window_prior = 0.00728;
  double text_prior = 2.2e-4;
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
    for (const std::string& w : c) {
      if (w != ",") ++m.correct_words[w];
    }
    if (p.status != Status::kActive && p.status != Status::kNeedsContext) continue;
    for (const std::string& w : t) {
      if (w == ",") continue;
      ++m.tortured_words[w];
      ++m.tortured_total;
    }
    if (c.size() != t.size()) continue;
    ++m.pairs_aligned;
    for (std::size_t i = 0; i < c.size(); ++i) {
      if (c[i] == t[i] || c[i] == "," || t[i] == ",") continue;
      ++counts[t[i]][c[i]];
      ++m.substitutions_seen;
    }
  }
  for (const auto& [bigram, n] : m.bigrams) {
    const std::size_t sp = bigram.find(' ');
    std::uint32_t id[2];
    for (int side = 0; side < 2; ++side) {
      const std::string w = side == 0 ? bigram.substr(0, sp) : bigram.substr(sp + 1);
      id[side] = m.vocab.emplace(w, static_cast<std::uint32_t>(m.vocab.size())).first->second;
    }
    m.bigram_ids.insert(static_cast<std::uint64_t>(id[0]) << 32 | id[1]);
  }
  for (auto& [written, alts] : counts) {
    std::vector<Alternative>& v = m.substitutions[written];
    for (auto& [word, n] : alts) v.push_back({word, n, m.id_of(word)});
    std::sort(v.begin(), v.end(), [](const Alternative& a, const Alternative& b) {
      return a.count != b.count ? a.count > b.count : a.word < b.word;
    });
  }
  return m;
}

double UnlistedModel::tortured_log10(const std::string& stem) const {
  const auto it = tortured_words.find(stem);
  const double n = it == tortured_words.end() ? 0.0 : it->second;
  return std::log10((n + 0.5) /
                    (static_cast<double>(tortured_total) + 0.5 * static_cast<double>(tortured_words.size() + 1)));
}

UnlistedWeights UnlistedWeights::from_values(const std::vector<double>& v) {
  if (v.size() != kCount) {
    throw std::invalid_argument("unlisted weights: " + std::to_string(v.size()) + " values, not " +
                                std::to_string(kCount));
  }
  UnlistedWeights w;
  double* fields[kCount] = {&w.bias,
                            &w.words,
                            &w.llr,
                            &w.llr_min,
                            &w.written_known,
                            &w.correct_vocab,
                            &w.lm_gain,
                            &w.recurrence,
                            &w.substituted,
                            &w.association,
                            &w.unseen_pairs,
                            &w.substitutable,
                            &w.output_recurrence,
                            &w.restored_known,
                            &w.llr_max,
                            &w.function_edges};
  for (std::size_t i = 0; i < kCount; ++i) *fields[i] = v[i];
  return w;
}

double suspect_logit(const UnlistedWeights& w, const Suspect& s) {
  return w.bias + w.llr_max * s.llr_max + w.function_edges * s.function_edges + w.restored_known * s.restored_known +
         w.association * s.association + w.unseen_pairs * s.unseen_pairs + w.substitutable * s.substitutable +
         w.output_recurrence * s.output_recurrence + w.llr * s.tortured_llr + w.llr_min * s.tortured_llr_min +
         w.words * s.words + w.written_known * s.written_known + w.correct_vocab * s.correct_vocab +
         w.lm_gain * s.lm_gain + w.recurrence * s.recurrence + w.substituted * s.substituted;
}

UnlistedFinder::UnlistedFinder(const PhraseList& list, const LanguageModel* lm, const UnlistedWeights& weights)
    : model_(UnlistedModel::learn(list)), lm_(lm), weights_(weights) {
  const auto add = [&](const std::string& stem) {
    if (facts_.count(stem)) return;
    WordFacts f;
    f.id = model_.id_of(stem);
    if (const auto it = model_.substitutions.find(stem); it != model_.substitutions.end()) {
      f.alts = &it->second;
      std::uint32_t n = 0;
      for (const auto& a : it->second) n += a.count;
      f.outputs = std::log10(1.0 + n);
    }
    f.tortured_known = model_.tortured_words.count(stem) > 0;
    f.correct_vocab = model_.correct_words.count(stem) > 0;
    f.tortured_log10 = model_.tortured_log10(stem);
    facts_.emplace(stem, f);
  };
  for (const auto& [w, n] : model_.vocab) add(w);
  for (const auto& [w, a] : model_.substitutions) add(w);
  for (const auto& [w, n] : model_.tortured_words) add(w);
  for (const auto& [w, n] : model_.correct_words) add(w);
  unseen_tortured_log10_ = model_.tortured_log10(std::string());
}

std::vector<Suspect> UnlistedFinder::candidates(std::string_view text, double min_logit) const {
  struct Word {
    std::uint32_t begin, end;
    std::string folded, stem;
    bool run_start;  // first word after a break or comma
    double llr = 0;  // log10 P_t(stem) / P_lm(folded), bounded
    bool correct_vocab = false;
    double unigram = 0;                         // log10 P_lm(folded)
    std::uint32_t id = UnlistedModel::kNoWord;  // the stem's id in the model's bigram vocabulary
    const std::vector<UnlistedModel::Alternative>* alts = nullptr;
    double outputs = 0;  // log10(1 + substitutions into it)
    bool substitutable = false;
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
  // Each word's evidence of the two unigram models. A word the LM does not
  // know and the list never tortured into is no evidence either way.
  std::vector<WordId> ids(words.size(), kUnknownWord);
  for (std::size_t k = 0; k < words.size(); ++k) {
    Word& w = words[k];
    const auto fit = facts_.find(w.stem);
    const WordFacts no_facts{};
    const WordFacts& f = fit == facts_.end() ? no_facts : fit->second;
    w.correct_vocab = f.correct_vocab;
    w.id = f.id;
    w.alts = f.alts;
    w.substitutable = f.alts != nullptr;
    w.outputs = f.outputs;
    const bool tortured_known = f.tortured_known;
    const double tortured_log10 = fit == facts_.end() ? unseen_tortured_log10_ : f.tortured_log10;
    if (!lm_) continue;
    const WordId id = ids[k] = lm_->vocab_id(w.folded);
    LmState next;
    w.unigram = id == kUnknownWord ? lm_->unknown_log10() : lm_->score(lm_->null_context(), id, &next);
    if (id == kUnknownWord && !tortured_known) continue;
    w.llr = std::clamp(tortured_log10 - w.unigram, -kParams.llr_bound, kParams.llr_bound);
  }
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

  std::vector<Suspect> out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    // The LM's view of the words from i on, once for the windows of every
    // length: association[n] and unseen[n] over words i+1 .. i+n.
    double association[4] = {0, 0, 0, 0};
    int unseen[4] = {0, 0, 0, 0};
    if (lm_) {
      LmState state = lm_->null_context(), next;
      for (std::size_t k = i; k < std::min(words.size(), i + 4); ++k) {
        if (k > i && words[k].run_start) break;
        int matched = 0;
        const double p =
            ids[k] == kUnknownWord ? lm_->unknown_log10() : lm_->score_matched(state, ids[k], &next, &matched);
        const std::size_t n = k - i;
        if (n > 0) {
          association[n] = association[n - 1] + p - words[k].unigram;
          unseen[n] = unseen[n - 1] + (matched < 2);
        }
        state = next;
      }
    }
    // The dynamic programme of restored_known (below), forward over the
    // words from i on, once for the windows of every length: each word kept
    // or replaced by one of its learned substitutions, scored by the
    // correct-term bigrams it forms (and 0.01 x log10(1 + count)).
    struct Opt {
      const std::string* word;
      std::uint32_t count;
      std::uint32_t id;
    };
    std::vector<Opt> opts[4];
    std::vector<double> score[4];
    std::vector<int> back[4], known[4];
    for (std::size_t j = 0; j < 4 && i + j < words.size(); ++j) {
      if (j > 0 && words[i + j].run_start) break;
      const Word& w = words[i + j];
      opts[j].push_back({&w.stem, 0, w.id});
      if (const auto* alts = w.alts) {
        for (std::size_t a = 0; a < std::min(alts->size(), kParams.max_alternatives); ++a) {
          opts[j].push_back({&(*alts)[a].word, (*alts)[a].count, (*alts)[a].id});
        }
      }
      score[j].assign(opts[j].size(), -1e300);
      back[j].assign(opts[j].size(), -1);
      known[j].assign(opts[j].size(), 0);
      for (std::size_t o = 0; o < opts[j].size(); ++o) {
        const double own = 0.01 * std::log10(1.0 + opts[j][o].count);
        if (j == 0) {
          score[j][o] = own;
          continue;
        }
        for (std::size_t q = 0; q < opts[j - 1].size(); ++q) {
          const int k = model_.has_bigram(opts[j - 1][q].id, opts[j][o].id);
          const double v = score[j - 1][q] + k + own;
          if (v > score[j][o]) score[j][o] = v, back[j][o] = static_cast<int>(q), known[j][o] = known[j - 1][q] + k;
        }
      }
    }
    for (std::size_t len = 4; len >= 2; --len) {
      const std::size_t hi = i + len;
      if (hi > words.size()) continue;
      bool one_run = true;
      for (std::size_t k = i + 1; k < hi; ++k) one_run &= !words[k].run_start;
      if (!one_run) continue;
      Suspect base;
      base.words = static_cast<int>(len);
      base.tortured_llr_min = kParams.llr_bound;
      base.llr_max = -kParams.llr_bound;
      base.function_edges = (words[i].unigram > -2.5) + (words[hi - 1].unigram > -2.5);
      base.association = association[len - 1];
      base.unseen_pairs = unseen[len - 1];
      for (std::size_t k = i; k < hi; ++k) {
        base.substitutable += words[k].substitutable;
        base.output_recurrence += words[k].outputs;
        base.tortured_llr += words[k].llr;
        base.llr_max = std::max(base.llr_max, words[k].llr);
        base.tortured_llr_min = std::min(base.tortured_llr_min, words[k].llr);
        base.correct_vocab += words[k].correct_vocab;
        if (k + 1 < hi) base.written_known += model_.has_bigram(words[k].id, words[k + 1].id);
      }
      bool any_alternative = false;
      for (std::size_t k = i; k < hi; ++k) any_alternative |= words[k].alts != nullptr;
      if (!any_alternative) {  // nothing to restore: the window as written
        base.restored_known = base.written_known;
        const double z = suspect_logit(weights_, base);
        if (z < min_logit) continue;
        base.byte_begin = words[i].begin;
        base.byte_end = words[hi - 1].end;
        base.confidence = 1.0 / (1.0 + std::exp(-z));
        out.push_back(std::move(base));
        continue;
      }
      // Depth-first over the restorations whose bigrams are all correct-term
      // bigrams; each complete one is scored, the best kept.
      std::vector<std::string> choice(len);
      std::vector<std::uint32_t> counts(len, 0);
      Suspect best = base;
      double best_z = suspect_logit(weights_, base);
      // The span's LM score as written, the same whenever it is computed: only
      // when a restoration is scored (most spans have none).
      std::optional<double> written_lm;
      const auto dfs = [&](auto&& self, std::size_t k, std::uint32_t prev) -> void {
        if (k == hi) {
          Suspect s = base;
          std::uint32_t max_count = 0;
          for (std::size_t j = 0; j < len; ++j) {
            if (!counts[j]) continue;
            ++s.substituted;
            s.recurrence += std::log10(1.0 + counts[j]);
            max_count = std::max(max_count, counts[j]);
          }
          if (s.substituted == 0 || (s.substituted == 1 && max_count < kParams.min_count_single)) return;
          // The restoration keeps the written number of each word.
          for (std::size_t j = 0; j < len; ++j) {
            const Word& w = words[i + j];
            if (j) s.original += ' ';
            s.original += choice[j].empty() ? w.folded : (w.stem != w.folded ? pluralize(choice[j]) : choice[j]);
          }
          std::vector<std::string> restored(len);
          for (std::size_t j = 0; j < len; ++j) {
            const Word& w = words[i + j];
            restored[j] = choice[j].empty() ? w.folded : (w.stem != w.folded ? pluralize(choice[j]) : choice[j]);
          }
          if (!written_lm) written_lm = lm_score(i, hi, std::vector<std::string>(len));
          s.lm_gain = lm_score(i, hi, restored) - *written_lm;
          const double z = suspect_logit(weights_, s);
          if (z > best_z || best.substituted == 0) best_z = z, best = std::move(s);
          return;
        }
        const std::size_t j = k - i;
        if (k == i || model_.has_bigram(prev, words[k].id)) {
          choice[j].clear();
          counts[j] = 0;
          self(self, k + 1, words[k].id);
        }
        if (const auto* alts = words[k].alts) {
          for (std::size_t a = 0; a < std::min(alts->size(), kParams.max_alternatives); ++a) {
            const UnlistedModel::Alternative& alt = (*alts)[a];
            if (k > i && !model_.has_bigram(prev, alt.id)) continue;
            choice[j] = alt.word;
            counts[j] = alt.count;
            self(self, k + 1, alt.id);
          }
          choice[j].clear();
          counts[j] = 0;
        }
      };
      dfs(dfs, i, UnlistedModel::kNoWord);
      // The restoration with the most correct-term bigrams, by dynamic
      // programming over each word's choices (kept, or one of its learned
      // substitutions; no bigram required): how far the window comes from
      // being written as a scientific term. When the strict search above found
      // no restoration, this one is proposed.
      {
        int o = 0;
        for (std::size_t q = 1; q < opts[len - 1].size(); ++q) {
          if (score[len - 1][q] > score[len - 1][o]) o = static_cast<int>(q);
        }
        const int restored_known = known[len - 1][o];
        std::vector<int> path(len);
        for (std::size_t j = len; j-- > 0;) {
          path[j] = o;
          o = back[j][o];
        }
        best.restored_known = restored_known;
        if (best.substituted == 0 && restored_known > best.written_known) {
          Suspect s = best;
          std::vector<std::string> restored(len);
          for (std::size_t j = 0; j < len; ++j) {
            const Word& w = words[i + j];
            const Opt& opt = opts[j][path[j]];
            if (path[j] > 0) {
              ++s.substituted;
              s.recurrence += std::log10(1.0 + opt.count);
            }
            restored[j] = path[j] == 0 ? w.folded : (w.stem != w.folded ? pluralize(*opt.word) : *opt.word);
            if (j) s.original += ' ';
            s.original += restored[j];
          }
          s.lm_gain = lm_score(i, hi, restored) - lm_score(i, hi, std::vector<std::string>(len));
          best = std::move(s);
        }
        best_z = suspect_logit(weights_, best);
      }
      if (best_z < min_logit) continue;
      best.byte_begin = words[i].begin;
      best.byte_end = words[hi - 1].end;
      best.confidence = 1.0 / (1.0 + std::exp(-best_z));
      out.push_back(std::move(best));
    }
  }
  return out;
}

std::vector<Suspect> UnlistedFinder::find(std::string_view text) const {
  // The fitted odds are those of the fitting documents, where a window is
  // tortured at kParams.window_prior (two phrases in 300 words); a window of
  // a text is far less often one. Its confidence is the same likelihood ratio
  // at the prior kParams.text_prior, chosen on the fitting part
  // (docs/LEXICON.md, "Unlisted phrases").
  const double shift = std::log(kParams.text_prior / (1 - kParams.text_prior)) -
                       std::log(kParams.window_prior / (1 - kParams.window_prior));
  std::vector<Suspect> cands =
      candidates(text, std::log(kParams.min_confidence / (1 - kParams.min_confidence)) - shift);
  // Non-overlapping windows, the likeliest first: the document's windows.
  std::stable_sort(cands.begin(), cands.end(), [](const Suspect& a, const Suspect& b) {
    return a.confidence != b.confidence ? a.confidence > b.confidence : a.byte_begin < b.byte_begin;
  });
  std::vector<Suspect> windows;
  for (Suspect& c : cands) {
    bool free = true;
    for (const Suspect& o : windows) free &= c.byte_end <= o.byte_begin || o.byte_end <= c.byte_begin;
    if (free) windows.push_back(std::move(c));
  }
  std::vector<Suspect> out;
  for (Suspect& w : windows) {
    const double c = std::clamp(w.confidence, 1e-12, 1 - 1e-12);
    w.confidence = 1.0 / (1.0 + std::exp(-(std::log(c / (1 - c)) + shift)));
    if (w.confidence >= kParams.min_confidence) out.push_back(std::move(w));
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
