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
  // file order drawn from `seed`.
  static GroupTable generate(const SpinnerData& data, std::uint64_t seed);

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
SpinOutput spin_with_table(const GroupTable& table, std::string_view text, double p,
                           std::uint64_t seed);

}  // namespace unspin::eval
