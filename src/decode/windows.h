// Long documents are decoded as windows (docs/ARCHITECTURE.md, "Long documents").
//
// Why. On clean text the spinner model's log10 Bayes factor grows faster than
// the length (the LM's many small preferences for common synonyms add up as
// words repeat: median 0.14 at 100 words, 31 at 2,500), and the document score
// is calibrated against clean text of the same length only up to the longest
// fitting documents (~3,000 words). Beyond that there is no null to compare
// with: 55% of clean 10,000-word excerpts and every 30,000-word one were
// called "spun". And one document's decoder state is linear in its length
// (a 10 MB text needed 1.9 GB).
//
// So a document of more than `window_words` words is cut into windows of at
// most that many words, at paragraph boundaries where it can be, else after a
// sentence, else between words; each window is decoded as a document of its
// own (its own spinner table, inside the calibrated range of lengths, in
// bounded memory), and the results are merged:
//   score      from the sum of the windows' log likelihood ratios
//              (independent evidence about one document; the prior enters
//              once: decode/score.h)
//   edits, restored text, paragraphs: the windows' own, at document offsets
//              (a paragraph cut by a window boundary is merged back, its
//              score from the sum of its scored pieces' log-LRs)
//   log10_bayes_factor: the sum over windows (independent windows)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "unspin/restore.h"

namespace unspin::decode {

using ByteRanges = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

struct TextWindow {
  std::uint32_t byte_begin = 0, byte_end = 0;  // [begin, end) of the document
  std::uint32_t cp_begin = 0;                  // code points before byte_begin
  ByteRanges paragraphs;                       // the document's paragraphs in the window, window-relative
  bool ends_inside_paragraph = false;          // the next window continues this window's last paragraph
};

// Words as the windows count them: runs of non-whitespace.
std::size_t count_words(std::string_view text);

// The windows of `text` (paragraphs: the document's, as find_paragraphs gives
// them). One window, the whole text, when it has at most `window_words` words
// or `window_words` is 0. Windows cover the text contiguously; each holds at
// most `window_words` words unless one "word" is longer than the window.
std::vector<TextWindow> split_windows(std::string_view text, const ByteRanges& paragraphs, std::size_t window_words);

// The text of one window.
inline std::string_view window_text(std::string_view text, const TextWindow& w) {
  return text.substr(w.byte_begin, w.byte_end - w.byte_begin);
}

// Merges the windows' results (each with window-relative offsets, all with
// the same verdict threshold) into the document's result, as described
// above; one window's result is the document's as it is.
DocumentResult merge_windows(const std::vector<TextWindow>& windows, std::vector<DocumentResult> parts);

}  // namespace unspin::decode
