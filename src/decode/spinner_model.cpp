#include "decode/spinner_model.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace unspin::decode {

double log10_sum_exp10(double a, double b) {
  if (a < b) std::swap(a, b);
  if (b == -INFINITY) return a;
  return a + std::log10(1.0 + std::pow(10.0, b - a));
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
    sub.add_occurrence({it->second, o.span, o.delta});
  }
  return sub;
}

ModelResult SpinnerModel::evaluate() const {
  const SpinnerModelParams& p = params_;
  const auto evidence = [&](double delta) {
    return std::pow(10.0, p.lm_temperature * p.delta_cap * std::tanh(delta / p.delta_cap));
  };
  const std::size_t n_entries = entries_.size();
  std::vector<std::uint32_t> all(occurrences_.size());
  for (std::uint32_t i = 0; i < all.size(); ++i) all[i] = i;
  const std::vector<std::uint32_t>* occ = &all;
  ModelResult result;
  result.posterior.assign(occurrences_.size(), 0.0);
  result.entry_posterior.assign(n_entries, 0.0);
  result.entry_log10_z.assign(n_entries, 0.0);

  std::vector<char> touched(n_entries, 0);
  for (std::uint32_t i : *occ) touched[occurrences_[i].entry] = 1;
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
    group_q[entries_[e].original_group] += std::pow(10.0, log_q[e]);
  }
  for (std::size_t e = 0; e < n_entries; ++e) {
    const double sum = touched[e] ? group_q[entries_[e].original_group] : 0.0;
    if (sum > 0.95) log_q[e] += std::log10(0.95 / sum);
  }
  for (double& q : group_q) q = std::min(q, 0.95);
  // Known groups: the mass of alternatives that do not occur here, and "none".
  std::vector<double> absent_q(n_groups, 0.0), none_q(n_groups, 0.0);
  for (std::size_t g = 0; g < n_groups; ++g) {
    const double total = std::max(group_total_[g], group_q[g]);
    absent_q[g] = std::max(0.0, total - group_q[g]);
    none_q[g] = 1.0 - std::max(total, group_q[g]);
  }

  const std::size_t k_count = p.rhos.size();
  std::vector<double> log_bf(k_count, 0.0);
  std::vector<std::vector<double>> p_entry(k_count, std::vector<double>(n_entries, 0.0));
  std::vector<double> L(n_entries), log_z(n_groups);
  std::vector<int> seen(n_entries);
  for (std::size_t k = 0; k < k_count; ++k) {
    const double rho = p.rhos[k];
    std::fill(L.begin(), L.end(), 0.0);
    // Words are bursty: a writer who chose a word once uses it again, and so
    // does one whose word a spinner replaced. So the choice of word (the
    // unigram part of Delta) is evidence once per entry; each further
    // occurrence adds only how much better the original fits its context.
    std::fill(seen.begin(), seen.end(), 0);
    for (std::uint32_t i : *occ) {
      const Occurrence& o = occurrences_[i];
      const Entry& entry = entries_[o.entry];
      const double natural = entry.spun_contains_original ? std::max(1.0 - rho, p.epsilon) : 1.0;
      const double delta = seen[o.entry]++ ? o.delta - entry.unigram_gain : o.delta;
      L[o.entry] += std::log10(natural + rho * evidence(delta));
    }
    const double unspun_cost = std::log10(std::max(1.0 - rho, p.epsilon));
    for (std::size_t g = 0; g < n_groups; ++g) {
      if (!group_in[g]) continue;
      log_z[g] = std::log10(std::max(none_q[g], 1e-12));
      if (absent_q[g] > 0) {
        log_z[g] = log10_sum_exp10(log_z[g], std::log10(absent_q[g]) + group_unspun_[g] * unspun_cost);
      }
    }
    for (std::size_t e = 0; e < n_entries; ++e) {
      if (!touched[e]) continue;
      L[e] += entries_[e].unspun * unspun_cost;
      const std::uint32_t g = entries_[e].original_group;
      log_z[g] = log10_sum_exp10(log_z[g], log_q[e] + L[e]);
    }
    for (std::size_t g = 0; g < n_groups; ++g) {
      if (group_in[g]) log_bf[k] += log_z[g];
    }
    for (std::size_t e = 0; e < n_entries; ++e) {
      if (!touched[e]) continue;
      p_entry[k][e] = std::pow(10.0, log_q[e] + L[e] - log_z[entries_[e].original_group]);
      if (k + 1 == k_count) result.entry_log10_z[e] = log_z[entries_[e].original_group];
    }
  }
  // Mixture over spinner families (rho).
  double mix = -INFINITY;
  for (std::size_t k = 0; k < k_count; ++k) mix = log10_sum_exp10(mix, std::log10(p.rhos.size() ? p.rho_weights[k] : 1) + log_bf[k]);
  result.log10_bf = mix;
  std::vector<double> p_rho(k_count);
  for (std::size_t k = 0; k < k_count; ++k) {
    p_rho[k] = std::pow(10.0, std::log10(p.rho_weights[k]) + log_bf[k] - mix);
    result.expected_rho += p_rho[k] * p.rhos[k];
  }
  const double odds = std::clamp(mix + p.prior_spun_log10_odds, -30.0, 30.0);
  result.p_spun = 1.0 / (1.0 + std::pow(10.0, -odds));
  for (std::size_t e = 0; e < n_entries; ++e) {
    for (std::size_t k = 0; k < k_count; ++k) result.entry_posterior[e] += p_rho[k] * p_entry[k][e];
  }

  // Occurrences compete within a span: posterior of each original.
  std::vector<std::uint32_t> order = *occ;
  std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    return occurrences_[a].span < occurrences_[b].span;
  });
  for (std::size_t start = 0; start < order.size();) {
    std::size_t end = start;
    while (end < order.size() && occurrences_[order[end]].span == occurrences_[order[start]].span) ++end;
    for (std::size_t k = 0; k < k_count; ++k) {
      if (p_rho[k] < 1e-9) continue;
      // The written span is natural unless some active entry explains it; an
      // active entry whose original it contains makes "natural" less likely.
      double denom = 1.0;
      for (std::size_t j = start; j < end; ++j) {
        const Occurrence& o = occurrences_[order[j]];
        if (entries_[o.entry].spun_contains_original) {
          denom -= p_entry[k][o.entry] * (1.0 - std::max(1.0 - p.rhos[k], p.epsilon));
        }
        denom += p_entry[k][o.entry] * p.rhos[k] * evidence(o.delta);
      }
      for (std::size_t j = start; j < end; ++j) {
        const Occurrence& o = occurrences_[order[j]];
        const double r = p_entry[k][o.entry] * p.rhos[k] * evidence(o.delta) / denom;
        result.posterior[order[j]] += p_rho[k] * r;
      }
    }
    for (std::size_t j = start; j < end; ++j) result.posterior[order[j]] *= result.p_spun;
    start = end;
  }
  return result;
}

}  // namespace unspin::decode
