#include "lexicon/morphology.h"

#include <algorithm>
#include <fstream>

#include "lexicon/normalize.h"
#include "unspin/error.h"

namespace unspin::lexicon {
namespace {

bool vowel(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool ends_with(std::string_view w, std::string_view s) {
  return w.size() >= s.size() && w.substr(w.size() - s.size()) == s;
}

int syllables(std::string_view w) {
  int groups = 0;
  bool in_vowel = false;
  for (char c : w) {
    const bool v = vowel(c) || c == 'y';
    if (v && !in_vowel) ++groups;
    in_vowel = v;
  }
  if (groups > 1 && ends_with(w, "e") && !ends_with(w, "le") && !vowel(w[w.size() - 2])) --groups;
  return std::max(groups, 1);
}

// Consonant-vowel-consonant ending of a one-syllable word: "stop" -> "stopp".
bool doubles(std::string_view w) {
  if (w.size() < 3 || syllables(w) != 1) return false;
  const char c = w.back(), v = w[w.size() - 2], p = w[w.size() - 3];
  return !vowel(c) && c != 'w' && c != 'x' && c != 'y' && vowel(v) && !vowel(p);
}

std::string key_of(Pos pos, std::string_view base, Slot slot) {
  std::string k(1, static_cast<char>('0' + static_cast<int>(pos)));
  k.push_back(static_cast<char>('0' + static_cast<int>(slot)));
  k.append(base);
  return k;
}

bool letters_only(std::string_view w) {
  return !w.empty() &&
         std::all_of(w.begin(), w.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '-' || c == '\''; });
}

}  // namespace

const std::vector<Slot>& slots_of(Pos pos) {
  static const std::vector<Slot> noun{Slot::kBase, Slot::kPlural};
  static const std::vector<Slot> verb{Slot::kBase, Slot::kThird, Slot::kPast, Slot::kIng};
  static const std::vector<Slot> adj{Slot::kBase, Slot::kComparative, Slot::kSuperlative};
  static const std::vector<Slot> base{Slot::kBase};
  switch (pos) {
    case Pos::kNoun: return noun;
    case Pos::kVerb: return verb;
    case Pos::kAdj: return adj;
    default: return base;
  }
}

std::string regular_s(std::string_view w, Pos pos) {
  std::string s(w);
  if (ends_with(w, "s") || ends_with(w, "x") || ends_with(w, "z") || ends_with(w, "ch") || ends_with(w, "sh")) {
    return s + "es";
  }
  if (w.size() > 1 && w.back() == 'y' && !vowel(w[w.size() - 2])) return s.substr(0, s.size() - 1) + "ies";
  if (pos == Pos::kVerb && w.size() > 1 && w.back() == 'o' && !vowel(w[w.size() - 2])) return s + "es";
  return s + "s";
}

std::string regular_ed(std::string_view w) {
  std::string s(w);
  if (ends_with(w, "e")) return s + "d";
  if (w.size() > 1 && w.back() == 'y' && !vowel(w[w.size() - 2])) return s.substr(0, s.size() - 1) + "ied";
  if (doubles(w)) return s + w.back() + "ed";
  return s + "ed";
}

std::string regular_ing(std::string_view w) {
  std::string s(w);
  if (ends_with(w, "ie")) return s.substr(0, s.size() - 2) + "ying";
  if (ends_with(w, "e") && !ends_with(w, "ee") && !ends_with(w, "ye") && !ends_with(w, "oe") && w.size() > 2) {
    return s.substr(0, s.size() - 1) + "ing";
  }
  if (doubles(w)) return s + w.back() + "ing";
  return s + "ing";
}

std::string regular_er(std::string_view w, std::string_view suffix) {
  std::string s(w);
  if (ends_with(w, "e")) return s + std::string(suffix.substr(1));
  if (w.size() > 1 && w.back() == 'y' && !vowel(w[w.size() - 2])) {
    return s.substr(0, s.size() - 1) + "i" + std::string(suffix);
  }
  if (doubles(w)) return s + w.back() + std::string(suffix);
  return s + std::string(suffix);
}

void Morphology::add_exception(Pos pos, std::string_view form, std::string_view base) {
  Slot slot = Slot::kBase;
  if (pos == Pos::kNoun) {
    slot = Slot::kPlural;
  } else if (pos == Pos::kVerb) {
    if (base == "be" && (form == "am" || form == "are")) return;  // present forms, not a slot
    if (form == regular_s(base, Pos::kVerb) || form == "has" || form == "is") {
      slot = Slot::kThird;
    } else if (ends_with(form, "ing") && !ends_with(base, "ing")) {
      slot = Slot::kIng;
    } else {
      slot = Slot::kPast;
    }
  } else if (pos == Pos::kAdj) {
    if (ends_with(form, "st")) {
      slot = Slot::kSuperlative;
    } else if (ends_with(form, "er") || form == "worse" || form == "more" || form == "less") {
      slot = Slot::kComparative;
    } else {
      return;
    }
  } else {
    return;
  }
  if (form == base) return;
  auto& list = irregular_[key_of(pos, base, slot)];
  if (std::find(list.begin(), list.end(), form) == list.end()) list.emplace_back(form);
}

Morphology Morphology::from_wordnet(const std::string& dir) {
  Morphology m;
  const std::pair<const char*, Pos> files[] = {
      {"noun.exc", Pos::kNoun}, {"verb.exc", Pos::kVerb}, {"adj.exc", Pos::kAdj}};
  for (const auto& [name, pos] : files) {
    const std::string path = dir + "/" + name;
    std::ifstream in(path);
    if (!in) {
      throw Error(ErrorCode::kBadData, "cannot read WordNet exception list " + path +
                                           "; is wordnet-base installed? (apt-get install wordnet-base)");
    }
    std::string line;
    std::size_t lineno = 0;
    while (std::getline(in, line)) {
      ++lineno;
      // Fields are separated by single spaces; multiword fields use '_'.
      std::vector<std::string> fields;
      std::string_view rest = line;
      while (!rest.empty()) {
        const std::size_t p = rest.find(' ');
        std::string field = normalize_phrase(rest.substr(0, p));
        if (!field.empty()) fields.push_back(std::move(field));
        if (p == std::string_view::npos) break;
        rest.remove_prefix(p + 1);
      }
      if (fields.empty()) continue;
      if (fields.size() < 2) {
        throw Error(ErrorCode::kBadData, path + ":" + std::to_string(lineno) + ": expected 'form base...'");
      }
      for (std::size_t i = 1; i < fields.size(); ++i) m.add_exception(pos, fields[0], fields[i]);
    }
  }
  return m;
}

std::vector<std::string> Morphology::word_forms(std::string_view w, Pos pos, Slot slot) const {
  if (slot == Slot::kBase) return {std::string(w)};
  if (!letters_only(w)) return {};
  // Verbs whose past is their base form: absent from verb.exc (the lists
  // only map forms that differ), so the regular rule would say "putted".
  static constexpr std::string_view kSamePast[] = {"bet",      "bid",   "broadcast", "burst", "cast", "cost",  "cut",
                                                   "forecast", "hit",   "hurt",      "let",   "put",  "quit",  "read",
                                                   "rid",      "set",   "shed",      "shut",  "slit", "split", "spread",
                                                   "thrust",   "upset", "beat",      "wed",   "fit"};
  if (pos == Pos::kVerb && slot == Slot::kPast &&
      std::find(std::begin(kSamePast), std::end(kSamePast), w) != std::end(kSamePast)) {
    std::vector<std::string> out{std::string(w)};
    if (w == "beat") out.emplace_back("beaten");
    if (w == "fit") out.emplace_back("fitted");
    return out;
  }
  auto it = irregular_.find(key_of(pos, w, slot));
  if (it != irregular_.end()) return it->second;
  switch (slot) {
    case Slot::kPlural:
    case Slot::kThird: return {regular_s(w, pos)};
    case Slot::kPast: return {regular_ed(w)};
    case Slot::kIng: return {regular_ing(w)};
    case Slot::kComparative:
    case Slot::kSuperlative: {
      const int syl = syllables(w);
      if (!(syl == 1 || (syl == 2 && w.back() == 'y'))) return {};
      return {regular_er(w, slot == Slot::kComparative ? "er" : "est")};
    }
    default: return {};
  }
}

std::vector<std::string> Morphology::forms(std::string_view lemma, Pos pos, Slot slot) const {
  if (slot == Slot::kBase) return {std::string(lemma)};
  const std::size_t first_space = lemma.find(' ');
  const std::size_t last_space = lemma.rfind(' ');
  if (pos == Pos::kAdj && first_space != std::string_view::npos) return {};
  std::vector<std::string> out;
  if (pos == Pos::kVerb && first_space != std::string_view::npos) {
    for (std::string& f : word_forms(lemma.substr(0, first_space), pos, slot)) {
      out.push_back(f + std::string(lemma.substr(first_space)));
    }
    return out;
  }
  if (last_space != std::string_view::npos) {
    for (std::string& f : word_forms(lemma.substr(last_space + 1), pos, slot)) {
      out.push_back(std::string(lemma.substr(0, last_space + 1)) + f);
    }
    return out;
  }
  return word_forms(lemma, pos, slot);
}

}  // namespace unspin::lexicon
