#include "decode/channel.h"

#include <algorithm>
#include <cmath>

namespace unspin::decode {

double unigram_log10(const LanguageModel& lm, const std::vector<WordId>& ids) {
  double total = 0;
  LmState next;
  for (WordId id : ids) total += lm.score(lm.null_context(), id, &next);
  return total;
}

void ChannelModel::score(Lattice& lattice, const LanguageModel& lm) const {
  for (auto& arcs : lattice.arcs_from) {
    for (Arc& arc : arcs) {
      std::vector<WordId> spun_ids;  // recomputed: arcs are few after filtering
      std::size_t start = 0;
      while (start <= arc.spun.size()) {
        std::size_t end = arc.spun.find(' ', start);
        if (end == std::string::npos) end = arc.spun.size();
        if (end > start) spun_ids.push_back(lm.vocab_id(arc.spun.substr(start, end - start)));
        start = end + 1;
      }
      const double frequency_gain = unigram_log10(lm, arc.ids) - unigram_log10(lm, spun_ids);
      // A spinner picks one of the word's substitutes: the more alternatives the
      // lexicon lists, the less any one of them is evidence (and the more
      // chances the LM has to like one by accident).
      const double words_changed = static_cast<double>(arc.ids.size()) - static_cast<double>(spun_ids.size());
      double channel = edit_log10_ + params_.prior_weight * std::log10(std::max(arc.prior, 1e-6f)) -
                       params_.alternatives_weight * std::log10(std::max<double>(1, arc.alternatives)) +
                       params_.length_bonus * words_changed -
                       params_.frequency_discount * std::max(0.0, frequency_gain);
      auto it = pair_counts_.find({arc.spun, arc.original});
      if (it != pair_counts_.end() && it->second >= 1.0) {
        channel += params_.repeat_bonus * std::log2(1.0 + it->second);
      }
      arc.channel = channel;
    }
  }
}

namespace {

double edit_cost(const ChannelParams& params, double spin_rate) {
  const double r = std::clamp(spin_rate, params.min_spin_rate, params.max_spin_rate);
  return params.edit_bias + params.adapt_weight * std::log10(r / (1 - r));
}

}  // namespace

ChannelModel::ChannelModel(const ChannelParams& params)
    : params_(params), edit_log10_(edit_cost(params, params.prior_spin_rate)) {}

void ChannelModel::adapt(double spin_rate,
                         const std::map<std::pair<std::string, std::string>, double>& pairs) {
  edit_log10_ = edit_cost(params_, spin_rate);
  pair_counts_ = pairs;
}

}  // namespace unspin::decode
