#include "lexicon/tools.h"

#include <algorithm>

#include "lexicon/normalize.h"
#include "unspin/text.h"

namespace unspin::lexicon {

CoverageResult coverage(const LexiconStack& lexicons, std::string_view text) {
  CoverageResult r;
  std::vector<Candidate> cands;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#') continue;
    const std::size_t tab = line.find('\t');
    if (tab == std::string_view::npos) {
      ++r.skipped;
      continue;
    }
    std::string_view spun_col = line.substr(tab + 1);
    spun_col = spun_col.substr(0, spun_col.find('\t'));
    const std::string original = normalize_phrase(line.substr(0, tab));
    const std::string spun = normalize_phrase(spun_col);
    if (original.empty() || spun.empty()) {
      ++r.skipped;
      continue;
    }
    ++r.pairs;
    cands.clear();
    lexicons.lookup(spun, &cands);
    if (std::any_of(cands.begin(), cands.end(), [&](const Candidate& c) { return c.original == original; })) {
      ++r.covered;
    } else if (r.missed.size() < 500) {
      r.missed.push_back(spun + " -> " + original);
    }
  }
  return r;
}

CandidateStats candidates_per_token(const LexiconStack& lexicons, std::string_view text) {
  CandidateStats s;
  if (find_invalid_utf8(text)) return s;
  const TokenizedText tokens = tokenize(text);
  std::vector<std::size_t> counts;
  std::vector<Candidate> cands;
  for (const Token& t : tokens.tokens) {
    if (t.kind != TokenKind::kWord) continue;
    cands.clear();
    lexicons.lookup(t.text, &cands);
    counts.push_back(cands.size());
  }
  s.tokens = counts.size();
  if (counts.empty()) return s;
  double sum = 0;
  for (std::size_t c : counts) {
    sum += static_cast<double>(c);
    s.with_any += c > 0;
  }
  s.mean = sum / static_cast<double>(counts.size());
  std::sort(counts.begin(), counts.end());
  s.median = static_cast<double>(counts[counts.size() / 2]);
  s.p95 = static_cast<double>(counts[std::min(counts.size() - 1, counts.size() * 95 / 100)]);
  s.max = counts.back();
  return s;
}

}  // namespace unspin::lexicon
