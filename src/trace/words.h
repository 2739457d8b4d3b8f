// The word layer shared by fingerprinting and alignment (internal).
//
// A document becomes its word and number tokens, each folded to a comparable
// form (lowercase, curly apostrophes straightened) with a 64-bit hash, and a
// class: what a spinner leaves alone (anchors: names, numbers, acronyms),
// function words (kept by most spinners), and content words (what spinners
// replace).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "unspin/text.h"

namespace unspin::trace {

enum class WordClass : std::uint8_t {
  kAnchor,    // number; capitalised word not opening a sentence; all-caps word (not "I")
  kFunction,  // one of the closed-class English words (is_function_word)
  kContent,   // everything else
  kPunct,     // a punctuation token: aligned (spinners keep punctuation), never fingerprinted
};

struct Word {
  std::uint32_t token;  // index into TokenizedText::tokens
  std::uint64_t hash;   // of the folded form
  WordClass cls;
};

// The words, numbers and punctuation of `text` in order (the units of the
// alignment; fingerprints use the words and numbers only). Word holds
// token indices, not views.
std::vector<Word> document_words(const TokenizedText& text);

// Lowercase, ’ -> ': the form two words are compared in.
std::string fold_word(std::string_view word);
bool is_function_word(std::string_view folded);

// A side of a table entry learned from an alignment (fold_word()ed): its
// words joined by single spaces, without the punctuation and breaks at its
// edges (", including" -> "including"; a line break within a paragraph is a
// space); std::nullopt when it is no phrase of words -- punctuation or a
// paragraph break inside, or no letter (alignment debris: "," alone) -- so
// a learned table holds only what the alignment proves and always reads back.
std::optional<std::string> table_phrase(std::string_view folded);

}  // namespace unspin::trace
