// The phrase-table spinner family behind most content-farm text (WordPress
// auto-spinner plugins), simulated with a table of unspin's own making.
//
// Mechanics (PROBLEM.md §1b): the table is a list of groups "original|alt1|alt2";
// groups are applied in file order; a group's original matches on word
// boundaries, written lower-case or capitalised; every occurrence of an applied
// group is replaced, with ONE alternative per group per document; replaced
// text is frozen (later groups never touch it); numbers are never matched. An
// intensity p in [0, 1] applies each found group with probability p (1: a
// real plugin; lower: lighter spinning).
//
// The table itself (GroupTable::generate) is built deterministically from the
// simulators' own sources — the hand-written periphrases of phrase_table.tsv,
// Aiksaurus synonyms of the most frequent build-part words (any sense,
// inflected to fit), and frequent build-part collocations taken apart word by
// word — none of which the decoder's lexicon reads, so the default lexicon
// lacks the original for a share of the substitutions, as on real spinning.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace unspin::eval {

struct SpinnerData;
struct SpinOutput;

// The seed of the table SpinnerData::load generates (fixed: one table, many documents).
inline constexpr std::uint64_t kTableSeed = 0x7AB1E5EED;

struct SpinGroup {
  std::string original;                   // lowercase words joined by single spaces
  std::vector<std::string> alternatives;  // what it may become (lowercase)
};

class GroupTable {
 public:
  // One group per line: "original|alt1|alt2..." (the first alternative is the
  // original), '#' comments and blank lines skipped. Throws Error(kBadData)
  // with name:line on a malformed line.
  static GroupTable parse(std::string_view content, const std::string& name);
  // The simulators' own table (see file comment), in a fixed pseudo-random
  // file order drawn from `seed`. The `table-v1` style's table: kept byte for
  // byte (spinner_test.cpp holds its checksum).
  static GroupTable generate(const SpinnerData& data, std::uint64_t seed);
  // The regenerated table (issue 32; `table-v2` and `symmetric`), built to
  // match the statistics of real content-farm tables (eval/spin_stats.h):
  // function-word periphrases (periphrases.tsv clusters, and the build
  // part's frequent phrases holding a function word, function_phrases.txt,
  // with a word or a function-word phrase swapped) as about half the table;
  // single words, mostly outside the 1,000 commonest, with Aiksaurus
  // synonyms of any sense (fluent picks and wrong senses) or a phrase;
  // collocations taken apart word by word; then groups for some of the
  // alternatives, listing their original back, so that groups list each
  // other and hold reverse pairs. Alternatives per group drawn as in real
  // tables (one: 49%, two: 40%, three or more: 11%). Fixed file order drawn
  // from `seed`.
  static GroupTable generate_v2(const SpinnerData& data, std::uint64_t seed);

  void add(SpinGroup group);  // a repeated original keeps its first group
  const std::vector<SpinGroup>& groups() const { return groups_; }
  // Index of the group whose original is `key`, or -1.
  int find(std::string_view key) const;
  int max_words() const { return max_words_; }
  // "original|alt1|alt2" lines, in file order.
  std::string to_text() const;

 private:
  std::vector<SpinGroup> groups_;
  std::unordered_map<std::string, int> index_;
  int max_words_ = 0;
};

// Spins `text` with `table` at intensity `p`, one alternative per group drawn
// from `seed`. Gold edits as for every style.
SpinOutput spin_with_table(const GroupTable& table, std::string_view text, double p, std::uint64_t seed);

// The plugin engine as spin_with_table, and as real plugins do: a one-word
// entry also matches a part of a hyphenated word ("well-known" -> "well-identified";
// the gold edit spans the part), and words with apostrophes (U+2019 read as
// ') match entries that hold them ("you're", "don't"). table-v2's engine.
SpinOutput spin_with_table_v2(const GroupTable& table, std::string_view text, double p, std::uint64_t seed);

// The second engine of the family (the "article rewriter" of cloned SEO-tools
// sites): every member of a line (group) is a key, looked up left to right,
// longest first, in any case, inside hyphenated words too; each occurrence
// found draws with probability `p` one member of the first line that holds
// it, uniformly, possibly itself (then nothing changes); the replacement is
// written as the table spells it, lower-case. `number_lines` are more lines
// (number words and digits: "three|3"): digit tokens are matched by them only.
SpinOutput spin_symmetric(const GroupTable& table, const std::vector<std::vector<std::string>>& number_lines,
                          std::string_view text, double p, std::uint64_t seed);

// periphrases.tsv: one cluster per line, members separated by '|', with the
// subject slots documented there expanded over i, you, we, they, he, she, it
// (one cluster per subject). Throws Error(kBadData) with name:line on a member
// that is no table phrase or an unknown slot.
std::vector<std::vector<std::string>> parse_periphrases(std::string_view content, const std::string& name);

}  // namespace unspin::eval
