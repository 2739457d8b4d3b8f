// The channel model P(spun | original), relative to keeping a word: scores
// each lattice arc, and adapts to one spinner from the decoder's own output.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "decode/lattice.h"
#include "decode/params.h"

namespace unspin::decode {

class ChannelModel {
 public:
  explicit ChannelModel(const ChannelParams& params);

  // Sets arc.channel for every arc of the lattice.
  void score(Lattice& lattice, const LanguageModel& lm) const;

  // Adaptation from a decoded pass: the spinner's estimated substitution rate
  // and the (spun, original) pairs it appears to use, with posterior counts.
  void adapt(double spin_rate, const std::map<std::pair<std::string, std::string>, double>& pairs);


 private:
  ChannelParams params_;
  double edit_log10_;
  std::map<std::pair<std::string, std::string>, double> pair_counts_;
};

// Sum of the unigram log10 probabilities of `ids` (no context).
double unigram_log10(const LanguageModel& lm, const std::vector<WordId>& ids);

}  // namespace unspin::decode
