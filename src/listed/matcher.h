// Finds the listed tortured phrases in a text: an Aho–Corasick automaton over
// word tokens (docs/LEXICON.md, "The listed tortured phrases").
//
// Inflected forms match: case is folded, hyphens, slashes and dashes are word
// separators ("neural-organization" = "neural organization"), and each word of
// a pattern matches its singular and plural ("neural organizations"); a comma
// is a token of its own (a pattern without a comma never matches across one)
// and a sentence break (. ! ? ; : brackets, a blank line) ends every match.
//
// The matcher scans the bytes once, one hash probe per word and no
// allocation but its output (bench/listed_bench.cpp). It is immutable and
// safe to share between threads; it keeps a pointer to its PhraseList, which
// must outlive it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "listed/phrase_list.h"

namespace unspin::listed {

struct Hit {
  std::uint32_t byte_begin = 0, byte_end = 0;  // span in the text, UTF-8 bytes
  std::uint32_t cp_begin = 0, cp_end = 0;      // the same span in code points
  std::string_view phrase;                     // the listed tortured form (folded, cleaned)
  std::string_view correct_term;               // the list's correct term (folded); empty when unknown
  std::uint32_t papers = 0;                    // papers PPS found the phrase in; 0 unknown
  std::uint32_t index = 0;                     // into PhraseList::phrases()
  // The written last word's number differs from the pattern's: the
  // correction is inflected the same way (see correction()).
  bool plural_changed = false;
  bool written_plural = false;  // the written last word is plural
};

class Matcher {
 public:
  explicit Matcher(const PhraseList& list);
  ~Matcher();
  Matcher(Matcher&&) noexcept;
  Matcher& operator=(Matcher&&) noexcept;

  // Appends to `out` the listed hits of `text`, in text order, non-overlapping
  // (leftmost, then longest). Hits of kNeedsContext phrases are kept only when
  // the text holds an active hit too. `text` need not be valid UTF-8 (bytes
  // >= 0x80 are word bytes; code points are counted by lead bytes).
  void find(std::string_view text, std::vector<Hit>* out) const;
  std::vector<Hit> find(std::string_view text) const {
    std::vector<Hit> hits;
    find(text, &hits);
    return hits;
  }

  const PhraseList& list() const { return *list_; }
  std::size_t patterns() const;  // phrases in the automaton
  std::size_t states() const;

  // The correct term inflected as the hit's last word ("neural organizations"
  // -> "neural networks"); folded; empty when the list does not know it.
  static std::string correction(const Hit& hit);

 private:
  struct Impl;
  const PhraseList* list_;
  Impl* impl_;
};

// The matcher over PhraseList::builtin(), built once.
const Matcher& builtin_matcher();

}  // namespace unspin::listed
