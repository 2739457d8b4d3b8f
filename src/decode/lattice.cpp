#include "decode/lattice.h"

#include <algorithm>
#include <cmath>
#include <optional>

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

void SequenceScorer::score(const LanguageModel& lm, LmState left, const std::vector<const std::vector<WordId>*>& heads,
                           const std::vector<WordId>& tail) {
  const std::size_t n = heads.size();
  totals.assign(n, 0.0);
  states_.assign(n, left);
  position_.assign(n, 0);
  active_.clear();
  for (std::uint32_t c = 0; c < n; ++c) active_.push_back(c);
  while (!active_.empty()) {
    const std::size_t m = active_.size();
    words_.resize(m);
    in_.resize(m);
    next_.resize(m);
    probs_.resize(m);
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint32_t c = active_[i];
      const std::vector<WordId>& head = *heads[c];
      const std::uint32_t p = position_[c];
      in_[i] = states_[c];
      words_[i] = p < head.size() ? head[p] : tail[p - head.size()];
    }
    lm.score_batch(in_.data(), words_.data(), m, probs_.data(), next_.data());
    std::size_t still = 0;
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint32_t c = active_[i];
      totals[c] += probs_[i];
      states_[c] = next_[i];
      if (++position_[c] < heads[c]->size() + tail.size()) active_[still++] = c;
    }
    active_.resize(still);
  }
}

LmState left_state(const Sentence& sentence, const LanguageModel& lm, std::uint32_t begin) {
  LmState state = lm.begin_sentence();
  LmState next;
  for (std::uint32_t i = begin >= 2 ? begin - 2 : 0; i < begin; ++i) {
    lm.score(state, sentence.words[i].lm_id, &next);
    state = next;
  }
  return state;
}

double local_score_from(const Sentence& sentence, const LanguageModel& lm, LmState state, std::uint32_t end,
                        const std::vector<WordId>& replacement, int right) {
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

CandidateCache::CandidateCache(const LexiconStack& lexicons, const LanguageModel& lm, const LatticeOptions& options,
                               std::size_t max_forms, std::size_t max_candidates)
    : lexicons_(lexicons),
      lm_(lm),
      options_(options),
      max_forms_(max_forms),
      max_candidates_(max_candidates),
      shards_(new Shard[kShards]),
      by_word_(new std::atomic<const SpanCandidates*>[lm.vocab_size()]()),
      vocab_size_(lm.vocab_size()) {}

namespace {
// A full cache's answer, per thread (see CandidateCache).
thread_local SpanCandidates overflow_slot;
}  // namespace

const SpanCandidates* CandidateCache::find_or_add(std::string_view key, std::string_view suffix) {
  thread_local std::string probe;
  probe.assign(key);
  probe += '\x1f';
  probe.append(suffix);
  Shard& shard = shards_[std::hash<std::string>{}(probe) % kShards];
  {
    std::lock_guard<std::mutex> lock(shard.mutex);
    auto it = shard.map.find(probe);
    if (it != shard.map.end()) return it->second.get();
  }
  auto computed = std::make_unique<SpanCandidates>(compute(key, suffix));
  const std::size_t n = computed->list.size();
  if (size() >= max_forms_ || candidates() + n > max_candidates_) {
    // Full: the list lives in this thread's slot until its next get().
    overflow_slot = std::move(*computed);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(shard.mutex);
  auto [it, added] = shard.map.emplace(probe, std::move(computed));
  if (added) {
    forms_.fetch_add(1, std::memory_order_relaxed);
    candidates_.fetch_add(n, std::memory_order_relaxed);
  }
  return it->second.get();
}

const SpanCandidates& CandidateCache::get(std::string_view key, std::string_view suffix) {
  const SpanCandidates* held = find_or_add(key, suffix);
  return held ? *held : overflow_slot;
}

const SpanCandidates& CandidateCache::get_word(WordId id, std::string_view key) {
  if (id >= vocab_size_) return get(key, {});
  std::atomic<const SpanCandidates*>& slot = by_word_[id];
  const SpanCandidates* held = slot.load(std::memory_order_acquire);
  // Two spellings of one LM word (case folding differs in rare scripts) keep their own entries.
  if (held && held->key == key) return *held;
  held = find_or_add(key, {});
  if (!held) return overflow_slot;
  slot.store(held, std::memory_order_release);
  return *held;
}

SpanCandidates CandidateCache::compute(std::string_view key, std::string_view suffix) const {
  SpanCandidates out;
  out.key.assign(key);
  out.has_longer = lexicons_.has_longer(key);
  std::vector<Candidate> candidates;
  lexicons_.lookup(key, &candidates);
  if (candidates.empty()) return out;
  // A user's spinner table is the spinner's own: its candidates come first
  // and are never capped. The others are ranked by how likely each original
  // is to be what a writer wrote, the lexicon's prior times the original's
  // word frequency^frequency_weight (per word, so that phrases are not ranked
  // down for their length), so that common originals are kept ahead of rare
  // hyponyms when the list is capped.
  struct Ranked {
    bool user;
    double key;
    std::size_t index;
  };
  std::vector<Ranked> ranked;
  LmState ignored;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    const std::vector<WordId> ids = ids_of(lm_, candidates[i].original);
    double frequency = 0;
    for (WordId id : ids) frequency += lm_.score(lm_.null_context(), id, &ignored);
    const double key = std::log10(std::max(candidates[i].prior, 1e-9f)) +
                       options_.frequency_weight * (ids.empty() ? 0.0 : frequency / static_cast<double>(ids.size()));
    ranked.push_back({(candidates[i].sources & (kSourceUser | kSourceLearned)) != 0, key, i});
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Ranked& a, const Ranked& b) { return a.user != b.user ? a.user : a.key > b.key; });
  std::vector<Candidate> sorted;
  sorted.reserve(candidates.size());
  for (const Ranked& r : ranked) sorted.push_back(std::move(candidates[r.index]));
  candidates.swap(sorted);
  std::size_t user = 0;
  while (user < candidates.size() && (candidates[user].sources & (kSourceUser | kSourceLearned))) ++user;
  const std::size_t keep = std::max<std::size_t>(user, options_.max_candidates_per_span);
  if (candidates.size() > keep) candidates.resize(keep);
  out.alternatives = static_cast<std::uint16_t>(std::min<std::size_t>(candidates.size(), 65535));
  for (const Candidate& c : candidates) {
    if (c.original == key || has_digit(c.original)) continue;
    SpanCandidate sc;
    sc.original.reserve(c.original.size() + suffix.size());
    sc.original.append(c.original);
    sc.original.append(suffix);
    sc.ids = ids_of(lm_, sc.original);
    if (sc.ids.empty()) continue;
    sc.prior = c.prior;
    sc.sources = c.sources;
    out.list.push_back(std::move(sc));
  }
  return out;
}

Lattice build_lattice(const Sentence& sentence, const LexiconStack& lexicons, const LanguageModel& lm,
                      const LatticeOptions& options, CandidateCache* cache) {
  const auto& words = sentence.words;
  Lattice lattice;
  lattice.arcs_from.resize(words.size());
  std::optional<CandidateCache> local;
  if (!cache) cache = &local.emplace(lexicons, lm, options);
  struct Scored {
    float gain;
    std::uint32_t index;  // into SpanCandidates::list
    bool user;
  };
  std::vector<Scored> scored;
  SequenceScorer scorer;
  std::vector<const std::vector<WordId>*> heads;
  std::vector<WordId> kept, tail;
  std::string key;
  for (std::uint32_t begin = 0; begin < words.size(); ++begin) {
    if (!words[begin].eligible) continue;
    key.clear();
    // The written left context depends on `begin` only: computed once, when
    // some span starting here has candidates.
    std::optional<LmState> left;
    for (std::uint32_t end = begin + 1; end <= words.size(); ++end) {
      const WordItem& last = words[end - 1];
      if (!last.eligible || static_cast<int>(end - begin) > options.max_span_words) break;
      if (end > begin + 1 && !words[end - 2].joins_next) break;
      if (!key.empty()) key += ' ';
      key += last.lower;
      const SpanCandidates& found = end == begin + 1 && last.suffix.empty() && last.lm_id != kUnknownWord
                                        ? cache->get_word(last.lm_id, key)
                                        : cache->get(key, last.suffix);
      if (!found.list.empty()) {
        kept.clear();
        for (std::uint32_t i = begin; i < end; ++i) kept.push_back(words[i].lm_id);
        if (!left) left = left_state(sentence, lm, begin);
        // The span as written and every candidate, each followed by the two
        // written words after the span (and </s> at the sentence end).
        const std::uint32_t stop = std::min<std::uint32_t>(words.size(), end + 2);
        tail.clear();
        for (std::uint32_t i = end; i < stop; ++i) tail.push_back(words[i].lm_id);
        if (stop == words.size()) tail.push_back(lm.end_sentence_id());
        heads.clear();
        heads.push_back(&kept);
        for (const SpanCandidate& cand : found.list) heads.push_back(&cand.ids);
        scorer.score(lm, *left, heads, tail);
        const double keep_score = scorer.totals[0];
        scored.clear();
        for (std::uint32_t c = 0; c < found.list.size(); ++c) {
          const SpanCandidate& cand = found.list[c];
          const bool user = (cand.sources & (kSourceUser | kSourceLearned)) != 0;
          const auto gain = static_cast<float>(scorer.totals[c + 1] - keep_score);
          if (gain < options.min_local_gain && !user) continue;
          scored.push_back({gain, c, user});
        }
        // The best arcs by local gain, plus every user-table arc: an entry of
        // the spinner's table needs its occurrences where the LM disfavours
        // it too, as evidence against it.
        std::stable_sort(scored.begin(), scored.end(),
                         [](const Scored& a, const Scored& b) { return a.gain > b.gain; });
        if (static_cast<int>(scored.size()) > options.max_arcs_per_span) {
          auto cut = std::stable_partition(scored.begin() + options.max_arcs_per_span, scored.end(),
                                           [](const Scored& a) { return a.user; });
          scored.erase(cut, scored.end());
        }
        for (const Scored& sc : scored) {
          const SpanCandidate& cand = found.list[sc.index];
          Arc arc;
          arc.begin = begin;
          arc.end = end;
          arc.spun = key;
          arc.original = cand.original;
          arc.ids = cand.ids;
          arc.prior = cand.prior;
          arc.sources = cand.sources;
          arc.alternatives = found.alternatives;
          arc.local_gain = sc.gain;
          lattice.arcs_from[begin].push_back(std::move(arc));
        }
      }
      if (!last.joins_next || !found.has_longer) break;
    }
  }
  return lattice;
}

}  // namespace unspin::decode
