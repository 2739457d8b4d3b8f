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
// skipped and reported, never fatal.
std::vector<UserPair> parse_user_tsv(std::string_view text, const std::string& origin,
                                     UserLexiconReport* report);

// Problematic Paper Screener export: columns "Fingerprint - Tortured Phrase",
// "Expected Text", "Nb Retrieved Papers" (any order, extra columns ignored).
// Throws Error(kBadData) when the header lacks the first two columns.
std::vector<UserPair> parse_pps_csv(std::string_view text, const std::string& origin,
                                    UserLexiconReport* report);

enum class UserFormat { kUlex, kTsv, kPpsCsv };
UserFormat detect_user_format(std::string_view head);

// Parses TSV or CSV text and returns the .ulex image of its pairs (source
// kSourceUser). Throws Error(kBadData) when no usable pair is found.
std::string compile_user_lexicon(std::string_view text, const std::string& origin,
                                 UserLexiconReport* report);

}  // namespace unspin::lexicon
