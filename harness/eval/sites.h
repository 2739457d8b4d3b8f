// The site simulator (`unspin-eval eval sites`, issue 20): N pages of one site,
// spun by one `table`-style table (eval/spin_table.h: every occurrence, one
// alternative per group per page), learned with unspin::SiteLearner, and
// measured against the simulator's true table.
//
// The table's groups are split into two disjoint halves by a hash of their
// original: sites of the build part are spun with half 0 (what the learner's
// weights are fitted on, `--fit`), sites of the eval part with half 1, so no
// group that fitted a weight spins an evaluated site, and no page either.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "eval/corpus.h"
#include "eval/score.h"
#include "eval/spinner.h"
#include "unspin/restore.h"

namespace unspin::eval {

// The groups of `table` in half `half` (0 or 1), in file order.
GroupTable table_half(const GroupTable& table, int half);
// One of the two quarters of a half (quarter 0 or 1): a split inside a fit's
// own half, so that a fit can be validated on groups it never saw without
// touching the other half.
GroupTable table_quarter(const GroupTable& table, int half, int quarter);

struct SiteConfig {
  std::vector<std::size_t> sizes{10, 50, 200, 1000};  // learning pages, each a prefix of the next
  std::size_t heldout = 100;                          // further pages of the site, never learned from
  std::size_t page_words = 300;
  double intensity = 1.0;
  // The engine that spins the site: kTable (the plugin engine) or kSymmetric
  // (the article rewriter, the same table's lines used both ways; issue 32
  // item 4 fits on one and evaluates on the other).
  SpinStyle style = SpinStyle::kTable;
  std::uint64_t seed = 1;    // which pages, in which order, and the spinner's per-page choices
  Part part = Part::kEval;   // build: half 0 of the groups; eval: half 1
  double min_prior = 0.5;    // pairs counted as learned (pair precision, coverage)
  double table_prior = 0.5;  // pairs written to the learned table the pages are restored with
  unsigned threads = 0;
  // When set: the site's spun learning pages are written here as JSON lines
  // {"id", "url": "https://site-SEED.example/ID", "text"} (what `unspin learn
  // --jsonl` reads; bench/learn_scale.sh), and nothing is measured.
  std::string write_pages;
  // When set (build part only): every scored pair of every size is appended
  // here, one line each: seed, pages, original, spun, in the true table,
  // x[0..9], the pair's sums (harness/fit/fit_site_learner.py fits on them).
  std::string samples;
};

// One point of the learning curve.
struct SitePoint {
  std::size_t pages = 0;
  std::size_t candidates = 0;                         // pairs the learner scored
  std::size_t learned = 0;                            // pairs with prior >= min_prior
  std::size_t learned_true = 0;                       // of them, in the true table
  std::size_t heldout_gold = 0, heldout_covered = 0;  // held-out substitutions; with their pair learned
  QualityCounts learning_learned, learning_alone;     // restoration of the learning pages
  QualityCounts heldout_learned, heldout_alone;       // of the held-out pages
  // Held-out restoration as the edit threshold (--min-confidence) moves:
  // threshold -> counts (the shipped 0.5 is the figures above).
  std::map<double, QualityCounts> heldout_curve_learned, heldout_curve_alone;
  // Learning never hurts, on more sites of this size than one: the learning
  // pages cut into `sites` disjoint sites of `pages` pages each (the first
  // is the one above), each restored cross-fitted, and each held-out page
  // restored with the table of one of them (page j: site j mod sites). One
  // site of 10 pages has ~17 edits alone; 100 of them, ~1,700.
  std::size_t sites = 0;
  QualityCounts sites_learning_learned, sites_learning_alone, sites_heldout_learned, sites_heldout_alone;
  double pair_precision() const { return learned ? double(learned_true) / learned : 1.0; }
  double coverage() const { return heldout_gold ? double(heldout_covered) / heldout_gold : 0.0; }
};

struct SiteResults {
  SiteConfig config;
  std::size_t table_groups = 0;  // groups of the half in use
  std::vector<SitePoint> points;
  // Every scored pair of every point: (prior, in the true table), for reliability.
  std::vector<std::pair<double, bool>> priors;
  double seconds = 0;
  std::size_t peak_rss_kb = 0;
};

using SiteProgress = std::function<void(const std::string& line)>;

// The edit thresholds of SitePoint's curves.
inline const std::vector<double> kSiteThresholds = {0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
// The highest recall at a threshold whose precision is at least `precision`
// (0 when none), and that threshold (-1 when none).
std::pair<double, double> recall_at_precision(const std::map<double, QualityCounts>& curve, double precision);

// Runs one site. `docs`: the part's documents (config.part); `learner` on `models`.
SiteResults run_site(const SiteConfig& config, const SpinnerData& data, const std::vector<CorpusDoc>& docs,
                     const Models& models, const SiteLearner& learner, const SiteProgress& progress = {});

struct PriorBin {
  double lo, hi;
  std::size_t n = 0;
  double mean_prior = 0, share_true = 0;
};
std::vector<PriorBin> prior_bins(const std::vector<std::pair<double, bool>>& priors);

std::string sites_markdown(const std::vector<SiteResults>& results);
std::string sites_json(const std::vector<SiteResults>& results);
// Learning curves: held-out recall and precision, learned and alone, and pair precision, by pages (log scale).
std::string sites_svg(const std::vector<SiteResults>& results);

}  // namespace unspin::eval
