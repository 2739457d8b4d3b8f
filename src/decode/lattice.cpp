#include "decode/lattice.h"

#include <algorithm>

namespace unspin::decode {
namespace {

std::vector<WordId> ids_of(const LanguageModel& lm, std::string_view phrase) {
  std::vector<WordId> ids;
  std::size_t start = 0;
  while (start <= phrase.size()) {
    std::size_t end = phrase.find(' ', start);
    if (end == std::string_view::npos) end = phrase.size();
    if (end > start) ids.push_back(lm.vocab_id(phrase.substr(start, end - start)));
    start = end + 1;
  }
  return ids;
}

bool has_digit(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

LmState left_state(const Sentence& sentence, const LanguageModel& lm, std::uint32_t begin) {
  LmState state = lm.begin_sentence();
  LmState next;
  for (std::uint32_t i = begin >= 2 ? begin - 2 : 0; i < begin; ++i) {
    lm.score(state, sentence.words[i].lm_id, &next);
    state = next;
  }
  return state;
}

double local_score_from(const Sentence& sentence, const LanguageModel& lm, LmState state,
                        std::uint32_t end, const std::vector<WordId>& replacement, int right) {
  LmState next;
  double total = 0;
  for (WordId id : replacement) {
    total += lm.score(state, id, &next);
    state = next;
  }
  const std::uint32_t stop = std::min<std::uint32_t>(sentence.words.size(), end + right);
  for (std::uint32_t i = end; i < stop; ++i) {
    total += lm.score(state, sentence.words[i].lm_id, &next);
    state = next;
  }
  if (stop == sentence.words.size()) total += lm.score(state, lm.end_sentence_id(), &next);
  return total;
}

Lattice build_lattice(const Sentence& sentence, const LexiconStack& lexicons,
                      const LanguageModel& lm, const LatticeOptions& options) {
  const auto& words = sentence.words;
  Lattice lattice;
  lattice.arcs_from.resize(words.size());
  std::vector<Candidate> candidates;
  std::vector<WordId> kept;
  for (std::uint32_t begin = 0; begin < words.size(); ++begin) {
    if (!words[begin].eligible) continue;
    std::string key;
    for (std::uint32_t end = begin + 1; end <= words.size(); ++end) {
      const WordItem& last = words[end - 1];
      if (!last.eligible || static_cast<int>(end - begin) > options.max_span_words) break;
      if (end > begin + 1 && !words[end - 2].joins_next) break;
      if (!key.empty()) key += ' ';
      key += last.lower;
      candidates.clear();
      lexicons.lookup(key, &candidates);
      if (!candidates.empty()) {
        // A user's spinner table is the spinner's own: its candidates are
        // never capped away by the generic sources' many rare synonyms.
        std::stable_sort(candidates.begin(), candidates.end(), [](const Candidate& a, const Candidate& b) {
          const bool ua = a.sources & kSourceUser, ub = b.sources & kSourceUser;
          return ua != ub ? ua : a.prior > b.prior;
        });
        if (static_cast<int>(candidates.size()) > options.max_candidates_per_span) {
          candidates.resize(options.max_candidates_per_span);
        }
        const auto alternatives = static_cast<std::uint16_t>(std::min<std::size_t>(candidates.size(), 65535));
        kept.clear();
        for (std::uint32_t i = begin; i < end; ++i) kept.push_back(words[i].lm_id);
        const LmState left = left_state(sentence, lm, begin);
        const double keep_score = local_score_from(sentence, lm, left, end, kept, 2);
        std::vector<Arc> arcs;
        for (const Candidate& c : candidates) {
          if (c.original == key || has_digit(c.original)) continue;
          Arc arc;
          arc.begin = begin;
          arc.end = end;
          arc.spun = key;
          arc.original = std::string(c.original) + last.suffix;
          arc.ids = ids_of(lm, arc.original);
          if (arc.ids.empty()) continue;
          arc.prior = c.prior;
          arc.sources = c.sources;
          arc.alternatives = alternatives;
          arc.local_gain = static_cast<float>(local_score_from(sentence, lm, left, end, arc.ids, 2) - keep_score);
          if (arc.local_gain < options.min_local_gain && !(arc.sources & kSourceUser)) continue;
          arcs.push_back(std::move(arc));
        }
        // The best arcs by local gain, plus every user-table arc: an entry of
        // the spinner's table needs its occurrences where the LM disfavours
        // it too, as evidence against it.
        std::stable_sort(arcs.begin(), arcs.end(), [](const Arc& a, const Arc& b) {
          return a.local_gain > b.local_gain;
        });
        if (static_cast<int>(arcs.size()) > options.max_arcs_per_span) {
          auto tail = std::stable_partition(arcs.begin() + options.max_arcs_per_span, arcs.end(),
                                            [](const Arc& a) { return (a.sources & kSourceUser) != 0; });
          arcs.erase(tail, arcs.end());
        }
        for (Arc& arc : arcs) lattice.arcs_from[begin].push_back(std::move(arc));
      }
      if (!last.joins_next || !lexicons.has_longer(key)) break;
    }
  }
  return lattice;
}

}  // namespace unspin::decode
