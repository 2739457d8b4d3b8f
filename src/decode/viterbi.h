// Joint search over a sentence lattice: the best sequence of keep/replace
// decisions under LM score + channel score. Hypotheses with equal LM state
// merge (Viterbi); at most `beam` states survive per position.
#pragma once

#include <cstdint>
#include <vector>

#include "decode/lattice.h"

namespace unspin::decode {

// One decision: keep word `begin` (arc < 0) or take lattice.arcs_from[begin][arc].
struct Step {
  std::uint32_t begin;
  int arc;
};

struct Path {
  std::vector<Step> steps;
  double score = 0;  // log10: LM (with <s>, </s>) + channel of the arcs taken
};

Path best_path(const Sentence& sentence, const Lattice& lattice, const LanguageModel& lm,
               int beam);

// Scores a given path exactly as best_path does.
double score_path(const Sentence& sentence, const Lattice& lattice, const LanguageModel& lm,
                  const std::vector<Step>& steps);

// Exhaustive search over every path; exponential, for tests on short input.
Path brute_force_best_path(const Sentence& sentence, const Lattice& lattice,
                           const LanguageModel& lm);

}  // namespace unspin::decode
