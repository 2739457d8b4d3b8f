// The decoder's view of a document: the word tokens of each sentence, with
// their LM ids and whether a spinner could have produced them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "unspin/lm.h"
#include "unspin/text.h"

namespace unspin::decode {

struct WordItem {
  std::uint32_t token;  // index into TokenizedText::tokens
  std::string lower;    // case-folded text; for possessives, without the "'s"
  std::string suffix;   // "'s" / "’s" split off a possessive, else empty
  WordId lm_id;         // id of the full folded word (with its suffix)
  bool eligible;        // may be (part of) a spun span
  bool name_like;       // capitalised mid-sentence: eligible, but spun less often a priori
  bool joins_next;      // the next word follows after whitespace only
};

struct Sentence {
  std::vector<WordItem> words;
};

// Longest sentence the decoder sees, in words: a longer run is cut into
// windows of this many words (the LM's context does not cross the cut, which
// real sentences of prose, far shorter, never meet).
inline constexpr std::size_t kMaxSentenceWords = 256;

// Splits the tokens into sentences of word items (at most kMaxSentenceWords each). Numbers, punctuation and
// symbols are not word items; acronyms, mixed-case words and words with
// digits are not eligible. Capitalised words mid-sentence (names: "Wall
// Street" -> "Wall Road") are eligible and marked name_like.
std::vector<Sentence> build_sentences(const TokenizedText& text, const LanguageModel& lm);

// Splits each word token holding a hyphen ("well-known", U+2010, U+2011)
// into its parts (word tokens) and its hyphens (punctuation), so that the
// decoder can restore a part: the table family's engines match a one-word
// entry inside a hyphenated word ("full-time" -> "ample-interval"). The
// parts never join into a multiword span (a hyphen is no whitespace).
// reassemble() of the result is still the source.
void split_hyphenated_words(TokenizedText& text);

}  // namespace unspin::decode
