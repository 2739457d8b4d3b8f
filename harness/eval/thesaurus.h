// The simulated spinners' thesaurus: Aiksaurus (Debian libaiksaurus-1.2-data),
// a source the decoder's lexicon does not use, so spinning with it measures
// generalisation rather than the lexicon recognising its own pairs.
//
// Aiksaurus format (big-endian 16-bit ids, 0xFFFF terminates every list):
//   words.dat:    per word, in id order: name (':' for space) NUL, meaning ids, FFFF
//   meanings.dat: per meaning, in id order: two title word ids, member word ids, FFFF
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace unspin::eval {

class Thesaurus {
 public:
  // Reads <dir>/words.dat and <dir>/meanings.dat. Throws unspin::Error
  // (kIo when missing, kBadData when malformed, with the offset).
  static Thesaurus load_aiksaurus(const std::string& dir);
  // The same from the two files' bytes; `words_name`/`meanings_name` name them in errors.
  static Thesaurus parse_aiksaurus(std::string_view words, std::string_view meanings, const std::string& words_name,
                                   const std::string& meanings_name);
  // From in-memory groups of mutual synonyms (tests, fakes).
  // The first member of each group is its title: its senses are "core".
  static Thesaurus from_groups(const std::vector<std::vector<std::string>>& groups);

  // Synonyms of a lowercase headword across all its senses, without
  // duplicates or the word itself, closest first: ordered by the number of
  // senses shared with the headword, then by first appearance; nullptr when
  // unknown. Multiword entries are words joined by single spaces.
  const std::vector<std::string>* synonyms(std::string_view lower_word) const;
  // Synonyms from the word's headline senses only (Aiksaurus meanings whose
  // two title words include it), in the same order; nullptr when it heads none.
  const std::vector<std::string>* core_synonyms(std::string_view lower_word) const;
  bool contains(std::string_view lower_word) const { return synonyms(lower_word) != nullptr; }
  std::size_t size() const { return entries_.size(); }
  // Every headword, sorted.
  std::vector<std::string> headwords() const;

 private:
  void add_group(const std::vector<std::string>& members, const std::vector<std::string>& titles);
  void finish();  // orders every entry by shared senses
  std::unordered_map<std::string, std::vector<std::string>> entries_;
  std::unordered_map<std::string, std::vector<std::string>> core_;
  std::unordered_map<std::string, std::vector<int>> shared_;  // parallel to entries_ until finish()
};

}  // namespace unspin::eval
