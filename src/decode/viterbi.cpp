#include "decode/viterbi.h"

#include <algorithm>
#include <limits>
#include <unordered_map>

namespace unspin::decode {
namespace {

struct StateHash {
  std::size_t operator()(const LmState& s) const noexcept { return s.hash(); }
};

struct Hyp {
  LmState state;
  double score;
  int node;  // index into the back-pointer arena
};

struct Node {
  int prev;
  Step step;
};

// Advances `state` over one step, returning the step's log10 score.
double advance(const Sentence& sentence, const Lattice& lattice, const LanguageModel& lm,
               const Step& step, LmState* state) {
  LmState next;
  if (step.arc < 0) {
    double s = lm.score(*state, sentence.words[step.begin].lm_id, &next);
    *state = next;
    return s;
  }
  const Arc& arc = lattice.arcs_from[step.begin][step.arc];
  double s = arc.channel;
  for (WordId id : arc.ids) {
    s += lm.score(*state, id, &next);
    *state = next;
  }
  return s;
}

std::uint32_t step_end(const Lattice& lattice, const Step& step) {
  return step.arc < 0 ? step.begin + 1 : lattice.arcs_from[step.begin][step.arc].end;
}

}  // namespace

double score_path(const Sentence& sentence, const Lattice& lattice, const LanguageModel& lm,
                  const std::vector<Step>& steps) {
  LmState state = lm.begin_sentence();
  double total = 0;
  for (const Step& step : steps) total += advance(sentence, lattice, lm, step, &state);
  LmState next;
  return total + lm.score(state, lm.end_sentence_id(), &next);
}

Path best_path(const Sentence& sentence, const Lattice& lattice, const LanguageModel& lm,
               int beam) {
  const std::uint32_t n = sentence.words.size();
  std::vector<Node> arena;
  std::vector<std::vector<Hyp>> at(n + 1);
  std::vector<std::unordered_map<LmState, std::size_t, StateHash>> index(n + 1);
  at[0].push_back({lm.begin_sentence(), 0.0, -1});

  auto push = [&](std::uint32_t pos, const LmState& state, double score, int prev, Step step) {
    auto [it, inserted] = index[pos].try_emplace(state, at[pos].size());
    if (!inserted) {
      Hyp& existing = at[pos][it->second];
      if (existing.score >= score) return;
      arena.push_back({prev, step});
      existing.score = score;
      existing.node = static_cast<int>(arena.size()) - 1;
      return;
    }
    arena.push_back({prev, step});
    at[pos].push_back({state, score, static_cast<int>(arena.size()) - 1});
  };

  for (std::uint32_t pos = 0; pos < n; ++pos) {
    std::vector<Hyp>& hyps = at[pos];
    if (static_cast<int>(hyps.size()) > beam) {
      std::nth_element(hyps.begin(), hyps.begin() + beam, hyps.end(),
                       [](const Hyp& a, const Hyp& b) { return a.score > b.score; });
      hyps.resize(beam);
    }
    index[pos].clear();
    for (const Hyp& hyp : hyps) {
      const int arcs = static_cast<int>(lattice.arcs_from[pos].size());
      for (int a = -1; a < arcs; ++a) {
        Step step{pos, a};
        LmState state = hyp.state;
        double score = hyp.score + advance(sentence, lattice, lm, step, &state);
        push(step_end(lattice, step), state, score, hyp.node, step);
      }
    }
  }

  Path path;
  path.score = -std::numeric_limits<double>::infinity();
  int best = -1;
  for (const Hyp& hyp : at[n]) {
    LmState next;
    double s = hyp.score + lm.score(hyp.state, lm.end_sentence_id(), &next);
    if (s > path.score) {
      path.score = s;
      best = hyp.node;
    }
  }
  for (int node = best; node >= 0; node = arena[node].prev) path.steps.push_back(arena[node].step);
  std::reverse(path.steps.begin(), path.steps.end());
  return path;
}

Path brute_force_best_path(const Sentence& sentence, const Lattice& lattice,
                           const LanguageModel& lm) {
  Path best;
  best.score = -std::numeric_limits<double>::infinity();
  std::vector<Step> steps;
  auto recurse = [&](auto&& self, std::uint32_t pos) -> void {
    if (pos == sentence.words.size()) {
      double s = score_path(sentence, lattice, lm, steps);
      if (s > best.score) {
        best.score = s;
        best.steps = steps;
      }
      return;
    }
    const int arcs = static_cast<int>(lattice.arcs_from[pos].size());
    for (int a = -1; a < arcs; ++a) {
      steps.push_back({pos, a});
      self(self, step_end(lattice, steps.back()));
      steps.pop_back();
    }
  };
  recurse(recurse, 0);
  return best;
}

}  // namespace unspin::decode
