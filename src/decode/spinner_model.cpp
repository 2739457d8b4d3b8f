#include "decode/spinner_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace unspin::decode {
namespace {
// Passes of the mean-field coupling between a written span and its own
// entry (see evaluate()); the posteriors move by < 1e-3 after the third.
constexpr int kMeanFieldPasses = 4;

// 10^x through exp(), about twice as fast as pow(10, x) and as exact for the
// model's purposes (the decoder calls it a few times per occurrence and pass).
inline double exp10_of(double x) { return std::exp(x * 2.302585092994045684); }
}  // namespace

double log10_sum_exp10(double a, double b) {
  if (a < b) std::swap(a, b);
  if (b == -INFINITY) return a;
  return a + std::log1p(exp10_of(b - a)) * 0.434294481903251827651;
}

std::uint32_t SpinnerModel::add_entry(Entry entry) {
  const std::string key = entry.original + '\t' + entry.spun;
  auto it = index_.find(key);
  if (it != index_.end()) {
    Entry& e = entries_[it->second];
    e.log10_prior = std::max(e.log10_prior, entry.log10_prior);
    return it->second;
  }
  entry.original_group = group_of(entry.original);
  const auto id = static_cast<std::uint32_t>(entries_.size());
  entries_.push_back(std::move(entry));
  index_.emplace(key, id);
  return id;
}

std::uint32_t SpinnerModel::group_of(const std::string& original) {
  auto [it, added] = groups_.emplace(original, static_cast<std::uint32_t>(groups_.size()));
  if (added) {
    group_total_.push_back(-1.0);
    group_unspun_.push_back(0);
  }
  return it->second;
}

void SpinnerModel::add_known_original(const std::string& original, double q_total, int unspun) {
  const std::uint32_t g = group_of(original);
  group_total_[g] = std::min(q_total, 0.95);
  group_unspun_[g] = unspun;
}

std::uint32_t SpinnerModel::find_and_raise(const std::string& original, const std::string& spun, double log10_prior) {
  probe_.assign(original);
  probe_ += '\t';
  probe_ += spun;
  auto it = index_.find(probe_);
  if (it == index_.end()) return UINT32_MAX;
  Entry& e = entries_[it->second];
  e.log10_prior = std::max(e.log10_prior, log10_prior);
  return it->second;
}

std::uint32_t SpinnerModel::entry_index(const std::string& original, const std::string& spun) const {
  auto it = index_.find(original + '\t' + spun);
  return it == index_.end() ? UINT32_MAX : it->second;
}

SpinnerModel SpinnerModel::restricted_to(const std::vector<std::uint32_t>& occurrences) const {
  SpinnerModel sub(params_);
  std::unordered_map<std::uint32_t, std::uint32_t> entry_map;
  for (std::uint32_t i : occurrences) {
    const Occurrence& o = occurrences_[i];
    auto it = entry_map.find(o.entry);
    if (it == entry_map.end()) {
      const Entry& e = entries_[o.entry];
      it = entry_map.emplace(o.entry, sub.add_entry(e)).first;
      const std::uint32_t g = e.original_group;
      if (group_total_[g] > 0) sub.add_known_original(e.original, group_total_[g], group_unspun_[g]);
    }
    // The written form's own group, when it is a known original.
    auto written = groups_.find(entries_[o.entry].spun);
    if (written != groups_.end() && group_total_[written->second] > 0 && !sub.groups_.count(written->first)) {
      sub.add_known_original(written->first, group_total_[written->second], group_unspun_[written->second]);
    }
    sub.add_occurrence({it->second, o.span, o.delta, o.word_begin, o.word_end});
  }
  return sub;
}

ModelResult SpinnerModel::evaluate() const {
  const SpinnerModelParams& p = params_;
  const auto saturate = [&](double delta) { return p.delta_cap * std::tanh(delta / p.delta_cap); };
  const std::size_t n_entries = entries_.size();
  const std::size_t n_occ = occurrences_.size();
  ModelResult result;
  result.posterior.assign(n_occ, 0.0);
  result.entry_posterior.assign(n_entries, 0.0);
  result.entry_log10_z.assign(n_entries, 0.0);

  std::vector<char> touched(n_entries, 0);
  for (const Occurrence& o : occurrences_) touched[o.entry] = 1;
  const std::size_t n_groups = group_total_.size();
  // Groups in the model: those with an occurring entry, and known originals written unspun.
  std::vector<char> group_in(n_groups, 0);
  for (std::size_t e = 0; e < n_entries; ++e) {
    if (touched[e]) group_in[entries_[e].original_group] = 1;
  }
  for (std::size_t g = 0; g < n_groups; ++g) {
    if (group_total_[g] > 0 && group_unspun_[g] > 0) group_in[g] = 1;
  }

  // Prior q_e, scaled so that the active alternatives of one original sum to < 1.
  std::vector<double> log_q(n_entries, -INFINITY);
  std::vector<double> group_q(n_groups, 0.0);
  for (std::size_t e = 0; e < n_entries; ++e) {
    if (!touched[e]) continue;
    log_q[e] = std::min(entries_[e].log10_prior + entries_[e].site_log10_adjust, std::log10(0.95));
    group_q[entries_[e].original_group] += exp10_of(log_q[e]);
  }
  for (std::size_t e = 0; e < n_entries; ++e) {
    const double sum = touched[e] ? group_q[entries_[e].original_group] : 0.0;
    if (sum > 0.95) log_q[e] += std::log10(0.95 / sum);
  }
  for (double& q : group_q) q = std::min(q, 0.95);
  // Known groups: the mass of alternatives that do not occur here, and "none".
  std::vector<double> absent_q(n_groups, 0.0), none_q(n_groups, 0.0), log_none(n_groups, 0.0);
  for (std::size_t g = 0; g < n_groups; ++g) {
    const double total = std::max(group_total_[g], group_q[g]);
    absent_q[g] = std::max(0.0, total - group_q[g]);
    none_q[g] = 1.0 - std::max(total, group_q[g]);
    log_none[g] = std::log10(std::max(none_q[g], 1e-12));
  }

  // Spans: the occurrences that compete for one written span, and the group
  // whose original the span's written form is (a written "nation" is itself
  // an original when the table has "nation -> kingdom").
  std::vector<std::uint32_t> order(n_occ);
  for (std::uint32_t i = 0; i < n_occ; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return occurrences_[a].span < occurrences_[b].span; });
  std::vector<std::pair<std::size_t, std::size_t>> spans;  // ranges of `order`
  for (std::size_t start = 0; start < n_occ;) {
    std::size_t end = start;
    while (end < n_occ && occurrences_[order[end]].span == occurrences_[order[start]].span) ++end;
    spans.emplace_back(start, end);
    start = end;
  }
  std::vector<std::int64_t> span_group(spans.size(), -1);
  for (std::size_t j = 0; j < spans.size(); ++j) {
    auto it = groups_.find(entries_[occurrences_[order[spans[j].first]].entry].spun);
    if (it != groups_.end() && group_in[it->second]) span_group[j] = it->second;
  }

  // Words are bursty: a writer who chose a word once uses it again, and so
  // does one whose word a spinner replaced. So the choice of word (the
  // unigram part of Delta) is evidence once per entry; each further
  // occurrence adds only how much better the original fits its context.
  std::vector<double> delta_used(n_occ);
  {
    std::vector<int> seen(n_entries, 0);
    for (std::uint32_t i = 0; i < n_occ; ++i) {
      const Occurrence& o = occurrences_[i];
      delta_used[i] = seen[o.entry]++ ? o.delta - entries_[o.entry].unigram_gain : o.delta;
    }
  }
  // The LM's ratio saturates (delta_cap) because a trigram model finds every
  // rare written word improbable; that is a fact about the written span,
  // shared by all its candidates. So the best candidate of a span is
  // saturated and the others keep their LM distance from it.
  // The evidence an occurrence's posterior uses is its entry's mean Delta
  // over the document: the spinner applied the entry to every occurrence of
  // the original, so what tells one occurrence from another is the noise of
  // a trigram's two words of context. Without this pooling a form repeated
  // in a document got different decisions at 36-63% of gold-consistent
  // repeats (build part); pooled, 2-4%, with recall and precision the same
  // or better at every threshold. (The Bayes factor keeps each occurrence's
  // own Delta: it is a sum over occurrences either way.)
  std::vector<double> delta_post(n_occ);
  {
    std::vector<double> sum(n_entries, 0.0);
    std::vector<int> count(n_entries, 0);
    for (const Occurrence& o : occurrences_) {
      sum[o.entry] += o.delta;
      ++count[o.entry];
    }
    for (std::uint32_t i = 0; i < n_occ; ++i) {
      delta_post[i] = sum[occurrences_[i].entry] / count[occurrences_[i].entry];
    }
  }
  std::vector<double> ev_used(n_occ), ev_raw(n_occ);
  for (const auto& [start, end] : spans) {
    double max_used = -INFINITY, max_raw = -INFINITY;
    for (std::size_t j = start; j < end; ++j) {
      max_used = std::max(max_used, delta_used[order[j]]);
      max_raw = std::max(max_raw, delta_post[order[j]]);
    }
    for (std::size_t j = start; j < end; ++j) {
      const std::uint32_t i = order[j];
      ev_used[i] = exp10_of(p.lm_temperature * (saturate(max_used) + delta_used[i] - max_used));
      ev_raw[i] = exp10_of(p.lm_temperature * (saturate(max_raw) + delta_post[i] - max_raw));
    }
  }

  const std::size_t k_count = p.rhos.size();
  std::vector<double> log_bf(k_count, 0.0);
  std::vector<std::vector<double>> p_entry(k_count, std::vector<double>(n_entries, 0.0));
  std::vector<std::vector<double>> natural_of_span(k_count);
  std::vector<double> L(n_entries), log_z(n_groups), spun_expected(n_groups);
  std::vector<std::vector<std::uint32_t>> group_entries(n_groups);
  for (std::uint32_t e = 0; e < n_entries; ++e) {
    if (touched[e]) group_entries[entries_[e].original_group].push_back(e);
  }
  std::vector<double> span_spun(spans.size());
  // What the previous mean-field pass computed from (see the pass loop).
  std::vector<double> term(n_occ), natural_used(spans.size()), L_used(n_entries), spun_used(n_groups);
  std::vector<char> group_dirty(n_groups);
  for (std::size_t k = 0; k < k_count; ++k) {
    const double rho = p.rhos[k];
    const double unspun_cost = std::log10(std::max(1.0 - rho, p.epsilon));
    std::vector<double>& natural = natural_of_span[k];
    natural.assign(spans.size(), 1.0);
    std::fill(spun_expected.begin(), spun_expected.end(), 0.0);
    // Mean-field passes. A written span that is itself an original stays
    // natural only if its own entry is inactive (1 - rho * P(active)); and
    // an original counts as written unspun only where its span is not
    // itself explained as spun. Pass 1 is the independent-entries model.
    for (int pass = 0; pass < kMeanFieldPasses; ++pass) {
      // Later passes change only the spans coupled to their own group (their
      // `natural`) and those groups' expected spun counts; everything else is
      // recomputed only when its inputs changed, from the same inputs in the
      // same order, so the results are bit-identical to recomputing it all.
      std::fill(L.begin(), L.end(), 0.0);
      for (std::size_t j = 0; j < spans.size(); ++j) {
        const bool fresh = pass == 0 || natural[j] != natural_used[j];
        natural_used[j] = natural[j];
        for (std::size_t x = spans[j].first; x < spans[j].second; ++x) {
          const std::uint32_t i = order[x];
          if (fresh) {
            const Entry& entry = entries_[occurrences_[i].entry];
            const double contains = entry.spun_contains_original ? std::max(1.0 - rho, p.epsilon) : 1.0;
            term[i] = std::log10(contains + rho * ev_used[i] / natural[j]);
          }
          L[occurrences_[i].entry] += term[i];
        }
      }
      for (std::size_t g = 0; g < n_groups; ++g) {
        group_dirty[g] = pass == 0 || spun_expected[g] != spun_used[g];
        spun_used[g] = spun_expected[g];
      }
      for (std::size_t e = 0; e < n_entries; ++e) {
        if (!touched[e]) continue;
        if (pass == 0 || L[e] != L_used[e]) group_dirty[entries_[e].original_group] = 1;
        L_used[e] = L[e];
      }
      // log10 Z of a group when `removed` of its expected natural originals
      // are left out (the cavity of one span, below; 0: the whole document).
      const auto group_log_z = [&](std::uint32_t g, double removed) {
        const double natural_originals = std::max(0.0, group_unspun_[g] - spun_expected[g] - removed);
        double z = log_none[g];
        if (absent_q[g] > 0) z = log10_sum_exp10(z, std::log10(absent_q[g]) + natural_originals * unspun_cost);
        for (std::uint32_t e : group_entries[g]) {
          const double unspun = std::max(0.0, entries_[e].unspun - spun_expected[g] - removed);
          z = log10_sum_exp10(z, log_q[e] + L[e] + unspun * unspun_cost);
        }
        return z;
      };
      for (std::size_t g = 0; g < n_groups; ++g) {
        if (group_in[g] && group_dirty[g]) log_z[g] = group_log_z(static_cast<std::uint32_t>(g), 0.0);
      }
      for (std::size_t e = 0; e < n_entries; ++e) {
        if (!touched[e]) continue;
        const std::uint32_t g = entries_[e].original_group;
        L[e] += std::max(0.0, entries_[e].unspun - spun_expected[g]) * unspun_cost;
        if (group_dirty[g]) p_entry[k][e] = exp10_of(log_q[e] + L[e] - log_z[g]);
      }
      if (pass == 0) {
        // The Bayes factor is that of the independent-entries model: the
        // mean-field passes sharpen each span's posterior, but summing their
        // group terms would count a coupled span twice (once in the entry
        // that explains it, once in its own group's natural originals).
        log_bf[k] = 0;
        for (std::size_t g = 0; g < n_groups; ++g) {
          if (group_in[g]) log_bf[k] += log_z[g];
        }
      }
      if (pass + 1 == kMeanFieldPasses) break;
      // Each span's probability of being spun, under this pass's entries.
      std::fill(spun_expected.begin(), spun_expected.end(), 0.0);
      for (std::size_t j = 0; j < spans.size(); ++j) {
        double base = natural[j], spun = 0;
        for (std::size_t x = spans[j].first; x < spans[j].second; ++x) {
          const Occurrence& o = occurrences_[order[x]];
          if (entries_[o.entry].spun_contains_original) {
            base -= natural[j] * p_entry[k][o.entry] * (1.0 - std::max(1.0 - rho, p.epsilon));
          }
          spun += p_entry[k][o.entry] * rho * ev_raw[order[x]];
        }
        span_spun[j] = spun / (std::max(base, 1e-12) + spun);
        if (span_group[j] >= 0) spun_expected[span_group[j]] += span_spun[j];
      }
      // A span's natural weight: its own group's activity judged on the rest
      // of the document (the cavity), since this span being natural is
      // itself evidence against that group.
      for (std::size_t j = 0; j < spans.size(); ++j) {
        if (span_group[j] < 0) continue;
        const auto g = static_cast<std::uint32_t>(span_group[j]);
        const double z = group_log_z(g, 1.0 - span_spun[j]);
        const double active = std::clamp(1.0 - std::max(none_q[g], 1e-12) / exp10_of(z), 0.0, 1.0);
        natural[j] = std::max(1.0 - rho * active, p.epsilon);
      }
    }
    if (k + 1 == k_count) {
      for (std::size_t e = 0; e < n_entries; ++e) {
        if (touched[e]) result.entry_log10_z[e] = log_z[entries_[e].original_group];
      }
    }
  }
  // Mixture over spinner families (rho).
  double mix = -INFINITY;
  for (std::size_t k = 0; k < k_count; ++k) mix = log10_sum_exp10(mix, std::log10(p.rho_weights[k]) + log_bf[k]);
  result.log10_bf = mix;
  std::vector<double> p_rho(k_count);
  for (std::size_t k = 0; k < k_count; ++k) {
    p_rho[k] = exp10_of(std::log10(p.rho_weights[k]) + log_bf[k] - mix);
    result.expected_rho += p_rho[k] * p.rhos[k];
  }
  const double odds = std::clamp(mix + p.prior_spun_log10_odds, -30.0, 30.0);
  result.p_spun = 1.0 / (1.0 + exp10_of(-odds));
  for (std::size_t e = 0; e < n_entries; ++e) {
    for (std::size_t k = 0; k < k_count; ++k) result.entry_posterior[e] += p_rho[k] * p_entry[k][e];
  }

  // Occurrences compete within a span, and spans compete where their words
  // overlap: each written word was rewritten by at most one entry. A cluster
  // of overlapping spans is a chain of word positions; a reading of it
  // chooses non-overlapping spans, each explained by one of its occurrences,
  // the rest natural. A reading's weight is the product over its chosen
  // occurrences of w_i / base_j (w_i = P(e) rho ev_i, base_j the span's
  // natural weight), so a span alone gets w_i / (base_j + sum w) as before;
  // forward-backward over the chain gives each occurrence's posterior.
  std::vector<std::size_t> span_order(spans.size());
  for (std::size_t j = 0; j < spans.size(); ++j) span_order[j] = j;
  const auto span_begin = [&](std::size_t j) { return occurrences_[order[spans[j].first]].word_begin; };
  const auto span_end = [&](std::size_t j) { return occurrences_[order[spans[j].first]].word_end; };
  std::stable_sort(span_order.begin(), span_order.end(), [&](std::size_t a, std::size_t b) {
    return span_begin(a) != span_begin(b) ? span_begin(a) < span_begin(b) : span_end(a) < span_end(b);
  });
  std::vector<double> weight(n_occ), span_ratio(spans.size()), span_base(spans.size()), span_denom(spans.size());
  std::vector<double> forward, backward;
  for (std::size_t c = 0; c < span_order.size();) {
    // A cluster: spans [c, c_end) of span_order whose word ranges chain by overlap.
    std::size_t c_end = c + 1;
    std::uint32_t lo = span_begin(span_order[c]), hi = span_end(span_order[c]);
    const bool known = hi > lo;
    while (known && c_end < span_order.size() && span_begin(span_order[c_end]) < hi) {
      hi = std::max(hi, span_end(span_order[c_end]));
      ++c_end;
    }
    for (std::size_t k = 0; k < k_count; ++k) {
      if (p_rho[k] < 1e-9) continue;
      // Each span: its occurrences' weights relative to the span being natural.
      for (std::size_t x = c; x < c_end; ++x) {
        const std::size_t j = span_order[x];
        const auto [start, end] = spans[j];
        // The written span is natural unless some active entry explains it; an
        // active entry whose original it contains makes "natural" less likely,
        // and so does its own entry when the written form is an original.
        const double natural = natural_of_span[k][j];
        double base = natural;
        for (std::size_t y = start; y < end; ++y) {
          const Occurrence& o = occurrences_[order[y]];
          if (entries_[o.entry].spun_contains_original) {
            base -= natural * p_entry[k][o.entry] * (1.0 - std::max(1.0 - p.rhos[k], p.epsilon));
          }
        }
        span_base[j] = std::max(base, 1e-12);
        double denom = base;
        for (std::size_t y = start; y < end; ++y) {
          const Occurrence& o = occurrences_[order[y]];
          weight[order[y]] = p_entry[k][o.entry] * p.rhos[k] * ev_raw[order[y]];
          denom += weight[order[y]];
        }
        denom = std::max(denom, 1e-12);
        span_ratio[j] = (denom - base) / span_base[j];
        span_denom[j] = denom;
      }
      if (c_end == c + 1) {  // one span: no chain to walk
        const std::size_t j = span_order[c];
        for (std::size_t y = spans[j].first; y < spans[j].second; ++y) {
          result.posterior[order[y]] += p_rho[k] * weight[order[y]] / span_denom[j];
        }
        continue;
      }
      // forward[t]: the weight of readings of words [lo, lo + t); backward[t]: of [lo + t, hi).
      const std::size_t n = hi - lo;
      forward.assign(n + 1, 0.0);
      backward.assign(n + 1, 0.0);
      // span_order is sorted by first word, so the spans starting at t are
      // the next ones in it: each walk is linear in words plus spans.
      forward[0] = 1.0;
      for (std::size_t t = 0, x = c; t < n; ++t) {
        forward[t + 1] += forward[t];
        for (; x < c_end && span_begin(span_order[x]) - lo == t; ++x) {
          const std::size_t j = span_order[x];
          forward[span_end(j) - lo] += forward[t] * span_ratio[j];
        }
      }
      backward[n] = 1.0;
      for (std::size_t t = n, x = c_end; t-- > 0;) {
        backward[t] += backward[t + 1];
        for (; x > c && span_begin(span_order[x - 1]) - lo == t; --x) {
          const std::size_t j = span_order[x - 1];
          backward[t] += span_ratio[j] * backward[span_end(j) - lo];
        }
      }
      const double total = forward[n];
      for (std::size_t x = c; x < c_end; ++x) {
        const std::size_t j = span_order[x];
        const double around = forward[span_begin(j) - lo] * backward[span_end(j) - lo] / total;
        for (std::size_t y = spans[j].first; y < spans[j].second; ++y) {
          result.posterior[order[y]] += p_rho[k] * weight[order[y]] / span_base[j] * around;
        }
      }
    }
    c = c_end;
  }
  for (double& posterior : result.posterior) posterior *= result.p_spun;
  return result;
}

}  // namespace unspin::decode
