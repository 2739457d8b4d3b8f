#include "trace/align.h"

#include <algorithm>
#include <climits>
#include <unordered_map>

namespace unspin::trace {
namespace {

using Seq = std::span<const std::uint64_t>;

// LCS by dynamic programming on a[alo,ahi) x b[blo,bhi); appends matches in
// order. Among the longest common subsequences it picks one with the fewest
// gap openings (a run of skipped words on either side), so the differing
// words of a substitution stay together: the score of a path is
// matches * kMatch - openings, with kMatch larger than any count of openings.
// best[s][i][j]: the best score of a[i..) x b[j..) when the previous move was
// s (0 match/start, 1 skipped a word of a, 2 skipped a word of b).
void lcs_dp(Seq a, std::size_t alo, std::size_t ahi, Seq b, std::size_t blo, std::size_t bhi,
            std::vector<WordMatch>& out) {
  const std::size_t n = ahi - alo, m = bhi - blo;
  const std::int64_t kMatch = static_cast<std::int64_t>(n + m + 2);
  const std::size_t cells = (n + 1) * (m + 1);
  std::vector<std::int64_t> best(3 * cells, 0);
  auto at = [&](int s, std::size_t i, std::size_t j) -> std::int64_t& { return best[s * cells + i * (m + 1) + j]; };
  constexpr std::int64_t kNone = INT64_MIN / 4;
  for (std::size_t i = n + 1; i-- > 0;) {
    for (std::size_t j = m + 1; j-- > 0;) {
      if (i == n && j == m) continue;  // 0 in every state
      const std::int64_t match = i < n && j < m && a[alo + i] == b[blo + j] ? kMatch + at(0, i + 1, j + 1) : kNone;
      const std::int64_t skip_a_cont = i < n ? at(1, i + 1, j) : kNone;
      const std::int64_t skip_b_cont = j < m ? at(2, i, j + 1) : kNone;
      for (int s = 0; s < 3; ++s) {
        const std::int64_t skip_a = i < n ? skip_a_cont - (s == 1 ? 0 : 1) : kNone;
        const std::int64_t skip_b = j < m ? skip_b_cont - (s == 2 ? 0 : 1) : kNone;
        at(s, i, j) = std::max({match, skip_a, skip_b});
      }
    }
  }
  // Walk forward along an optimal path; a match wins ties.
  std::size_t i = 0, j = 0;
  int s = 0;
  while (i < n && j < m) {
    const std::int64_t here = at(s, i, j);
    if (a[alo + i] == b[blo + j] && here == kMatch + at(0, i + 1, j + 1)) {
      out.push_back({static_cast<std::uint32_t>(alo + i), static_cast<std::uint32_t>(blo + j)});
      ++i;
      ++j;
      s = 0;
    } else if (here == at(1, i + 1, j) - (s == 1 ? 0 : 1)) {
      ++i;
      s = 1;
    } else {
      ++j;
      s = 2;
    }
  }
}

void align_range(Seq a, std::size_t alo, std::size_t ahi, Seq b, std::size_t blo, std::size_t bhi,
                 std::size_t max_cells, std::vector<WordMatch>& out) {
  while (alo < ahi && blo < bhi && a[alo] == b[blo]) {
    out.push_back({static_cast<std::uint32_t>(alo++), static_cast<std::uint32_t>(blo++)});
  }
  std::size_t suffix = 0;
  while (alo < ahi - suffix && blo < bhi - suffix && a[ahi - 1 - suffix] == b[bhi - 1 - suffix]) ++suffix;
  const std::size_t aend = ahi - suffix, bend = bhi - suffix;
  if (alo < aend && blo < bend) {
    if ((aend - alo) * (bend - blo) <= max_cells) {
      lcs_dp(a, alo, aend, b, blo, bend, out);
    } else {
      // Words unique in both ranges, in a-order, then the longest chain
      // increasing in b (patience sorting).
      struct Count {
        std::uint32_t in_a = 0, in_b = 0, pos_a = 0, pos_b = 0;
      };
      std::unordered_map<std::uint64_t, Count> counts;
      counts.reserve((aend - alo) + (bend - blo));
      for (std::size_t i = alo; i < aend; ++i) {
        Count& c = counts[a[i]];
        ++c.in_a;
        c.pos_a = static_cast<std::uint32_t>(i);
      }
      for (std::size_t j = blo; j < bend; ++j) {
        auto it = counts.find(b[j]);
        if (it == counts.end()) continue;
        ++it->second.in_b;
        it->second.pos_b = static_cast<std::uint32_t>(j);
      }
      std::vector<WordMatch> unique;
      for (std::size_t i = alo; i < aend; ++i) {
        const Count& c = counts[a[i]];
        if (c.in_a == 1 && c.in_b == 1) unique.push_back({c.pos_a, c.pos_b});
      }
      // Longest increasing subsequence in source positions.
      std::vector<std::size_t> tails, parent(unique.size(), SIZE_MAX);
      for (std::size_t k = 0; k < unique.size(); ++k) {
        auto it = std::lower_bound(tails.begin(), tails.end(), unique[k].source,
                                   [&](std::size_t t, std::uint32_t v) { return unique[t].source < v; });
        if (it != tails.begin()) parent[k] = *(it - 1);
        if (it == tails.end())
          tails.push_back(k);
        else
          *it = k;
      }
      std::vector<WordMatch> chain;
      for (std::size_t k = tails.empty() ? SIZE_MAX : tails.back(); k != SIZE_MAX; k = parent[k]) {
        chain.push_back(unique[k]);
      }
      std::reverse(chain.begin(), chain.end());
      // Without a unique common word the range is left unaligned: a bounded
      // cost matters more than matching a few function words here.
      std::size_t pa = alo, pb = blo;
      for (const WordMatch& anchor : chain) {
        align_range(a, pa, anchor.spun, b, pb, anchor.source, max_cells, out);
        out.push_back(anchor);
        pa = anchor.spun + 1;
        pb = anchor.source + 1;
      }
      if (!chain.empty()) align_range(a, pa, aend, b, pb, bend, max_cells, out);
    }
  }
  for (std::size_t k = 0; k < suffix; ++k) {
    out.push_back({static_cast<std::uint32_t>(aend + k), static_cast<std::uint32_t>(bend + k)});
  }
}

}  // namespace

std::vector<WordMatch> align_words(std::span<const std::uint64_t> spun, std::span<const std::uint64_t> source,
                                   std::size_t max_cells) {
  std::vector<WordMatch> out;
  align_range(spun, 0, spun.size(), source, 0, source.size(), std::max<std::size_t>(max_cells, 1), out);
  return out;
}

std::size_t lcs_length_reference(std::span<const std::uint64_t> a, std::span<const std::uint64_t> b) {
  std::vector<std::size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

RunSummary substitution_runs(const std::vector<WordMatch>& matches, std::size_t spun_words, std::size_t source_words,
                             std::size_t max_gap_words) {
  RunSummary summary;
  summary.spun_words = spun_words;
  summary.matched_words = matches.size();
  // Gap k lies between match k-1 and match k (with virtual matches before
  // the start and after the end of both texts).
  const std::size_t gaps = matches.size() + 1;
  for (std::size_t k = 0; k < gaps; ++k) {
    const std::uint32_t sb = k == 0 ? 0 : matches[k - 1].spun + 1;
    const std::uint32_t ob = k == 0 ? 0 : matches[k - 1].source + 1;
    const std::uint32_t se = k == matches.size() ? static_cast<std::uint32_t>(spun_words) : matches[k].spun;
    const std::uint32_t oe = k == matches.size() ? static_cast<std::uint32_t>(source_words) : matches[k].source;
    const std::size_t spun_gap = se - sb, source_gap = oe - ob;
    if (spun_gap == 0 && source_gap == 0) continue;
    if (spun_gap > max_gap_words || source_gap > max_gap_words) continue;
    if (matches.empty()) continue;  // nothing anchors the run
    WordRun run{sb, se, ob, oe};
    if (spun_gap == 0 || source_gap == 0) {
      // Widen by the neighbouring match so the run rewrites a non-empty span.
      if (k > 0) {
        run.spun_begin = matches[k - 1].spun;
        run.source_begin = matches[k - 1].source;
      } else {
        run.spun_end = matches[0].spun + 1;
        run.source_end = matches[0].source + 1;
      }
    }
    summary.substituted_words += spun_gap;
    if (!summary.substitutions.empty() && (summary.substitutions.back().spun_end > run.spun_begin ||
                                           summary.substitutions.back().source_end > run.source_begin)) {
      // Widening reached back into the previous run: they become one.
      WordRun& previous = summary.substitutions.back();
      previous.spun_end = std::max(previous.spun_end, run.spun_end);
      previous.source_end = std::max(previous.source_end, run.source_end);
      continue;
    }
    summary.substitutions.push_back(run);
  }
  return summary;
}

}  // namespace unspin::trace
