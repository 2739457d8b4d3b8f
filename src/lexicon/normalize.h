// Normal form of lexicon keys and originals, and the filters every source
// shares (numbers, proper names, function words). Internal.
#pragma once

#include <string>
#include <string_view>

namespace unspin::lexicon {

inline constexpr int kMaxPhraseWords = 5;

// Lowercases (ASCII and what unspin::fold_case covers), maps '_' to ' ',
// trims and collapses runs of spaces/tabs to one space.
std::string normalize_phrase(std::string_view text);

// Writes the lowercase form of `text` into `buf` (size `cap`) when it is pure
// ASCII and fits; returns its length, or -1 when the caller must fall back to
// normalize_phrase. Lookup's allocation-free fast path.
int fold_ascii(std::string_view text, char* buf, int cap) noexcept;

int word_count(std::string_view phrase) noexcept;

// A usable normalized phrase: 1..kMaxPhraseWords words of letters, with
// internal hyphens, apostrophes or periods; no digits; not a single letter.
bool is_usable_phrase(std::string_view phrase) noexcept;

// Thesaurus text with an upper-case letter names something (Paris, DNA).
bool has_upper(std::string_view text) noexcept;

// Closed-class words (articles, pronouns, auxiliaries, modals, prepositions,
// conjunctions). Thesauri list them under unrelated senses ("can" -> "tin",
// "i" -> "iodine"); their paraphrases come from the curated table only.
bool is_function_word(std::string_view phrase) noexcept;

// Number words ("one", "twelve", "million", "dozen"...): never proposed as
// candidates by the thesauri, so digits and number words stay apart.
bool is_number_word(std::string_view phrase) noexcept;

}  // namespace unspin::lexicon
