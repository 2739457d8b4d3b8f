// Turning decisions into output: the restored text (input layout, casing and
// punctuation kept outside edits; a/an fixed next to an edit) and the
// public Edit list with byte and code-point offsets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "unspin/restore.h"
#include "unspin/text.h"

namespace unspin::decode {

struct PlannedEdit {
  std::uint32_t first_token, last_token;  // inclusive token range replaced
  std::string original;                   // folded original words
  double confidence;
  std::string rule = "UNSPIN_SUBSTITUTION";
};

// `planned` must be sorted by token and non-overlapping. Fills result->edits
// and result->restored.
void apply_edits(const TokenizedText& text, const std::vector<PlannedEdit>& planned, DocumentResult* result);

// "a" or "an" for the word that follows (spelling heuristics: "an hour",
// "a university", "an 8" are handled).
std::string_view indefinite_article_for(std::string_view next_word);

}  // namespace unspin::decode
