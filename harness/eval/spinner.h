// Simulated article spinners with exact gold edits.
//
// Three styles, each a fixed substitution table applied blind to context:
//   thesaurus  single words -> an Aiksaurus synonym of any sense, inflected to fit
//   phrase     data/spinner/phrase_table.tsv: word<->phrase and function-word swaps,
//              longest match first
//   tortured   data/spinner/tortured_terms.txt (hand-written technical terms) and
//              tortured_collocations.txt (frequent build-part bigrams): multiword
//              terms taken apart, each word replaced by an Aiksaurus synonym
//   table      the phrase-table family of content farms (eval/spin_table.h):
//              groups applied in order, every occurrence, one choice per
//              document, names spun word by word; `rate` is the intensity.
//              The same as table-v2 (issue 32; before, table-v1).
//   table-v1   that style with its first table (GroupTable::generate), kept
//              byte for byte for the same seed
//   table-v2   the regenerated table (GroupTable::generate_v2, matching the
//              statistics of real content-farm tables, issue 32) with the
//              plugin engine, which also matches inside hyphenated words
//   symmetric  the second engine of that table family (the "article
//              rewriter"): every member of a line is a key, a member drawn per
//              occurrence (possibly the word itself), written as the table
//              spells it (capitals lost), numbers spun too; `rate` is the
//              share of found occurrences that draw
// The table a spinner uses is fixed by its seed (one word always becomes the
// same substitute, as with a real spinner); which eligible items are replaced
// is drawn from the seed as well. Exactly round(rate * eligible) items are
// replaced. Proper names (capitalised words not starting a sentence), numbers,
// all-caps words and quoted text are never touched.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "eval/morph.h"
#include "eval/scan.h"
#include "eval/spin_table.h"
#include "eval/thesaurus.h"

namespace unspin::eval {

enum class SpinStyle : std::uint8_t { kThesaurus, kPhrase, kTortured, kTable, kTableV1, kTableV2, kSymmetric };
std::string_view style_name(SpinStyle style);
// "thesaurus", "phrase", "tortured", "table", "table-v1", "table-v2",
// "symmetric"; throws unspin::Error(kUsage) otherwise.
SpinStyle parse_style(std::string_view name);
// The styles that spin with a group table (table, table-v1, table-v2, symmetric).
bool is_table_style(SpinStyle style);

// One substitution, located in the spun text.
struct GoldEdit {
  std::uint32_t byte_begin, byte_end;  // span in the spun text
  std::uint32_t cp_begin, cp_end;      // the same span in code points
  std::string spun;                    // the spun text of the span
  std::string original;                // the original bytes it replaced
};

struct SpinOutput {
  std::string text;
  std::vector<GoldEdit> edits;  // in text order, non-overlapping
  std::size_t eligible = 0;     // items the style could have replaced
};

// Phrase table: lowercase key (words joined by single spaces) -> substitutes.
class PhraseTable {
 public:
  // Lines "original<TAB>spun1|spun2|...", '#' comments. Throws Error(kBadData)
  // with file:line for malformed lines, kIo when unreadable.
  static PhraseTable load(const std::string& path);
  static PhraseTable parse(std::string_view content, const std::string& name);
  void add(std::string key, std::vector<std::string> substitutes);
  const std::vector<std::string>* find(std::string_view key) const;
  const std::unordered_map<std::string, std::vector<std::string>>& entries() const { return table_; }
  int max_words() const { return max_words_; }
  std::size_t size() const { return table_.size(); }

 private:
  std::unordered_map<std::string, std::vector<std::string>> table_;
  int max_words_ = 0;
};

// Everything the spinners read: loaded once, shared by all Spinner objects.
struct SpinnerData {
  Thesaurus thesaurus;
  Morphology morphology;
  PhraseTable phrases;
  std::vector<std::string> tortured_terms;     // lowercase, words joined by single spaces
  std::unordered_set<std::string> never_spin;  // function words the thesaurus style keeps
  // Words a spinner's dictionary offers as substitutes: lowercase words seen at
  // least 3 times in the build part of the corpora (spinner_vocab.txt, made by
  // `unspin-eval eval corpus --part build --vocab`). Empty = no restriction.
  std::unordered_set<std::string> vocabulary;
  std::vector<std::string> vocabulary_by_count;  // the same words, most frequent first
  // The table style's groups: GroupTable::generate, or a user's table (`unspin-eval spin --table`).
  GroupTable table;
  // table-v1's groups (GroupTable::generate) and those of table-v2 and
  // symmetric (GroupTable::generate_v2); `unspin spin --table` replaces all three.
  GroupTable table_v1, table_v2;
  // What table-v2 is generated from (each empty when its file is absent):
  std::unordered_set<std::string> function_words;                     // function_words.txt
  std::vector<std::vector<std::string>> periphrases;                  // periphrases.tsv, slots expanded
  std::vector<std::pair<std::string, std::size_t>> function_phrases;  // function_phrases.txt, most frequent first
  std::vector<std::string> technical_by_count;                        // technical_vocab.txt, most frequent first
  // The symmetric engine's number lines ("three|3"), number_words.tsv: never in a GroupTable.
  std::vector<std::vector<std::string>> number_lines;

  // The table a table style spins with by default (the whole table; the
  // sites and detect harnesses spin with one half of it, eval/sites.h).
  const GroupTable& table_of(SpinStyle style) const;

  // data_dir holds phrase_table.tsv, tortured_terms.txt, irregular_forms.tsv,
  // never_spin.txt, spinner_vocab.txt (and table-v2's function_words.txt,
  // periphrases.tsv, function_phrases.txt, technical_vocab.txt,
  // number_words.tsv); aiksaurus_dir holds words.dat and meanings.dat.
  static SpinnerData load(const std::string& data_dir, const std::string& aiksaurus_dir);
  // True when every word of the phrase is in `vocabulary` (or there is none).
  bool in_vocabulary(std::string_view phrase) const;
  // Default locations: $UNSPIN_SPINNER_DATA or the source tree's data/spinner,
  // and /usr/share/aiksaurus.
  static std::string default_data_dir();
  static std::string default_aiksaurus_dir();
};

class Spinner {
 public:
  // rate in [0, 1]; throws Error(kUsage) otherwise.
  Spinner(const SpinnerData& data, SpinStyle style, double rate, std::uint64_t seed);
  SpinOutput spin(std::string_view text) const;

 private:
  struct Item;
  std::vector<Item> eligible_items(std::string_view text) const;
  std::string thesaurus_substitute(std::string_view lower_word, bool allow_phrase) const;
  std::string tortured_substitute(std::string_view term, Form last_form) const;

  const SpinnerData& data_;
  SpinStyle style_;
  double rate_;
  std::uint64_t seed_;
  // tortured: every matchable surface form (base and plural) -> (term, form)
  std::unordered_map<std::string, std::pair<std::string, Form>> term_forms_;
  int max_term_words_ = 0;
};

// One replacement planned by a spinner: words [first_word, last_word] of a
// Scan become `replacement` (lowercase; re-cased to the first word's shape).
struct Replacement {
  std::size_t first_word, last_word;
  std::string replacement;
};
// Writes the spun text and its gold edits; `replacements` sorted, non-overlapping.
SpinOutput apply_replacements(std::string_view text, const Scan& scan, const std::vector<Replacement>& replacements);

// Spins `text` with `table` the way table style `style` does (its engine:
// table-v1 the plugin engine of spin_with_table, table and table-v2 the plugin
// engine with hyphen-internal matches, symmetric the article rewriter with
// data.number_lines). Throws Error(kUsage) for a style that is no table style.
SpinOutput spin_table_style(const SpinnerData& data, SpinStyle style, const GroupTable& table, std::string_view text,
                            double rate, std::uint64_t seed);

// The lines the article rewriter (style symmetric) draws among: each group's
// original with its alternatives, then data.number_lines. Every member of a
// line may be written for any other, so each ordered pair of a line is a pair
// of its table.
std::vector<std::vector<std::string>> rewriter_lines(const SpinnerData& data, const GroupTable& table);

// Lowercase words of a-z, ' or - joined by single spaces (a table phrase).
bool is_phrase_text(std::string_view s);
int word_count(std::string_view phrase);
// Two words may form one phrase when only plain spaces or one line break separate them.
bool joinable_gap(std::string_view gap);

// Applies gold edits backwards to the spun text: returns the original.
// Throws Error(kBadData) when an edit's span or spun text does not fit.
std::string undo_spin(std::string_view spun, const std::vector<GoldEdit>& edits);

// Deterministic 64-bit hash (FNV-1a mixed with splitmix64), stable across platforms.
std::uint64_t stable_hash(std::string_view s, std::uint64_t seed = 0);

}  // namespace unspin::eval
