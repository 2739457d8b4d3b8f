// A small English inflector for the simulated spinners: spinners inflect a
// synonym to fit the word it replaces ("increased" -> "augmented"). Regular
// rules plus the repo's own irregular table (data/spinner/irregular_forms.tsv);
// it shares no data with the decoder's lexicon.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace unspin::eval {

enum class Form : std::uint8_t { kBase, kS, kEd, kEn, kIng, kEr, kEst };

struct Analysis {
  std::string lemma;
  Form form;
};

class Morphology {
 public:
  Morphology() = default;
  // Reads lemma<TAB>kind<TAB>form lines; throws unspin::Error(kBadData) with
  // file:line on a malformed line, kIo when unreadable.
  static Morphology load(const std::string& irregular_tsv);
  void add_irregular(std::string_view lemma, Form form, std::string_view inflected);

  // Inflects a lowercase lemma. For a multiword lemma the first word is
  // inflected ("give up" + kEd -> "gave up") except for kS/kEr/kEst, which
  // inflect the last word.
  std::string inflect(std::string_view lemma, Form form) const;
  // All (lemma, form) readings of a lowercase word whose inflection gives the
  // word back; the word itself as kBase comes first.
  std::vector<Analysis> analyses(std::string_view word) const;

 private:
  std::string inflect_word(std::string_view lemma, Form form) const;
  std::unordered_map<std::string, std::string> irregular_;            // "lemma\tkind" -> form
  std::unordered_multimap<std::string, Analysis> irregular_reverse_;  // form -> reading
};

}  // namespace unspin::eval
