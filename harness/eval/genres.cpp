#include "eval/genres.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace unspin::eval {

std::vector<GenreCell> run_genres(const Restorer& restorer, const std::string& corpora_dir, const GenreConfig& config,
                                  const std::function<void(const std::string&)>& progress) {
  std::vector<GenreCell> cells;
  for (const std::string& source : config.sources) {
    const std::vector<CorpusDoc> docs = select_part(load_corpus(corpora_dir, {source}), config.part);
    for (std::size_t l = 0; l < config.lengths.size(); ++l) {
      GenreCell cell;
      cell.source = source;
      cell.length = config.lengths[l];
      const std::size_t count = l < config.counts.size() ? config.counts[l] : config.counts.back();
      for (const Excerpt& excerpt : make_excerpts(docs, cell.length, count)) {
        const DocumentResult r = restorer.run(excerpt.text);
        ++cell.docs;
        cell.tokens += r.tokens;
        cell.edits += r.edits.size();
        if (!r.has_score) continue;
        ++cell.scored;
        cell.flagged += r.verdict == Verdict::kSpun;
        cell.max_score = std::max(cell.max_score, r.score);
        cell.at_08 += r.score >= 0.8;
        cell.at_09 += r.score >= 0.9;
      }
      if (progress) {
        progress(source + " ~" + std::to_string(cell.length) + " words: " + std::to_string(cell.docs) + " excerpts, " +
                 std::to_string(cell.flagged) + " flagged");
      }
      cells.push_back(cell);
    }
  }
  return cells;
}

std::string genre_table(const std::vector<GenreCell>& cells, const std::string& system) {
  std::string out =
      "| system | genre | words | clean docs | scored | flagged spun | false-positive rate | highest score | score >= "
      "0.8 | score >= 0.9 | false edits /1k tokens |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n";
  char buf[256];
  const auto share = [](std::size_t n, std::size_t of) { return of ? 100.0 * n / of : 0.0; };
  std::map<std::size_t, GenreCell> totals;
  for (const GenreCell& c : cells) {
    std::snprintf(buf, sizeof buf, "| %s | %s | ~%zu | %zu | %zu | %zu | %.2f%% | %.3f | %.2f%% | %.2f%% | %.2f |\n",
                  system.c_str(), c.source.c_str(), c.length, c.docs, c.scored, c.flagged,
                  100 * c.false_positive_rate(), c.max_score, share(c.at_08, c.scored), share(c.at_09, c.scored),
                  c.edits_per_1k());
    out += buf;
    GenreCell& t = totals[c.length];
    t.length = c.length;
    t.docs += c.docs;
    t.scored += c.scored;
    t.flagged += c.flagged;
    t.tokens += c.tokens;
    t.edits += c.edits;
    t.max_score = std::max(t.max_score, c.max_score);
    t.at_08 += c.at_08;
    t.at_09 += c.at_09;
  }
  for (const auto& [length, t] : totals) {
    std::snprintf(buf, sizeof buf,
                  "| %s | **all** | ~%zu | %zu | %zu | %zu | %.2f%% | %.3f | %.2f%% | %.2f%% | %.2f |\n",
                  system.c_str(), length, t.docs, t.scored, t.flagged, 100 * t.false_positive_rate(), t.max_score,
                  share(t.at_08, t.scored), share(t.at_09, t.scored), t.edits_per_1k());
    out += buf;
  }
  return out;
}

}  // namespace unspin::eval
