#include "eval/spin_table.h"

#include <algorithm>
#include <array>
#include <map>
#include <unordered_set>

#include "eval/scan.h"
#include "eval/spinner.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

// Up to `count` substitutes a spinner's dictionary would list for a word:
// Aiksaurus synonyms of its headline senses, then of any sense (wrong senses
// included), inflected like the word; a rotation drawn from the seed picks
// among the closest few.
std::vector<std::string> word_alternatives(const SpinnerData& data, std::string_view word, std::size_t count,
                                           std::uint64_t seed) {
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

// A uniform draw in [0, 1) from a string and a salt.
double unit_draw(std::string_view s, std::uint64_t seed) {
  return static_cast<double>(stable_hash(s, seed) >> 11) * 0x1.0p-53;
}

// A table key found in a document, over units [first, last] (words, or the
// parts of hyphenated words).
struct GroupMatch {
  int group;
  std::size_t first, last;
};

// The plugin engines' application (PROBLEM.md §1b): groups in file order,
// each applied with probability p and one alternative per document, a match
// skipped where an earlier group already replaced a unit. Returns the
// replacements in text order and, in *eligible, the matches found free.
std::vector<Replacement> apply_groups(const GroupTable& table, std::vector<GroupMatch> matches, std::size_t units,
                                      double p, std::uint64_t seed, std::size_t* eligible) {
  std::stable_sort(matches.begin(), matches.end(), [](const GroupMatch& a, const GroupMatch& b) {
    return a.group != b.group ? a.group < b.group : a.first < b.first;
  });
  std::vector<bool> frozen(units, false);
  std::vector<Replacement> chosen;
  *eligible = 0;
  for (const GroupMatch& m : matches) {
    bool free = true;
    for (std::size_t k = m.first; k <= m.last && free; ++k) free = !frozen[k];
    if (!free) continue;
    ++*eligible;
    const SpinGroup& g = table.groups()[m.group];
    // Intensity: this document's spinner applies the group with probability p.
    if (unit_draw(g.original, seed) >= p) continue;
    const std::string& alt = g.alternatives[stable_hash(g.original, seed ^ 0xA17) % g.alternatives.size()];
    for (std::size_t k = m.first; k <= m.last; ++k) frozen[k] = true;
    chosen.push_back({m.first, m.last, alt});
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const Replacement& a, const Replacement& b) { return a.first_word < b.first_word; });
  return chosen;
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
  std::string_view line;
  while (next_data_line(content, line_no, line)) {
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
      if (group.original.empty())
        group.original = std::move(piece);
      else if (piece != group.original)
        group.alternatives.push_back(std::move(piece));
      start = bar + 1;
    }
    if (group.alternatives.empty()) {
      throw Error(ErrorCode::kBadData,
                  name + ":" + std::to_string(line_no) + ": a group needs an original and at least one alternative");
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

SpinOutput spin_with_table(const GroupTable& table, std::string_view text, double p, std::uint64_t seed) {
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
  std::vector<GroupMatch> matches;
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
  std::size_t eligible = 0;
  const std::vector<Replacement> chosen = apply_groups(table, std::move(matches), words.size(), p, seed, &eligible);
  SpinOutput out = apply_replacements(text, scan, chosen);
  out.eligible = eligible;
  return out;
}

// ---------------------------------------------------------------------------
// table-v2 (issue 32): the periphrase clusters, the generator, and the two
// engines that spin with it.

std::vector<std::vector<std::string>> parse_periphrases(std::string_view content, const std::string& name) {
  struct Subject {
    const char* s;
    const char* slots[10][2];
  };
  static const Subject kSubjects[] = {
      {"i",
       {{"{s}", ""},
        {"{es}", ""},
        {"{be}", "am"},
        {"{have}", "have"},
        {"{do}", "do"},
        {"{was}", "was"},
        {"{Sbe}", "i'm"},
        {"{Shave}", "i've"},
        {"{Sd}", "i'd"},
        {"{Sll}", "i'll"}}},
      {"you",
       {{"{s}", ""},
        {"{es}", ""},
        {"{be}", "are"},
        {"{have}", "have"},
        {"{do}", "do"},
        {"{was}", "were"},
        {"{Sbe}", "you're"},
        {"{Shave}", "you've"},
        {"{Sd}", "you'd"},
        {"{Sll}", "you'll"}}},
      {"we",
       {{"{s}", ""},
        {"{es}", ""},
        {"{be}", "are"},
        {"{have}", "have"},
        {"{do}", "do"},
        {"{was}", "were"},
        {"{Sbe}", "we're"},
        {"{Shave}", "we've"},
        {"{Sd}", "we'd"},
        {"{Sll}", "we'll"}}},
      {"they",
       {{"{s}", ""},
        {"{es}", ""},
        {"{be}", "are"},
        {"{have}", "have"},
        {"{do}", "do"},
        {"{was}", "were"},
        {"{Sbe}", "they're"},
        {"{Shave}", "they've"},
        {"{Sd}", "they'd"},
        {"{Sll}", "they'll"}}},
      {"he",
       {{"{s}", "s"},
        {"{es}", "es"},
        {"{be}", "is"},
        {"{have}", "has"},
        {"{do}", "does"},
        {"{was}", "was"},
        {"{Sbe}", "he's"},
        {"{Shave}", "he's"},
        {"{Sd}", "he'd"},
        {"{Sll}", "he'll"}}},
      {"she",
       {{"{s}", "s"},
        {"{es}", "es"},
        {"{be}", "is"},
        {"{have}", "has"},
        {"{do}", "does"},
        {"{was}", "was"},
        {"{Sbe}", "she's"},
        {"{Shave}", "she's"},
        {"{Sd}", "she'd"},
        {"{Sll}", "she'll"}}},
      {"it",
       {{"{s}", "s"},
        {"{es}", "es"},
        {"{be}", "is"},
        {"{have}", "has"},
        {"{do}", "does"},
        {"{was}", "was"},
        {"{Sbe}", "it's"},
        {"{Shave}", "it's"},
        {"{Sd}", "it'd"},
        {"{Sll}", "it'll"}}},
  };
  std::vector<std::vector<std::string>> out;
  int line_no = 0;
  std::string_view line;
  while (next_data_line(content, line_no, line)) {
    const bool slotted = line.find('{') != std::string_view::npos;
    for (const Subject& subject : kSubjects) {
      std::vector<std::string> members;
      std::size_t start = 0;
      while (start <= line.size()) {
        std::size_t bar = line.find('|', start);
        if (bar == std::string_view::npos) bar = line.size();
        std::string m(line.substr(start, bar - start));
        start = bar + 1;
        for (std::size_t b = m.find('{'); b != std::string::npos; b = m.find('{', b)) {
          const std::size_t e = m.find('}', b);
          if (e == std::string::npos) break;
          const std::string slot = m.substr(b, e - b + 1);
          std::string value;
          bool known = slot == "{S}";
          if (known) value = subject.s;
          for (const auto& sv : subject.slots) {
            if (slot == sv[0]) {
              value = sv[1];
              known = true;
            }
          }
          if (!known) {
            throw Error(ErrorCode::kBadData, name + ":" + std::to_string(line_no) + ": unknown slot " + slot);
          }
          m.replace(b, slot.size(), value);
          b += value.size();
        }
        m = lower_ascii(m);
        if (!is_phrase_text(m)) {
          throw Error(ErrorCode::kBadData, name + ":" + std::to_string(line_no) + ": \"" + m +
                                               "\" must be words of a-z, ' or - joined by single spaces");
        }
        if (std::find(members.begin(), members.end(), m) == members.end()) members.push_back(std::move(m));
      }
      if (members.size() >= 2) out.push_back(std::move(members));
      if (!slotted) break;
    }
  }
  return out;
}

namespace {

std::vector<std::string> split_words(std::string_view phrase) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= phrase.size()) {
    std::size_t space = phrase.find(' ', start);
    if (space == std::string_view::npos) space = phrase.size();
    out.emplace_back(phrase.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

std::string join_words(const std::vector<std::string>& words, std::size_t from, std::size_t to) {
  std::string out;
  for (std::size_t i = from; i < to; ++i) {
    if (i > from) out += ' ';
    out += words[i];
  }
  return out;
}

// How many alternatives a group asks for (one 44%, two 42%, three 11%, four
// 3%): a pool shorter than asked for gives fewer, so the table ends near
// the real 49 / 40 / 11% (PROBLEM.md 1c: 1.7 on average).
std::size_t alternatives_wanted(std::string_view key, std::uint64_t seed) {
  const double u = unit_draw(key, seed ^ 0xA17C0);
  return u < 0.44 ? 1 : u < 0.86 ? 2 : u < 0.97 ? 3 : 4;
}

}  // namespace

GroupTable GroupTable::generate_v2(const SpinnerData& data, std::uint64_t seed) {
  // Tuned so that the table and the pages it spins match the real column of
  // PROBLEM.md 1c (`unspin spin-stats`; docs/EVALUATION.md).
  constexpr double kClusterKey = 0.45;            // a periphrase cluster's later members that become keys
  constexpr double kOneWordFirst = 0.5;           // a one-word member lists its one-word fellows first this often
  constexpr std::size_t kThesaurusPhrases = 700;  // multiword thesaurus entries taken ...
  constexpr double kThesaurusShare = 0.45;        // ... from a draw of this share
  constexpr std::size_t kPhrases = 2600;          // function phrases taken (most frequent first)
  constexpr std::size_t kPhraseTop = 600;         // the most frequent of them ...
  constexpr double kPhraseSkipTop = 0.75;         // ... are left out this often
  constexpr std::size_t kCommonWords = 165;       // one-word keys among the 1,000 commonest
  constexpr std::size_t kRareWords = 1200;        // one-word keys below them, drawn from
  constexpr double kTechnicalWords = 0.5;         // the technical vocabulary by rank at this rate
  constexpr double kNewsWords = 0.25;             // and the news one at this
  constexpr double kWordToPhrase = 0.8;           // a rare word with a multiword synonym lists it first this often
  constexpr std::size_t kCollocations = 420;      // content-word collocations taken apart
  constexpr double kReverse = 0.28;               // an alternative that gets a group listing its original back
  constexpr double kChain = 0.18;                 // ... or a group of its own alternatives

  std::vector<SpinGroup> groups;
  std::unordered_set<std::string> keys;
  auto is_function = [&](const std::string& w) { return data.function_words.count(w) > 0; };
  // Adds a group for `key` listing up to alternatives_wanted() members of
  // `pool` (in order), unless `key` already has one.
  // One-word keys that are function words the thesaurus spinner keeps
  // ("in", "if", "not") come only from a cluster that starts with them.
  std::unordered_set<std::string> function_heads;
  for (const auto& cluster : data.periphrases) function_heads.insert(cluster.front());
  // Nor are they alternatives ("conducted" -> "was", "a la mode" -> "in")
  // outside the clusters, where they are meant ("inside|within|in").
  auto add = [&](const std::string& key, const std::vector<std::string>& pool, bool cluster = false) -> bool {
    if (keys.count(key) || !is_phrase_text(key)) return false;
    if (data.never_spin.count(key) && !function_heads.count(key)) return false;
    SpinGroup g{key, {}};
    const std::size_t want = alternatives_wanted(key, seed);
    for (const std::string& m : pool) {
      if (g.alternatives.size() >= want) break;
      if (m == key || !is_phrase_text(m)) continue;
      if (!cluster && data.never_spin.count(m)) continue;
      if (std::find(g.alternatives.begin(), g.alternatives.end(), m) != g.alternatives.end()) continue;
      g.alternatives.push_back(m);
    }
    if (g.alternatives.empty()) return false;
    keys.insert(key);
    groups.push_back(std::move(g));
    return true;
  };
  // The members of `v` but `skip`, rotated by a draw from `key`.
  auto rotated = [&](const std::vector<std::string>& v, const std::string& skip, const std::string& key) {
    std::vector<std::string> out;
    for (const std::string& m : v) {
      if (m != skip) out.push_back(m);
    }
    if (out.size() > 1) {
      std::rotate(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(stable_hash(key, seed ^ 0x707) % out.size()),
                  out.end());
    }
    return out;
  };
  std::unordered_map<std::string, std::vector<std::size_t>> member_clusters;
  for (std::size_t c = 0; c < data.periphrases.size(); ++c) {
    for (const std::string& m : data.periphrases[c]) member_clusters[m].push_back(c);
  }
  // Multiword thesaurus entries ("carry out", "take place") and their
  // inflections ("carried out"), with their one-word synonyms inflected alike.
  std::unordered_map<std::string, std::vector<std::string>> phrase_synonyms;
  for (const std::string& head : data.thesaurus.headwords()) {
    if (word_count(head) < 2 || !is_phrase_text(head)) continue;
    const std::vector<std::string>* syn = data.thesaurus.synonyms(head);
    if (!syn) continue;
    const std::vector<std::string> words = split_words(head);
    for (Form form : {Form::kBase, Form::kEd, Form::kS, Form::kIng}) {
      std::vector<std::string> w2 = words;
      if (form != Form::kBase) w2[0] = data.morphology.inflect(words[0], form);
      const std::string phrase = join_words(w2, 0, w2.size());
      if (!data.in_vocabulary(w2[0])) continue;
      auto& out = phrase_synonyms[phrase];
      for (const std::string& s : *syn) {
        if (word_count(s) != 1 || !data.in_vocabulary(s)) continue;
        const std::string inflected = form == Form::kBase ? s : data.morphology.inflect(s, form);
        if (data.in_vocabulary(inflected) && out.size() < 4) out.push_back(inflected);
      }
    }
  }
  // The other way: a word and the multiword entries it is a synonym of
  // ("execute" -> "carry out"), for the rarer one-word keys.
  std::map<std::string, std::vector<std::string>> word_phrases;
  for (const auto& [phrase, syns] : phrase_synonyms) {
    for (const std::string& w : syns) word_phrases[w].push_back(phrase);
  }
  for (auto& [w, list] : word_phrases) std::sort(list.begin(), list.end());
  // What a phrase may become: a one-word thesaurus synonym of the whole, a
  // periphrase member inside swapped for another of its cluster ("you can
  // use" -> "you'll be able to use"), or a word swapped for a synonym ("the
  // company" -> "the firm").
  auto phrase_pool = [&](const std::string& phrase, std::uint64_t salt) {
    const std::vector<std::string> words = split_words(phrase);
    std::vector<std::string> whole, swaps, synonyms;
    if (auto it = phrase_synonyms.find(phrase); it != phrase_synonyms.end()) whole = it->second;
    for (std::size_t a = 0; a < words.size(); ++a) {
      for (std::size_t b = a + 1; b <= words.size(); ++b) {
        auto it = member_clusters.find(join_words(words, a, b));
        if (it == member_clusters.end()) continue;
        const std::string before = join_words(words, 0, a), after = join_words(words, b, words.size());
        for (std::size_t c : it->second) {
          for (const std::string& m : rotated(data.periphrases[c], join_words(words, a, b), phrase)) {
            swaps.push_back((before.empty() ? "" : before + " ") + m + (after.empty() ? "" : " " + after));
          }
        }
      }
      if (is_function(words[a]) || words[a].find('\'') != std::string::npos) continue;
      for (const std::string& alt : word_alternatives(data, words[a], 3, seed ^ salt)) {
        std::vector<std::string> w2 = words;
        w2[a] = alt;
        synonyms.push_back(join_words(w2, 0, w2.size()));
      }
    }
    std::vector<std::string> pool = whole;
    const bool swap_first = !swaps.empty() && unit_draw(phrase, seed ^ 0x5F) < 0.6;
    for (const auto* list : swap_first ? std::array{&swaps, &synonyms} : std::array{&synonyms, &swaps}) {
      pool.insert(pool.end(), list->begin(), list->end());
    }
    return pool;
  };

  // 1. Periphrase clusters: the first member is looked for, the others often too.
  for (const auto& cluster : data.periphrases) {
    for (std::size_t i = 0; i < cluster.size(); ++i) {
      if (i > 0 && unit_draw(cluster[i], seed ^ 0xC1) >= kClusterKey) continue;
      std::vector<std::string> pool = rotated(cluster, cluster[i], cluster[i]);
      // A one-word key lists its one-word fellows first, often.
      if (word_count(cluster[i]) == 1 && unit_draw(cluster[i], seed ^ 0xC2) < kOneWordFirst) {
        std::stable_partition(pool.begin(), pool.end(), [](const std::string& m) { return word_count(m) == 1; });
      }
      add(cluster[i], pool, true);
    }
  }

  // 2. Multiword thesaurus entries holding a function word (phrasal verbs
  //    and the like), a draw of them.
  std::size_t thesaurus_phrases = 0;
  for (const auto& [phrase, syns] :
       std::map<std::string, std::vector<std::string>>(phrase_synonyms.begin(), phrase_synonyms.end())) {
    if (thesaurus_phrases >= kThesaurusPhrases || unit_draw(phrase, seed ^ 0x7E) >= kThesaurusShare) continue;
    bool function = false;
    for (const std::string& w : split_words(phrase)) function |= is_function(w);
    if (function && add(phrase, syns)) ++thesaurus_phrases;
  }

  // 3. The build part's frequent phrases holding a function word.
  std::size_t phrases = 0;
  for (std::size_t rank = 0; rank < data.function_phrases.size() && phrases < kPhrases; ++rank) {
    const std::string& phrase = data.function_phrases[rank].first;
    if (rank < kPhraseTop && unit_draw(phrase, seed ^ 0x5C1) < kPhraseSkipTop) continue;
    if (add(phrase, phrase_pool(phrase, rank))) ++phrases;
  }

  // 4. Single words: a few of the commonest, mostly rarer ones, news and
  //    technical; Aiksaurus synonyms of any sense.
  auto add_word = [&](const std::string& word, bool rare) {
    if (word.size() < 3 || is_function(word) || data.never_spin.count(word) || !is_phrase_text(word)) return false;
    if (word.find(' ') != std::string::npos) return false;
    std::vector<std::string> pool = word_alternatives(data, word, 4, seed ^ 0x3);
    auto it = word_phrases.find(word);
    if (rare && it != word_phrases.end() && unit_draw(word, seed ^ 0x1F) < kWordToPhrase) {
      pool.insert(pool.begin(), it->second.begin(), it->second.end());
    }
    return add(word, pool);
  };
  std::size_t common = 0, rare = 0;
  const std::size_t top = std::min<std::size_t>(1000, data.vocabulary_by_count.size());
  for (std::size_t rank = 0; rank < top && common < kCommonWords; ++rank) {
    if (unit_draw(data.vocabulary_by_count[rank], seed ^ 0xC0) < 0.8 && add_word(data.vocabulary_by_count[rank], false))
      ++common;
  }
  const std::unordered_set<std::string> commonest(data.vocabulary_by_count.begin(),
                                                  data.vocabulary_by_count.begin() + static_cast<std::ptrdiff_t>(top));
  // Words common in technical prose are not "rare": they never list a phrase first.
  const std::unordered_set<std::string> technical_common(
      data.technical_by_count.begin(),
      data.technical_by_count.begin() +
          static_cast<std::ptrdiff_t>(std::min<std::size_t>(3000, data.technical_by_count.size())));
  for (std::size_t rank = 0;
       rare < kRareWords && rank < std::max(data.vocabulary_by_count.size(), data.technical_by_count.size()); ++rank) {
    for (const auto* list : {&data.technical_by_count, &data.vocabulary_by_count}) {
      if (rank >= list->size() || rare >= kRareWords) continue;
      const std::string& w = (*list)[rank];
      const double take = list == &data.technical_by_count ? kTechnicalWords : kNewsWords;
      if (commonest.count(w) || unit_draw(w, seed ^ 0xAE) >= take) continue;
      if (add_word(w, !technical_common.count(w))) ++rare;
    }
  }

  // 5. Collocations and terms taken apart word by word ("wall street" -> "wall road").
  std::size_t collocations = 0;
  for (const std::string& term : data.tortured_terms) {
    if (collocations >= kCollocations) break;
    const std::vector<std::string> words = split_words(term);
    std::vector<std::string> pool;
    for (std::size_t k = 0; k < 3; ++k) {
      std::vector<std::string> w2 = words;
      bool changed = false;
      for (std::size_t a = 0; a < words.size(); ++a) {
        if (data.never_spin.count(words[a]) || is_function(words[a])) continue;
        const std::vector<std::string> subs = word_alternatives(data, words[a], 3, seed ^ (0x11 + k));
        if (subs.size() > k && word_count(subs[k]) == 1 && (a + k) % 2 == 0) {
          w2[a] = subs[k];
          changed = true;
        }
      }
      if (!changed) {
        const std::vector<std::string> subs = word_alternatives(data, words.back(), 3, seed ^ 0x12);
        if (subs.size() > k) {
          w2.back() = subs[k];
          changed = true;
        }
      }
      if (changed) pool.push_back(join_words(w2, 0, w2.size()));
    }
    if (add(term, pool)) ++collocations;
  }

  // 6. Groups that list each other: some alternatives get a group of their
  //    own, listing the original back (a reverse pair) or their own
  //    alternatives (a chain).
  const std::size_t first_pass = groups.size();
  for (std::size_t gi = 0; gi < first_pass; ++gi) {
    const SpinGroup g = groups[gi];
    for (const std::string& s : g.alternatives) {
      if (keys.count(s)) continue;
      const double u = unit_draw(s, seed ^ 0x2E7);
      if (u < kReverse) {
        std::vector<std::string> pool{g.original};
        for (const std::string& other : g.alternatives) pool.push_back(other);
        add(s, pool);
      } else if (u < kReverse + kChain) {
        std::vector<std::string> pool =
            word_count(s) == 1 ? word_alternatives(data, s, 4, seed ^ 0x3) : phrase_pool(s, gi);
        std::vector<std::string> own;
        for (std::string& m : pool) {
          if (m != g.original) own.push_back(std::move(m));
        }
        add(s, own);
      }
    }
  }

  std::stable_sort(groups.begin(), groups.end(), [&](const SpinGroup& a, const SpinGroup& b) {
    return stable_hash(a.original, seed) < stable_hash(b.original, seed);
  });
  GroupTable table;
  for (SpinGroup& g : groups) table.add(std::move(g));
  return table;
}

namespace {

// Words and the parts of hyphenated words, for the engines of table-v2.
struct Units {
  Scan scan;                                       // one ScanWord per unit (what apply_replacements reads)
  std::vector<std::string> key;                    // lowercase, U+2019 read as '
  std::vector<std::size_t> word_first, word_last;  // per scan word: its units
  std::vector<bool> part;                          // a part of a hyphenated word
  std::vector<bool> number;
};

// The shape of a word, apostrophes and hyphens ignored ("Don't" capitalised).
WordShape unit_shape(std::string_view w) {
  std::size_t upper = 0, lower = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const char c = w[i];
    if (c >= 'a' && c <= 'z')
      ++lower;
    else if (c >= 'A' && c <= 'Z')
      ++upper;
    else if (c == '-' || c == '\'')
      continue;
    else if (w.substr(i, 3) == "\xE2\x80\x99")
      i += 2;
    else
      return WordShape::kOther;
  }
  if (upper + lower == 0) return WordShape::kOther;
  if (upper == 0) return WordShape::kLower;
  if (lower == 0) return WordShape::kUpper;
  if (w[0] >= 'A' && w[0] <= 'Z' && upper == 1) return WordShape::kCapitalized;
  return WordShape::kMixed;
}

std::string unit_key(std::string_view w) {
  std::string out = lower_ascii(w);
  for (std::size_t p = out.find("\xE2\x80\x99"); p != std::string::npos; p = out.find("\xE2\x80\x99", p)) {
    out.replace(p, 3, "'");
  }
  return out;
}

Units make_units(const Scan& scan) {
  Units u;
  u.scan.text = scan.text;
  for (std::size_t i = 0; i < scan.words.size(); ++i) {
    const ScanWord& w = scan.words[i];
    const std::string_view text = scan.word(i);
    u.word_first.push_back(u.key.size());
    auto push = [&](std::uint32_t b, std::uint32_t e, bool part) {
      ScanWord x = w;
      x.byte_begin = b;
      x.byte_end = e;
      x.cp_begin = w.cp_begin + count_code_points(scan.text.substr(w.byte_begin, b - w.byte_begin));
      x.cp_end = x.cp_begin + count_code_points(scan.text.substr(b, e - b));
      x.shape = w.number ? WordShape::kOther : unit_shape(scan.text.substr(b, e - b));
      u.scan.words.push_back(x);
      u.key.push_back(unit_key(scan.text.substr(b, e - b)));
      u.part.push_back(part);
      u.number.push_back(w.number);
    };
    if (w.number || text.find('-') == std::string_view::npos) {
      push(w.byte_begin, w.byte_end, false);
    } else {
      std::uint32_t b = w.byte_begin;
      for (std::uint32_t k = w.byte_begin; k <= w.byte_end; ++k) {
        if (k == w.byte_end || scan.text[k] == '-') {
          if (k > b) push(b, k, true);
          b = k + 1;
        }
      }
    }
    u.word_last.push_back(u.key.size() - 1);
  }
  return u;
}

// The lowercase key of scan word i (its units joined by '-').
std::string word_key(const Units& u, std::size_t i) {
  std::string out;
  for (std::size_t k = u.word_first[i]; k <= u.word_last[i]; ++k) {
    if (k > u.word_first[i]) out += '-';
    out += u.key[k];
  }
  return out;
}

}  // namespace

SpinOutput spin_with_table_v2(const GroupTable& table, std::string_view text, double p, std::uint64_t seed) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw Error(ErrorCode::kUsage, "spin intensity must be between 0 and 1, got " + std::to_string(p));
  }
  const Scan scan = scan_text(text);
  const Units units = make_units(scan);
  auto matchable = [](WordShape shape, bool first, std::size_t bytes) {
    return shape == WordShape::kLower || (first && shape == WordShape::kCapitalized) ||
           (first && shape == WordShape::kUpper && bytes == 1);
  };
  auto word_matchable = [&](std::size_t i, bool first) {
    const ScanWord& w = scan.words[i];
    return !w.number && matchable(unit_shape(scan.word(i)), first, w.byte_end - w.byte_begin);
  };
  std::vector<GroupMatch> matches;  // over units
  std::string key;
  for (std::size_t i = 0; i < scan.words.size(); ++i) {
    // A part of a hyphenated word, alone.
    if (units.word_last[i] > units.word_first[i]) {
      for (std::size_t k = units.word_first[i]; k <= units.word_last[i]; ++k) {
        const ScanWord& w = units.scan.words[k];
        if (!matchable(w.shape, true, w.byte_end - w.byte_begin)) continue;
        const int g = table.find(units.key[k]);
        if (g >= 0) matches.push_back({g, k, k});
      }
    }
    if (!word_matchable(i, true)) continue;
    key.clear();
    for (std::size_t k = i; k < scan.words.size() && static_cast<int>(k - i) < table.max_words(); ++k) {
      if (k > i && (!word_matchable(k, false) || !joinable_gap(scan.gap_before(k)))) break;
      if (k > i) key += ' ';
      key += word_key(units, k);
      const int g = table.find(key);
      if (g >= 0) matches.push_back({g, units.word_first[i], units.word_last[k]});
    }
  }
  std::size_t eligible = 0;
  const std::vector<Replacement> chosen = apply_groups(table, std::move(matches), units.key.size(), p, seed, &eligible);
  SpinOutput out = apply_replacements(text, units.scan, chosen);
  out.eligible = eligible;
  return out;
}

SpinOutput spin_symmetric(const GroupTable& table, const std::vector<std::vector<std::string>>& number_lines,
                          std::string_view text, double p, std::uint64_t seed) {
  if (!(p >= 0.0 && p <= 1.0)) {
    throw Error(ErrorCode::kUsage, "spin rate must be between 0 and 1, got " + std::to_string(p));
  }
  // Every member of every line is a key of the first line that holds it.
  std::vector<const std::vector<std::string>*> lines;
  std::vector<std::vector<std::string>> members(table.groups().size());
  for (std::size_t g = 0; g < table.groups().size(); ++g) {
    members[g].push_back(table.groups()[g].original);
    for (const std::string& a : table.groups()[g].alternatives) members[g].push_back(a);
    lines.push_back(&members[g]);
  }
  for (const auto& line : number_lines) lines.push_back(&line);
  std::unordered_map<std::string_view, std::size_t> index;
  int max_words = 1;
  for (std::size_t l = 0; l < lines.size(); ++l) {
    for (const std::string& m : *lines[l]) {
      index.emplace(m, l);
      max_words = std::max(max_words, word_count(m));
    }
  }
  const Scan scan = scan_text(text);
  Units units = make_units(scan);
  auto usable = [&](std::size_t i) { return scan.words[i].number || unit_shape(scan.word(i)) != WordShape::kOther; };
  std::vector<Replacement> chosen;
  std::size_t eligible = 0;
  auto occurrence = [&](std::size_t line, const std::string& found, std::size_t first, std::size_t last) {
    ++eligible;
    const std::string where = found + '@' + std::to_string(units.scan.words[first].byte_begin);
    if (unit_draw(where, seed ^ 0x5E1) >= p) return;
    const std::vector<std::string>& options = *lines[line];
    const std::string& pick = options[stable_hash(where, seed ^ 0xD4A) % options.size()];
    if (pick == found) return;                          // the draw gave the word back
    units.scan.words[first].shape = WordShape::kLower;  // written as the table spells it
    chosen.push_back({first, last, pick});
  };
  std::string key;
  for (std::size_t i = 0; i < scan.words.size();) {
    // Longest run of whole words first.
    std::size_t best_end = 0, best_line = 0;
    std::string best_key;
    key.clear();
    for (std::size_t k = i; k < scan.words.size() && static_cast<int>(k - i) < max_words; ++k) {
      if (!usable(k) || (k > i && !joinable_gap(scan.gap_before(k)))) break;
      if (k > i) key += ' ';
      key += word_key(units, k);
      auto it = index.find(key);
      if (it != index.end() && (!scan.words[k].number || k == i)) {
        best_end = k + 1;
        best_line = it->second;
        best_key = key;
      }
    }
    if (best_end > 0) {
      occurrence(best_line, best_key, units.word_first[i], units.word_last[best_end - 1]);
      i = best_end;
      continue;
    }
    // Else the parts of a hyphenated word, one by one.
    for (std::size_t k = units.word_first[i]; k <= units.word_last[i] && units.part[k]; ++k) {
      if (units.scan.words[k].shape == WordShape::kOther) continue;
      auto it = index.find(units.key[k]);
      if (it != index.end()) occurrence(it->second, units.key[k], k, k);
    }
    ++i;
  }
  SpinOutput out = apply_replacements(text, units.scan, chosen);
  out.eligible = eligible;
  return out;
}

}  // namespace unspin::eval
