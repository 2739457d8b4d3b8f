// Text handling of the LM stage: case folding of words and the tokenizer used
// by `lm build`, `lm perplexity` and `lm score`, so that a model is estimated
// and evaluated on the same tokens.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace unspin::lm {

// Lowercases ASCII, Latin-1 (U+00C0..U+00DE) and Latin Extended-A
// (U+0100..U+017F) letters, like unspin::fold_case; other bytes unchanged.
std::string fold_word(std::string_view word);

// True when fold_word(word) could differ from word (cheap pre-check).
bool may_need_folding(std::string_view word) noexcept;

// Splits text into sentences of word tokens. Tokens are runs of letters and
// digits (any byte >= 0x80 counts as a letter) with internal apostrophes,
// hyphens, and periods or commas between digits ("don't", "x-ray", "3.5").
// Other punctuation is dropped. A sentence ends at a line end and after a
// token followed by '.', '!' or '?'. Tokens are folded when `fold` is set.
// Views point into `text` unless folded.
std::vector<std::vector<std::string>> split_sentences(std::string_view text, bool fold);

}  // namespace unspin::lm
