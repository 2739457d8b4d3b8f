#include "eval/spin_table.h"

#include <algorithm>

#include "eval/scan.h"
#include "eval/spinner.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

// Up to `count` substitutes a spinner's dictionary would list for a word:
// Aiksaurus synonyms of its headline senses, then of any sense (wrong senses
// included), inflected like the word; a rotation drawn from the seed picks
// among the closest few.
std::vector<std::string> word_alternatives(const SpinnerData& data, std::string_view word,
                                           std::size_t count, std::uint64_t seed) {
  std::vector<std::string> usable;
  const std::vector<Analysis> readings = data.morphology.analyses(word);
  for (int pass = 0; pass < 2 && usable.size() < 8; ++pass) {
    for (const Analysis& a : readings) {
      const std::vector<std::string>* syn =
          pass == 0 ? data.thesaurus.core_synonyms(a.lemma) : data.thesaurus.synonyms(a.lemma);
      if (!syn) continue;
      for (const std::string& s : *syn) {
        if (word_count(s) > (a.form == Form::kBase ? 2 : 1)) continue;
        if (!is_phrase_text(s) || s.find(a.lemma) != std::string::npos || !data.in_vocabulary(s)) continue;
        std::string inflected = data.morphology.inflect(s, a.form);
        if (inflected == word || (a.form != Form::kBase && !data.in_vocabulary(inflected))) continue;
        if (std::find(usable.begin(), usable.end(), inflected) == usable.end()) usable.push_back(std::move(inflected));
        if (usable.size() >= 8) break;
      }
    }
  }
  std::vector<std::string> out;
  if (usable.empty()) return out;
  const std::size_t start = stable_hash(word, seed) % usable.size();
  for (std::size_t i = 0; i < usable.size() && out.size() < count; ++i) {
    out.push_back(usable[(start + i) % usable.size()]);
  }
  return out;
}

}  // namespace

void GroupTable::add(SpinGroup group) {
  if (group.original.empty() || group.alternatives.empty()) return;
  if (!index_.emplace(group.original, static_cast<int>(groups_.size())).second) return;
  max_words_ = std::max(max_words_, word_count(group.original));
  groups_.push_back(std::move(group));
}

int GroupTable::find(std::string_view key) const {
  auto it = index_.find(std::string(key));
  return it == index_.end() ? -1 : it->second;
}

std::string GroupTable::to_text() const {
  std::string out;
  for (const SpinGroup& g : groups_) {
    out += g.original;
    for (const std::string& a : g.alternatives) out += '|' + a;
    out += '\n';
  }
  return out;
}

GroupTable GroupTable::parse(std::string_view content, const std::string& name) {
  GroupTable table;
  int line_no = 0;
  while (!content.empty()) {
    const std::size_t nl = content.find('\n');
    std::string_view line = content.substr(0, nl);
    content = nl == std::string_view::npos ? std::string_view{} : content.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') continue;
    SpinGroup group;
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t bar = line.find('|', start);
      if (bar == std::string_view::npos) bar = line.size();
      std::string piece = lower_ascii(line.substr(start, bar - start));
      if (!is_phrase_text(piece)) {
        throw Error(ErrorCode::kBadData, name + ":" + std::to_string(line_no) + ": \"" + piece +
                                             "\" must be words of a-z, ' or - joined by single spaces");
      }
      if (group.original.empty()) group.original = std::move(piece);
      else if (piece != group.original) group.alternatives.push_back(std::move(piece));
      start = bar + 1;
    }
    if (group.alternatives.empty()) {
      throw Error(ErrorCode::kBadData, name + ":" + std::to_string(line_no) +
                                           ": a group needs an original and at least one alternative");
    }
    table.add(std::move(group));
  }
  return table;
}

GroupTable GroupTable::generate(const SpinnerData& data, std::uint64_t seed) {
  std::vector<SpinGroup> groups;
  // 1. Hand-written periphrases and function-word swaps.
  for (const auto& [key, subs] : data.phrases.entries()) groups.push_back({key, subs});
  // 2. The most frequent build-part words: every inflected form is its own
  //    group, as in the real tables ("said|stated", "says|states").
  constexpr std::size_t kWords = 2000;
  std::size_t taken = 0;
  for (const std::string& word : data.vocabulary_by_count) {
    if (taken >= kWords) break;
    if (word.size() < 3 || data.never_spin.count(word) || !is_phrase_text(word)) continue;
    std::vector<std::string> alts = word_alternatives(data, word, 1 + stable_hash(word, seed ^ 1) % 3, seed);
    if (alts.empty()) continue;
    groups.push_back({word, std::move(alts)});
    ++taken;
  }
  // 3. Collocations and terms taken apart word by word ("wall street" -> "wall road").
  for (const std::string& term : data.tortured_terms) {
    std::vector<std::string> alts(2);
    bool changed[2] = {false, false};
    std::size_t start = 0;
    while (start <= term.size()) {
      std::size_t space = term.find(' ', start);
      if (space == std::string::npos) space = term.size();
      const std::string w = term.substr(start, space - start);
      std::vector<std::string> subs;
      if (!data.never_spin.count(w)) subs = word_alternatives(data, w, 2, seed ^ 2);
      for (int k = 0; k < 2; ++k) {
        if (!alts[k].empty()) alts[k] += ' ';
        const bool use = k < static_cast<int>(subs.size()) && word_count(subs[k]) == 1;
        alts[k] += use ? subs[k] : w;
        changed[k] |= use;
      }
      start = space + 1;
    }
    SpinGroup g{term, {}};
    for (int k = 0; k < 2; ++k) {
      if (changed[k] && alts[k] != term) g.alternatives.push_back(alts[k]);
    }
    if (g.alternatives.size() == 2 && g.alternatives[0] == g.alternatives[1]) g.alternatives.pop_back();
    if (!g.alternatives.empty()) groups.push_back(std::move(g));
  }
  // File order: fixed by the seed, unrelated to length or frequency (real
  // tables are not sorted longest-first either).
  std::stable_sort(groups.begin(), groups.end(), [&](const SpinGroup& a, const SpinGroup& b) {
    return stable_hash(a.original, seed) < stable_hash(b.original, seed);
  });
  GroupTable table;
  for (SpinGroup& g : groups) table.add(std::move(g));
  return table;
}

SpinOutput spin_with_table(const GroupTable& table, std::string_view text, double p,
                           std::uint64_t seed) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw Error(ErrorCode::kUsage, "spin intensity must be between 0 and 1, got " + std::to_string(p));
  }
  const Scan scan = scan_text(text);
  const auto& words = scan.words;
  // Lower-case words, or a capitalised first word: the only ways a key matches.
  auto matchable = [&](std::size_t i, bool first) {
    const WordShape shape = words[i].shape;
    if (words[i].number) return false;
    return shape == WordShape::kLower || (first && shape == WordShape::kCapitalized) ||
           (first && shape == WordShape::kUpper && words[i].byte_end - words[i].byte_begin == 1);
  };
  struct Match {
    int group;
    std::size_t first, last;
  };
  std::vector<Match> matches;
  std::string key;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (!matchable(i, true)) continue;
    key.clear();
    for (std::size_t k = i; k < words.size() && static_cast<int>(k - i) < table.max_words(); ++k) {
      if (k > i && (!matchable(k, false) || !joinable_gap(scan.gap_before(k)))) break;
      if (k > i) key += ' ';
      key += lower_ascii(scan.word(k));
      const int g = table.find(key);
      if (g >= 0) matches.push_back({g, i, k});
    }
  }
  std::stable_sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.group != b.group ? a.group < b.group : a.first < b.first;
  });
  std::vector<bool> frozen(words.size(), false);
  std::vector<Replacement> chosen;
  std::size_t eligible = 0;
  for (const Match& m : matches) {
    bool free = true;
    for (std::size_t k = m.first; k <= m.last && free; ++k) free = !frozen[k];
    if (!free) continue;
    ++eligible;
    const SpinGroup& g = table.groups()[m.group];
    const std::uint64_t draw = stable_hash(g.original, seed);
    // Intensity: this document's spinner applies the group with probability p.
    if (static_cast<double>(draw >> 11) * 0x1.0p-53 >= p) continue;
    const std::string& alt = g.alternatives[stable_hash(g.original, seed ^ 0xA17) % g.alternatives.size()];
    for (std::size_t k = m.first; k <= m.last; ++k) frozen[k] = true;
    chosen.push_back({m.first, m.last, alt});
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const Replacement& a, const Replacement& b) { return a.first_word < b.first_word; });
  SpinOutput out = apply_replacements(text, scan, chosen);
  out.eligible = eligible;
  return out;
}

}  // namespace unspin::eval
