// Baseline (a): dictionary screening as the Problematic Paper Screener does it —
// exact, case-insensitive matches of a fixed list of known spun phrases,
// restored to the listed expected text. The list uses the user-lexicon TSV
// format (original<TAB>spun, '#' comments); the default is
// data/spinner/screening_list.tsv, the baseline's own asset.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

#include "eval/score.h"

namespace unspin::eval {

class ScreeningList {
 public:
  // Throws Error(kIo) when unreadable, Error(kBadData) with file:line when a
  // line is not original<TAB>spun or nothing usable is in the file.
  static ScreeningList load(const std::string& path);
  static ScreeningList parse(std::string_view content, const std::string& name);

  // Longest match first, left to right; phrases may span plain whitespace but
  // not punctuation. score = hits per 100 words; spun = at least one hit.
  SystemOutput run(std::string_view text) const;
  std::size_t size() const { return spun_to_original_.size(); }

 private:
  std::unordered_map<std::string, std::string> spun_to_original_;  // lowercase keys
  int max_words_ = 0;
};

}  // namespace unspin::eval
