// English inflection for building the reverse index: from a lemma ("tell",
// "chief executive", "give up") to its forms in one morphological slot, using
// WordNet's exception lists (*.exc) for irregular forms and regular rules
// otherwise (plural and 3rd person -s/-es/-ies, past -ed with e-drop, y->i
// and consonant doubling, -ing, comparative/superlative). Internal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace unspin::lexicon {

enum class Pos : std::uint8_t { kNone, kNoun, kVerb, kAdj, kAdv };

enum class Slot : std::uint8_t {
  kBase,
  kPlural,       // nouns
  kThird,        // verbs: 3rd person singular present
  kPast,         // verbs: past tense and past participle (merged: regular verbs share them)
  kIng,          // verbs: present participle
  kComparative,  // short adjectives
  kSuperlative,
};

// The slots a part of speech inflects into, kBase first.
const std::vector<Slot>& slots_of(Pos pos);

class Morphology {
 public:
  // Regular rules only.
  Morphology() = default;
  // Reads noun.exc, verb.exc and adj.exc from a WordNet dict folder.
  // Throws Error(kBadData) when a file is missing or malformed.
  static Morphology from_wordnet(const std::string& dir);

  // Forms of `lemma` (normalized: lowercase, single spaces) in `slot`. Verbs
  // inflect their first word ("gave up"), nouns their last ("chief
  // executives"); adjectives only when one short word ("bigger", not
  // "enormouser"). Empty when the slot does not apply.
  std::vector<std::string> forms(std::string_view lemma, Pos pos, Slot slot) const;

  // Adds one exception "form base" as read from a *.exc file.
  void add_exception(Pos pos, std::string_view form, std::string_view base);

 private:
  std::vector<std::string> word_forms(std::string_view word, Pos pos, Slot slot) const;
  // (pos, base, slot) -> irregular forms
  std::unordered_map<std::string, std::vector<std::string>> irregular_;
};

// Regular rules, exposed for tests.
std::string regular_s(std::string_view word, Pos pos);
std::string regular_ed(std::string_view word);
std::string regular_ing(std::string_view word);
std::string regular_er(std::string_view word, std::string_view suffix);  // "er" or "est"

}  // namespace unspin::lexicon
