// Statistics of a table-family spinner (issue 32): the table's shape and what
// it does to pages, beside the figures measured on a real content-farm table
// and its output (PROBLEM.md 1c). `unspin-eval spin-stats` prints them.
//
// Table statistics (GroupTable groups; a "pair" is (a group's original, one
// of its alternatives); a "spun form" is a distinct alternative over the
// table; a phrase's words are its space-separated words):
//   multiword            groups whose original has 2+ words / groups
//   multiword_function   of those, originals holding a word of
//                        function_words.txt / multiword originals
//   alternatives         alternatives per group (mean), and the shares of
//                        groups with 1, 2, 3 or more
//   words_differ         pairs whose two sides differ in word count / pairs
//   multi_to_one         pairs with a multiword original and a one-word
//                        alternative / pairs
//   spun_is_key          spun forms that are another group's original /
//                        spun forms
//   reverse              pairs (o, s) for which (s, o) is also a pair / pairs
//   spun_many_originals  spun forms listed by 2+ groups / spun forms
//   common_keys          one-word originals among the 1,000 commonest words
//                        (the first 1,000 of spinner_vocab.txt, build-part
//                        news counts) / one-word originals
// Page statistics (eval-part excerpts of one genre, each spun by the style at
// the given rate with its own seed; every gold edit counted):
//   replaced             words of the originals of the gold edits /
//                        words of the clean excerpts (count_words: a
//                        hyphenated word is one word, so is a part of one)
//   multi_spun           edits whose spun text has 2+ words / edits
//   multi_original       edits whose original has 2+ words / edits
//   lm_prefers_spun      edits for which log10 P(sentence as spun) >
//                        log10 P(the same sentence with this edit undone,
//                        the others kept), under the LM given (the default
//                        models/en-us.ulm): the sentence is the spun text's
//                        sentence (unspin::tokenize sentence starts) holding
//                        the edit, its word and number tokens case-folded
//                        and scored from <s> to </s> / edits
//   in_hyphenated        edits whose spun span is a part of a hyphenated
//                        word (a '-' right before or after it, joined to a
//                        letter or digit) / edits
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "eval/corpus.h"
#include "eval/spinner.h"

namespace unspin {
class LanguageModel;
}

namespace unspin::eval {

struct TableStats {
  std::size_t groups = 0, pairs = 0;
  std::size_t multiword = 0, multiword_function = 0;
  std::size_t alt1 = 0, alt2 = 0, alt3 = 0;  // groups with 1, 2, 3+ alternatives
  std::size_t words_differ = 0, multi_to_one = 0, reverse = 0;
  std::size_t spun_forms = 0, spun_is_key = 0, spun_many_originals = 0;
  std::size_t one_word = 0, common_keys = 0;
};
TableStats table_stats(const GroupTable& table, const SpinnerData& data);

struct PageStats {
  std::size_t pages = 0, words = 0, replaced = 0;
  std::size_t edits = 0, multi_spun = 0, multi_original = 0, in_hyphenated = 0;
  std::size_t lm_scored = 0, lm_prefers_spun = 0;  // lm_scored = edits when an LM was given
  void add(const PageStats& other);
};
// Spins each excerpt with `style` (seed: stable_hash of the excerpt id,
// `seed`) and counts. `lm` may be null (no LM statistic).
PageStats page_stats(const SpinnerData& data, SpinStyle style, double rate, std::uint64_t seed,
                     const std::vector<Excerpt>& excerpts, const LanguageModel* lm);

// One statistic, its value for a style, and the real tables' figure with the
// bar issue 32 sets: within 5 points of the real figure (or range), 0.2 for
// the mean of alternatives per group.
struct StatRow {
  std::string name;          // "looked-for entries that are multiword"
  std::string real;          // "72%"
  double value = 0;          // percent, or the mean for alternatives per group
  double low = 0, high = 0;  // the real figure or range
  bool percent = true;
  bool within() const;
};
// The rows of PROBLEM.md 1c, in its order. `news` and `technical` may be
// empty (their rows then read 0 and fail).
std::vector<StatRow> stat_rows(const TableStats& table, const PageStats& technical, const PageStats& news);

// Markdown: one row per statistic, the real column, then one column per
// style (value, and a mark when outside the bar).
std::string stats_markdown(const std::vector<std::string>& styles, const std::vector<std::vector<StatRow>>& rows);

}  // namespace unspin::eval
