// User lexicons: plain TSV and Problematic Paper Screener CSV exports, parsed
// into pairs and compiled into an in-memory .ulex image. Internal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "unspin/lexicon.h"

namespace unspin::lexicon {

struct UserPair {
  std::string original;  // normalized
  std::string spun;      // normalized
  float prior;
};

inline constexpr std::size_t kMaxWarnings = 200;
void warn(UserLexiconReport* report, std::string message);

// `original<TAB>spun[<TAB>prior]`, '#' comments, blank lines. Bad lines are
// skipped and reported, never fatal. Without a prior column a pair gets
// 1/k, k being the number of spun forms the file lists for its original.
std::vector<UserPair> parse_user_tsv(std::string_view text, const std::string& origin, UserLexiconReport* report);

// Problematic Paper Screener export: columns "Fingerprint - Tortured Phrase",
// "Expected Text", "Nb Retrieved Papers" (any order, extra columns ignored).
// Throws Error(kBadData) when the header lacks the first two columns.
std::vector<UserPair> parse_pps_csv(std::string_view text, const std::string& origin, UserLexiconReport* report);

// A spinner's own table: one group per line, "original|alt1|alt2" (the
// WordPress auto-spinner format; the first alternative is the original), or
// spintax "{original|alt1|alt2}" (any number of groups per line, not nested).
// Each alternative becomes a pair with prior 1/k (k alternatives): the
// chance a spinner holding the group picks that one. With `symmetric_lines`
// (the article rewriter, TableEngine::kRewriter) every member of a line is
// also the original of every other member, prior 1/(n - 1) for a line of n:
// the rewriter replaces any member by a member drawn from its line.
std::vector<UserPair> parse_group_table(std::string_view text, const std::string& origin, UserLexiconReport* report,
                                        bool symmetric_lines = false);

// A table `unspin learn` wrote (docs/SCHEMA.md §9): its first line is this
// header (optionally followed by " key=value" fields), then
// original<TAB>spun<TAB>prior<TAB>count lines; the prior is the learned
// probability that the spinner's table holds the pair, used as it is.
inline constexpr std::string_view kLearnedTableHeader = "# unspin learned-table v1";
// The pages a learned table was learned from: N of its header's "pages=N"
// field; 0 when the header has none (or `text` is no learned table).
std::size_t learned_table_pages(std::string_view text);
// Whether the header says "method=aligned": a table `learn --archive` wrote,
// each pair proven by aligning a page with its source. Such a table is
// compiled and trusted as a user's table (kSourceUser), its priors as given.
bool learned_table_aligned(std::string_view text);
std::vector<UserPair> parse_learned_table(std::string_view text, const std::string& origin, UserLexiconReport* report);

enum class UserFormat { kUlex, kTsv, kPpsCsv, kGroups, kLearned };
UserFormat detect_user_format(std::string_view head);

// The pairs of a TSV, group table or Paper Screener CSV, by content.
std::vector<UserPair> parse_user_pairs(std::string_view text, const std::string& origin, UserLexiconReport* report,
                                       bool symmetric_lines = false);

// Parses TSV or CSV text and returns the .ulex image of its pairs (source
// kSourceUser; kSourceLearned for a learned table). Throws Error(kBadData) when no usable pair is found.
std::string compile_user_lexicon(std::string_view text, const std::string& origin, UserLexiconReport* report,
                                 bool symmetric_lines = false);

}  // namespace unspin::lexicon
