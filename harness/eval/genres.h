// False alarms on clean text by genre: the decoder run on clean eval-part
// excerpts of every genre source (eval/corpus.h kGenreSources) at several
// lengths, counting documents called "spun" at the shipped threshold and
// edits applied at the shipped confidence. A trust-and-safety team's first
// question ("how often will it flag honest writing?") answered per genre.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "eval/corpus.h"
#include "unspin/restore.h"

namespace unspin::eval {

struct GenreCell {
  std::string source;
  std::size_t length = 0;   // target words per excerpt
  std::size_t docs = 0;     // excerpts run
  std::size_t scored = 0;   // excerpts with a score (not "too short"/"not English")
  std::size_t flagged = 0;  // verdict "spun"
  std::size_t tokens = 0, edits = 0;
  double max_score = 0;
  std::size_t at_08 = 0, at_09 = 0;  // scored at or above 0.8 and 0.9 (a user's --threshold)
  double false_positive_rate() const { return scored ? static_cast<double>(flagged) / scored : 0.0; }
  double edits_per_1k() const { return tokens ? 1000.0 * edits / tokens : 0.0; }
};

struct GenreConfig {
  std::vector<std::string> sources = kGenreSources;
  std::vector<std::size_t> lengths = {100, 300, 1000, 3000, 10000};
  // Excerpts per length (fewer when a genre's eval part is too small).
  std::vector<std::size_t> counts = {250, 250, 100, 40, 40};
  Part part = Part::kEval;
};

// Runs `restorer` on each excerpt; one cell per (source, length).
std::vector<GenreCell> run_genres(const Restorer& restorer, const std::string& corpora_dir, const GenreConfig& config,
                                  const std::function<void(const std::string&)>& progress = {});

// The markdown table (and a totals row per length over every genre).
std::string genre_table(const std::vector<GenreCell>& cells, const std::string& system);

}  // namespace unspin::eval
