// The site learner (include/unspin/restore.h; its sums, features and prior:
// decode/site_counts.h): per-page sums of the spinner model's evidence about
// each candidate pair, the words each page writes and a sample of their
// contexts, merged per site; LM fill-in candidates for surplus forms; and
// boosted trees over features of the sums that give each pair its
// probability of being in the site's spinner table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/checksum.h"
#include "common/parallel.h"
#include "common/words.h"
#include "decode/pipeline.h"
#include "decode/site_counts.h"
#include "decode/site_learner.h"
#include "decode/fitted_params.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin {

// The fill-in constants (decode/site_learner.h).
using decode::kFillMaxDeficitLog10, decode::kFillMaxForms, decode::kFillMaxFormWords, decode::kFillMaxMargin,
    decode::kFillMaxOriginals, decode::kFillMaxUnigramLog10, decode::kFillMinCount, decode::kFillMinExcess,
    decode::kFillMinExpected, decode::kFillMinSurplusLog10, decode::kFillNotFilled, decode::kFillNotOriginal;
// Its sums and features (decode/site_counts.h).
using decode::FillContext, decode::FormCounts, decode::kLearnFeatures, decode::PairCounts, decode::PairFeatures;

namespace {

// The LM's unigram log10 probability of a word (its unknown-word one when
// the LM does not know it). Thread-safe: no shared state.
double unigram_log10(const LanguageModel& lm, WordId id) {
  LmState ignored;
  return id == kUnknownWord ? lm.unknown_log10() : lm.score(lm.null_context(), id, &ignored);
}

// How often the site writes `word` (zeros for a word it never writes).
FormCounts form_of(const SiteCounts& site, const std::string& word) {
  const auto it = site.sums().forms.find(word);
  return it == site.sums().forms.end() ? FormCounts{} : it->second;
}

// What the learner asks the LM about the words and phrases a site writes (no
// state of its own: thread-safe).
struct SiteLm {
  const LanguageModel& lm;

  // log10 of how often the LM expects a word or phrase in running text: the
  // chain P(w1) P(w2 | w1) ... from no context (a phrase's words are not
  // independent: "human beings" is far commoner than "human" x "beings").
  double phrase_log10(std::string_view phrase) const {
    double total = 0;
    LmState state = lm.null_context();  // no context: the first word's unigram
    for (const std::string_view word : words_of(phrase)) {
      const WordId id = lm.vocab_id(word);
      LmState next;  // `in` and `out` are distinct states; an unknown word leaves no context
      total += id == kUnknownWord ? lm.unknown_log10() : lm.score(state, id, &next);
      state = next;
    }
    return total;
  }

  // How often the site's words should hold a form were it natural: the LM's
  // expectation for a word; for a phrase, the most of that and of what each
  // of its words' counts on the site explain (count(w) x P(phrase) / P(w)),
  // so a phrase is in surplus only beyond its words ("approximately the" is
  // no phrase form when "approximately" is the spun word).
  double form_expected(const SiteCounts& site, const std::string& form) const {
    const double chain = phrase_log10(form);
    double expected = static_cast<double>(site.words()) * std::pow(10.0, chain);
    if (form.find(' ') == std::string::npos) return expected;
    for (const std::string_view w : words_of(form)) {
      expected = std::max(
          expected, form_of(site, std::string(w)).count * std::pow(10.0, chain - unigram_log10(lm, lm.vocab_id(w))));
    }
    return expected;
  }

  // The page's words (FormCounts) and a sample of the contexts of the words
  // rarer than the LM's most common ones (LM fill-in's evidence).
  void count_forms(const decode::DocumentState& doc, std::size_t fold, std::uint64_t page_hash, std::size_t* position,
                   std::unordered_set<std::string>* page_forms, SiteCounts* out) const {
    for (const decode::Sentence& sentence : doc.sentences) {
      const auto& w = sentence.words;
      auto word = [&](std::ptrdiff_t k) {
        if (k < 0) return std::string("<s>");
        if (k >= static_cast<std::ptrdiff_t>(w.size())) return std::string("</s>");
        return w[k].lower + w[k].suffix;
      };
      // A word a spinner may have written: not a name, no possessive.
      auto plain = [&](std::size_t k) {
        return !w[k].lower.empty() && w[k].eligible && !w[k].name_like && w[k].suffix.empty();
      };
      for (std::size_t i = 0; i < w.size(); ++i, ++*position) {
        if (w[i].lower.empty()) continue;
        // The forms starting here: the word, and the two-word phrase when
        // both words are plain (spinners write phrases for words: "human
        // beings" for "people").
        for (std::size_t n = 1; n <= kFillMaxFormWords && i + n <= w.size(); ++n) {
          if (n > 1 && !(plain(i) && plain(i + n - 1))) break;
          std::string form = w[i].lower;
          for (std::size_t k = 1; k < n; ++k) form += ' ' + w[i + k].lower;
          out->sums().forms[form].count += 1;
          page_forms->insert(form);
          if (!plain(i) || phrase_log10(form) > kFillMaxUnigramLog10) continue;
          FillContext c;
          c.fold = static_cast<std::uint32_t>(fold);
          // A phrase's hash differs from its first word's at the same position.
          c.hash =
              fnv1a64(std::string_view(reinterpret_cast<const char*>(position), sizeof *position), page_hash + (n - 1));
          const auto at = static_cast<std::ptrdiff_t>(i);
          const auto end = static_cast<std::ptrdiff_t>(i + n);
          c.words = {word(at - 2), word(at - 1), word(end), word(end + 1)};
          out->sums().add_context(form, std::move(c));
        }
      }
    }
  }

  // LM fill-in (docs/ARCHITECTURE.md, "The site learner"): for each surplus
  // form, the log10 likelihood ratio of its sampled contexts under "the
  // form's spun occurrences all come from original o" against "every
  // occurrence is natural", for every deficit original o.
  struct FillIn {
    std::vector<std::string> originals;  // the deficit originals
    std::unordered_map<std::string, std::size_t> original_index;
    struct Form {
      std::vector<float> log_ratio;         // per original
      std::size_t best = 0, runner_up = 0;  // the originals of the two largest ratios
      double contexts = 0;
    };
    std::unordered_map<std::string, Form> forms;  // the forms filled in
  };
  FillIn fill_in(const SiteCounts& site) const;
};

SiteLm::FillIn SiteLm::fill_in(const SiteCounts& site) const {
  const double words = static_cast<double>(site.words());
  FillIn out;
  if (words <= 0) return out;
  auto count_of = [&](std::string_view w) { return form_of(site, std::string(w)).count; };
  auto unigram = [&](WordId id) { return unigram_log10(lm, id); };
  // Originals with a deficit: words of the LM's vocabulary the site's words
  // should hold kFillMinExpected times or more, written far less often.
  struct Original {
    WordId id;
    double missing;
  };
  std::vector<Original> deficit;
  for (WordId id = 1; id < lm.vocab_size(); ++id) {
    const std::string_view w = lm.word(id);
    if (w.empty() || !std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
    const double expected = words * std::pow(10.0, unigram(id));
    if (expected < kFillMinExpected) continue;
    const double n = count_of(w);
    if (std::log10((n + 0.5) / (expected + 0.5)) > kFillMaxDeficitLog10) continue;
    deficit.push_back({id, expected - n});
  }
  std::sort(deficit.begin(), deficit.end(), [](const Original& a, const Original& b) {
    return a.missing != b.missing ? a.missing > b.missing : a.id < b.id;
  });
  if (deficit.size() > kFillMaxOriginals) deficit.resize(kFillMaxOriginals);
  if (deficit.empty()) return out;
  std::vector<float> deficit_unigram(deficit.size());
  for (std::size_t d = 0; d < deficit.size(); ++d) {
    out.original_index.emplace(std::string(lm.word(deficit[d].id)), d);
    out.originals.emplace_back(lm.word(deficit[d].id));
    deficit_unigram[d] = static_cast<float>(unigram(deficit[d].id));
  }
  // Forms with a surplus, the largest excess first.
  struct Form {
    const std::string* word;
    const std::vector<FillContext>* contexts;
    double count, excess;
  };
  std::vector<Form> surplus;
  for (const auto& [form, sample] : site.sums().contexts) {
    const double n = count_of(form);
    const double expected = form_expected(site, form);
    if (n < kFillMinCount || n - expected < kFillMinExcess ||
        std::log10((n + 0.5) / (expected + 0.5)) < kFillMinSurplusLog10) {
      continue;
    }
    surplus.push_back({&form, &sample, n, n - expected});
  }
  std::sort(surplus.begin(), surplus.end(), [](const Form& a, const Form& b) {
    return a.excess != b.excess ? a.excess > b.excess : *a.word < *b.word;
  });
  if (surplus.size() > kFillMaxForms) surplus.resize(kFillMaxForms);
  // The left context's score of every original depends on the left words
  // only: computed once per context state (forms share "of the", "it is").
  struct Left {
    std::vector<float> score;
    std::vector<LmState> state;
  };
  struct StateHash {
    std::size_t operator()(const LmState& s) const noexcept { return static_cast<std::size_t>(s.hash()); }
  };
  using LeftCache = std::unordered_map<LmState, Left, StateHash>;
  // A cached state holds every original (~40 KB at 1,500): the cap bounds
  // each worker's cache to ~20 MB whatever the number of cores.
  constexpr std::size_t kLeftCacheStates = 500;
  const unsigned threads = resolve_threads(0);
  std::vector<LeftCache> caches(threads);
  std::vector<FillIn::Form> filled(surplus.size());
  parallel_for(surplus.size(), threads, [&](unsigned worker, std::size_t k) {
    LeftCache& cache = caches[worker];
    if (cache.size() > kLeftCacheStates) cache.clear();  // bounded memory
    const Form& f = surplus[k];
    // The form's words, and how often the LM expects the form.
    std::vector<WordId> self;
    for (const std::string_view w : words_of(*f.word)) self.push_back(lm.vocab_id(w));
    const double self_expected = phrase_log10(*f.word);
    // The share of the form's occurrences that are natural: the LM's
    // expectation over the site's count (at least 1%: the LM's unigram is
    // not the site's genre).
    const double natural = std::clamp((f.count - f.excess) / f.count, 0.01, 0.99);
    FillIn::Form& out_form = filled[k];
    std::vector<double> log_ratio(deficit.size(), 0.0);
    for (const FillContext& c : *f.contexts) {
      const auto id = [&](const std::string& w) { return lm.vocab_id(w); };
      LmState left_state = lm.begin_sentence();
      if (c.words[1] != "<s>") {
        if (c.words[0] != "<s>") lm.score(lm.null_context(), id(c.words[0]), &left_state);
        lm.score(left_state, id(c.words[1]), &left_state);
      }
      const bool end1 = c.words[2] == "</s>", end2 = c.words[3] == "</s>";
      const WordId r1 = end1 ? lm.end_sentence_id() : id(c.words[2]);
      const WordId r2 = end2 ? lm.end_sentence_id() : id(c.words[3]);
      auto right = [&](const LmState& s1) {
        LmState s2, s3;
        double total = lm.score(s1, r1, &s2);
        if (!end1) total += lm.score(s2, r2, &s3);
        return total;
      };
      // log10 P(context | w) up to a term shared by every w:
      // P(w | left) P(right | left, w) / P(w).
      LmState s1 = left_state, next;
      double as_written = -self_expected;
      for (const WordId w : self) {
        as_written += lm.score(s1, w, &next);  // `in` and `out` are distinct states
        s1 = next;
      }
      as_written += right(s1);
      Left& left = cache[left_state];
      if (left.score.empty()) {
        left.score.resize(deficit.size());
        left.state.resize(deficit.size());
        for (std::size_t d = 0; d < deficit.size(); ++d) {
          left.score[d] = static_cast<float>(lm.score(left_state, deficit[d].id, &left.state[d]));
        }
      }
      for (std::size_t d = 0; d < deficit.size(); ++d) {
        const double gain = left.score[d] + right(left.state[d]) - deficit_unigram[d] - as_written;
        // This occurrence is natural (share `natural`) or o spun.
        log_ratio[d] += std::log10(natural + (1 - natural) * std::pow(10.0, std::min(gain, 6.0)));
      }
      out_form.contexts += 1;
    }
    out_form.log_ratio.assign(log_ratio.begin(), log_ratio.end());
    for (std::size_t d = 1; d < log_ratio.size(); ++d) {
      if (log_ratio[d] > log_ratio[out_form.best]) {
        out_form.runner_up = out_form.best;
        out_form.best = d;
      } else if (out_form.runner_up == out_form.best || log_ratio[d] > log_ratio[out_form.runner_up]) {
        out_form.runner_up = d;
      }
    }
  });
  for (std::size_t k = 0; k < surplus.size(); ++k) out.forms.emplace(*surplus[k].word, std::move(filled[k]));
  return out;
}

}  // namespace

struct SiteLearner::Impl {
  const Models& models;
  RestoreOptions options;
  decode::Pipeline pipeline;
};

SiteLearner::SiteLearner(const Models& models, RestoreOptions options)
    : impl_(std::make_unique<Impl>(
          Impl{models, options, decode::Pipeline(models, options, decode::fitted_of(models).decoder)})) {}
SiteLearner::~SiteLearner() = default;

double decode::pair_prior(const fitted::BoostedTrees& trees, const PairFeatures& f) {
  // The trees compare in float (fitted/trees.h), as they always did.
  std::array<float, kLearnFeatures> x;
  for (std::size_t i = 0; i < kLearnFeatures; ++i) x[i] = static_cast<float>(f.x[i]);
  return 1.0 / (1.0 + std::exp(-trees.sum(x.data())));
}

SiteCounts SiteLearner::observe(std::string_view page, std::string_view page_key) const {
  validate_input(page, impl_->options.max_input_bytes);
  const std::size_t fold = fold_of(page, page_key);
  const decode::Pipeline& pipeline = impl_->pipeline;
  const SiteLm site_lm{*impl_->models.lm};
  SiteCounts out;
  std::size_t words = 0, position = 0;
  const std::uint64_t page_hash = fnv1a64(page_key.empty() ? page : page_key, 0xF111);
  std::unordered_set<std::string> page_forms;
  const auto windows = decode::split_windows(page, decode::find_paragraphs(page), impl_->options.window_words);
  for (const decode::TextWindow& w : windows) {
    decode::DocumentState doc = pipeline.prepare(decode::window_text(page, w), &w.paragraphs);
    const std::vector<decode::Decision> decisions = pipeline.decode({&doc})[0];
    words += doc.words;
    site_lm.count_forms(doc, fold, page_hash, &position, &page_forms, &out);
    const auto& entries = doc.model.entries();
    std::vector<double> restored(entries.size(), 0);
    for (const decode::Decision& d : decisions) {
      if (d.raw >= 0.5) restored[doc.model.occurrences()[d.occurrence].entry] += 1;
    }
    for (std::size_t e = 0; e < entries.size(); ++e) {
      const double posterior = doc.result.entry_posterior[e];
      // Pairs the page gives no support are not kept: they are most of the
      // lattice and say nothing about the table.
      if (restored[e] == 0 && posterior < 0.02) continue;
      PairCounts c;
      c.pages = 1;
      c.words = static_cast<double>(doc.words);
      auto it = doc.written.find(entries[e].spun);
      c.spun = it == doc.written.end() ? 0 : it->second;
      c.unspun = entries[e].unspun;
      c.restored = restored[e];
      c.posterior = posterior;
      c.consistent = c.spun > 0 && c.unspun == 0;
      c.fold_restored[fold] = restored[e];
      c.fold_posterior[fold] = posterior;
      c.fold_pages[fold] = 1;
      out.sums().pairs[entries[e].original + '\t' + entries[e].spun].add(c);
    }
  }
  for (const std::string& form : page_forms) out.sums().forms[form].pages += 1;
  out.sums().add_page(words);
  return out;
}

std::vector<PairFeatures> decode::pair_features(const LanguageModel& lm, const SiteCounts& site) {
  const SiteLm m{lm};
  const SiteLm::FillIn fill = m.fill_in(site);
  // How often the site's words should hold a word or phrase were it natural.
  auto expected = [&](const std::string& form) { return m.form_expected(site, form); };
  // The fill-in features x[10..14] of a pair (x[12], fill-in only, is 0 here).
  auto fill_features = [&](PairFeatures* pf) {
    const double excess = form_of(site, pf->spun).count - expected(pf->spun);
    const double missing = expected(pf->original) - form_of(site, pf->original).count;
    pf->x[13] = std::clamp(std::log10((std::max(0.0, excess) + 1) / (std::max(0.0, missing) + 1)), -3.0, 3.0);
    const auto form = fill.forms.find(pf->spun);
    const auto original = fill.original_index.find(pf->original);
    if (form == fill.forms.end() || original == fill.original_index.end()) {
      // Not filled in: the form was not a surplus form, or o no deficit original.
      pf->x[10] = form == fill.forms.end() ? kFillNotFilled : kFillNotOriginal;
      pf->x[11] = kFillNotFilled;
    } else {
      const SiteLm::FillIn::Form& f = form->second;
      const std::size_t d = original->second;
      // The best other original: the runner-up for the best, else the best.
      const float others = f.log_ratio.size() < 2 ? -INFINITY : f.log_ratio[d == f.best ? f.runner_up : f.best];
      pf->x[10] = std::clamp(static_cast<double>(f.log_ratio[d] - others), -kFillMaxMargin, kFillMaxMargin);
      pf->x[11] = std::clamp(f.log_ratio[d] / std::max(1.0, f.contexts), -3.0, 3.0);
    }
    pf->x[12] = 0;
    pf->x[14] = static_cast<double>(std::count(pf->spun.begin(), pf->spun.end(), ' '));
  };
  // Per spun form: its pairs, for the fold choice and the form's restorations.
  std::unordered_map<std::string_view, std::vector<const std::pair<const std::string, PairCounts>*>> by_spun;
  for (const auto& p : site.sums().pairs) {
    const std::size_t tab = p.first.find('\t');
    by_spun[std::string_view(p.first).substr(tab + 1)].push_back(&p);
  }
  std::vector<PairFeatures> out;
  const double site_pages = std::max<double>(1, static_cast<double>(site.pages()));
  for (const auto& [spun, pairs] : by_spun) {
    double form_restored = 0;
    std::array<const PairCounts*, kLearnFolds> best{};
    for (const auto* p : pairs) {
      const PairCounts& c = p->second;
      form_restored += c.restored;
      for (std::size_t f = 0; f < kLearnFolds; ++f) {
        if (c.fold_restored[f] <= 0) continue;
        const PairCounts* b = best[f];
        if (!b || c.fold_restored[f] > b->fold_restored[f] ||
            (c.fold_restored[f] == b->fold_restored[f] && c.fold_posterior[f] > b->fold_posterior[f])) {
          best[f] = &c;
        }
      }
    }
    const double lp_spun = m.phrase_log10(spun);
    for (const auto* p : pairs) {
      const PairCounts& c = p->second;
      if (c.restored <= 0) continue;
      double present = 0, chosen = 0;
      for (std::size_t f = 0; f < kLearnFolds; ++f) {
        if (c.fold_pages[f] <= 0) continue;
        present += 1;
        chosen += best[f] == &c;
      }
      const std::size_t tab = p->first.find('\t');
      PairFeatures pf;
      pf.original = p->first.substr(0, tab);
      pf.spun = std::string(spun);
      pf.restored = c.restored;
      const double expected_o = c.words * std::pow(10.0, m.phrase_log10(pf.original));
      const double expected_s = c.words * std::pow(10.0, lp_spun);
      auto& x = pf.x;
      x[0] = 1;
      x[1] = present > 0 ? chosen / present : 0;
      x[2] = std::clamp(std::log10((c.unspun + 0.5) / (expected_o + 0.5)), -3.0, 3.0);
      x[3] = std::clamp(std::log10((c.spun + 0.5) / (expected_s + 0.5)), -3.0, 3.0);
      x[4] = c.posterior / std::max(1.0, c.pages);
      x[5] = std::min(1.0, c.restored / std::max(1.0, c.spun));
      x[6] = c.consistent / std::max(1.0, c.pages);
      x[7] = form_restored > 0 ? c.restored / form_restored : 0;
      x[8] = std::log10(std::max(1.0, c.pages));
      x[9] = std::log10(site_pages);
      fill_features(&pf);
      out.push_back(std::move(pf));
    }
  }
  // Pairs only LM fill-in proposed (each filled-in form's best original, when
  // it explains the contexts better than natural occurrences do): the
  // decoder's sums are zero, the deficit and surplus are the site's.
  for (const auto& [spun, form] : fill.forms) {
    if (form.log_ratio.empty() || form.log_ratio[form.best] <= 0) continue;
    const std::string& original = fill.originals[form.best];
    const auto scored = site.sums().pairs.find(original + '\t' + spun);
    if (scored != site.sums().pairs.end() && scored->second.restored > 0) continue;  // scored above
    PairFeatures pf;
    pf.original = original;
    pf.spun = spun;
    const FormCounts o = form_of(site, pf.original), s = form_of(site, pf.spun);
    // Nothing was restored: the form's excess stands for its spun occurrences.
    pf.restored = std::max(0.0, std::round(s.count - expected(pf.spun)));
    auto& x = pf.x;
    x[0] = 1;
    x[2] = std::clamp(std::log10((o.count + 0.5) / (expected(pf.original) + 0.5)), -3.0, 3.0);
    x[3] = std::clamp(std::log10((s.count + 0.5) / (expected(pf.spun) + 0.5)), -3.0, 3.0);
    x[8] = std::log10(std::max(1.0, s.pages));
    x[9] = std::log10(site_pages);
    fill_features(&pf);
    x[12] = 1;
    out.push_back(std::move(pf));
  }
  std::sort(out.begin(), out.end(), [](const PairFeatures& a, const PairFeatures& b) {
    return a.original != b.original ? a.original < b.original : a.spun < b.spun;
  });
  return out;
}

std::vector<LearnedPair> SiteLearner::table(const SiteCounts& site, double min_prior) const {
  std::vector<LearnedPair> out;
  for (const PairFeatures& f : decode::pair_features(*impl_->models.lm, site)) {
    const double prior = decode::pair_prior(*decode::fitted_of(impl_->models).site_prior, f);
    if (prior >= min_prior && prior > 0) {
      out.push_back({f.original, f.spun, prior, static_cast<std::size_t>(f.restored)});
    }
  }
  std::sort(out.begin(), out.end(), [](const LearnedPair& a, const LearnedPair& b) {
    if (a.prior != b.prior) return a.prior > b.prior;
    if (a.count != b.count) return a.count > b.count;
    return a.original != b.original ? a.original < b.original : a.spun < b.spun;
  });
  return out;
}

std::size_t SiteLearner::fold_of(std::string_view page, std::string_view page_key) {
  return fnv1a64(page_key.empty() ? page : page_key) % kLearnFolds;
}

SiteLearner::SiteRestoration SiteLearner::restore(const std::vector<std::string_view>& pages,
                                                  const std::vector<std::string_view>& keys,
                                                  const RestoreOptions& options, double min_prior,
                                                  unsigned threads) const {
  if (!keys.empty() && keys.size() != pages.size()) {
    throw Error(ErrorCode::kUsage, "SiteLearner::restore: keys must be empty or one per page");
  }
  std::vector<SiteCounts> counts(pages.size());
  std::vector<std::size_t> folds(pages.size());
  parallel_for(pages.size(), threads, [&](unsigned, std::size_t i) {
    const std::string_view key = keys.empty() ? std::string_view() : keys[i];
    folds[i] = fold_of(pages[i], key);
    try {
      counts[i] = observe(pages[i], key);
    } catch (const Error&) {
      // Nothing counted: the restorer refuses the page again, and its result says why.
    }
  });
  return restore(pages, counts, folds, options, min_prior, threads);
}

SiteLearner::SiteRestoration SiteLearner::restore(const std::vector<std::string_view>& pages,
                                                  const std::vector<SiteCounts>& counts,
                                                  const std::vector<std::size_t>& folds, const RestoreOptions& options,
                                                  double min_prior, unsigned threads) const {
  if (counts.size() != pages.size() || folds.size() != pages.size()) {
    throw Error(ErrorCode::kUsage, "SiteLearner::restore: one count and one fold per page");
  }
  SiteRestoration out;
  std::array<SiteCounts, kLearnFolds> by_fold;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    if (folds[i] >= kLearnFolds) throw Error(ErrorCode::kUsage, "SiteLearner::restore: a fold is below 8");
    by_fold[folds[i]].merge(counts[i]);
  }
  // Each fold's restorer: the models and the table of the other folds.
  for (std::size_t f = 0; f < kLearnFolds; ++f) {
    if (by_fold[f].pages() == 0) continue;
    SiteCounts others;
    for (std::size_t g = 0; g < kLearnFolds; ++g) {
      if (g != f) others.merge(by_fold[g]);
    }
    const std::vector<LearnedPair> pairs = table(others, min_prior);
    if (!pairs.empty()) {
      out.fold_models[f] = impl_->models.with_learned_table(learned_table_text(pairs, others.pages()), "same-source");
    }
  }
  std::array<std::unique_ptr<Restorer>, kLearnFolds> restorers;
  const Restorer alone(impl_->models, options);
  for (std::size_t f = 0; f < kLearnFolds; ++f) {
    if (out.fold_models[f]) restorers[f] = std::make_unique<Restorer>(*out.fold_models[f], options);
  }
  out.results.resize(pages.size());
  parallel_for(pages.size(), threads, [&](unsigned, std::size_t i) {
    const Restorer& r = restorers[folds[i]] ? *restorers[folds[i]] : alone;
    try {
      out.results[i].result.emplace(r.run(pages[i]));
    } catch (const Error& e) {
      out.results[i].error.emplace(e);
    }
  });
  return out;
}

std::string learned_table_text(const std::vector<LearnedPair>& pairs, std::size_t pages, const std::string& site,
                               bool aligned) {
  std::string out = "# unspin learned-table v1 pages=" + std::to_string(pages);
  if (!site.empty()) out += " site=" + site;
  if (aligned) out += " method=aligned";
  out +=
      "\n# original<TAB>spun<TAB>prior (probability that the site's spinner table holds the pair)<TAB>count "
      "(occurrences restored)\n";
  char prior[32];
  for (const LearnedPair& p : pairs) {
    // Priors are written in (0, 1]: a pair rounded to 0.000 would not parse back.
    std::snprintf(prior, sizeof prior, "%.3f", std::clamp(p.prior, 0.001, 1.0));
    out += p.original + '\t' + p.spun + '\t' + prior + '\t' + std::to_string(p.count) + '\n';
  }
  return out;
}

std::string site_of_url(std::string_view url) {
  const std::size_t scheme = url.find("://");
  if (scheme != std::string_view::npos)
    url.remove_prefix(scheme + 3);
  else if (url.substr(0, 2) == "//")
    url.remove_prefix(2);
  else
    return "";
  url = url.substr(0, url.find_first_of("/?#"));
  const std::size_t at = url.rfind('@');
  if (at != std::string_view::npos) url.remove_prefix(at + 1);
  if (!url.empty() && url[0] == '[') {
    url = url.substr(0, url.find(']') == std::string_view::npos ? url.size() : url.find(']') + 1);
  } else {
    url = url.substr(0, url.find(':'));
  }
  std::string host(url);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (host.rfind("www.", 0) == 0) host.erase(0, 4);
  // A host is letters, digits, '-', '.', or a bracketed IPv6 address; anything
  // else (a path separator, spaces) makes it no host, so no file name is unsafe.
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '[' || c == ']' || c == ':'))
      return "";
  }
  if (host.empty() || host[0] == '.') return "";
  return host;
}

}  // namespace unspin
