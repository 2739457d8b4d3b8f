// Learning a site's spinner table from its pages (`unspin learn`,
// docs/ARCHITECTURE.md "The site learner").
//
//   unspin::SiteLearner learner(*models);
//   unspin::SiteCounts site;
//   for (page : pages) site.merge(learner.observe(page.text, page.url));  // any order, any thread
//   std::vector<unspin::LearnedPair> table = learner.table(site, 0.5);
//   std::string tsv = unspin::learned_table_text(table, site.pages(), "example.com");
//
// The learner is a model one can write down. Each page is decoded alone (the
// spinner model over the lexicon stack's candidates); for every candidate
// pair o -> s the page adds sums (SiteCounts): the page, its words, the
// occurrences of s and of o written as o, the occurrences restored, the
// entry's posterior, whether o is absent where s is written; and the same
// restored counts in one of 8 folds fixed by a hash of the page's key. Sums
// merge, so partitions of a crawl are counted apart and added. From the sums,
// each pair gets features — the share of folds in which it is the form's most
// restored original (agreement), the original's deficit log10((n_o + 1/2) /
// (E n_o + 1/2)) and the form's surplus against the LM's unigram
// expectation on the same pages, the mean posterior, the restored share, the
// share of pages without o, its share of the form's restorations, and the
// number of pages — and its prior is a logistic of them,
//   P(o -> s in the site's table) = sigmoid(w . x),
// w fitted on simulated sites of the build part against the simulator's true
// table (`unspin eval sites --fit`; src/decode/site_learner.h holds w).
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "unspin/restore.h"

namespace unspin {

inline constexpr std::size_t kLearnFolds = 8;

// The sums one pair accumulates over a site's pages.
struct PairCounts {
  double pages = 0;       // pages where o -> s was a candidate
  double words = 0;       // their words
  double spun = 0;        // occurrences of s written on them
  double unspun = 0;      // occurrences of o written as o on them
  double restored = 0;    // occurrences the page's decoder restored (posterior >= 1/2)
  double posterior = 0;   // sum of the entry's posterior
  double consistent = 0;  // pages with s written and o never
  std::array<double, kLearnFolds> fold_restored{};
  std::array<double, kLearnFolds> fold_posterior{};
  std::array<double, kLearnFolds> fold_pages{};
  void add(const PairCounts& other);
};

// A site's evidence: sums over its pages, mergeable in any order.
class SiteCounts {
 public:
  std::size_t pages() const { return pages_; }
  std::size_t words() const { return words_; }
  // key: original + '\t' + spun
  const std::unordered_map<std::string, PairCounts>& pairs() const { return pairs_; }
  std::unordered_map<std::string, PairCounts>& pairs() { return pairs_; }
  void add_page(std::size_t words) {
    ++pages_;
    words_ += words;
  }
  void merge(const SiteCounts& other);
  // A text form ("# unspin site-counts v1 pages=N words=W", then one line
  // per pair) for moving counts between processes; parse() reads it back
  // and throws Error(kBadData) on anything else.
  std::string serialize() const;
  static SiteCounts parse(std::string_view text);

 private:
  std::size_t pages_ = 0, words_ = 0;
  std::unordered_map<std::string, PairCounts> pairs_;
};

// One candidate pair's features (the logistic's inputs), for fitting.
inline constexpr std::size_t kLearnFeatures = 10;
struct PairFeatures {
  std::string original, spun;
  std::array<double, kLearnFeatures> x{};  // x[0] = 1 (intercept)
  double restored = 0;
};

class SiteLearner {
 public:
  explicit SiteLearner(const Models& models, RestoreOptions options = {});
  ~SiteLearner();
  SiteLearner(const SiteLearner&) = delete;
  SiteLearner& operator=(const SiteLearner&) = delete;

  // One page's counts (pages() == 1), its fold fixed by `page_key` (the
  // URL, an id; empty: the text). Thread-safe. Throws Error for input
  // Restorer::run() refuses.
  SiteCounts observe(std::string_view page, std::string_view page_key) const;
  // Every pair with at least one restoration, with its features.
  std::vector<PairFeatures> features(const SiteCounts& site) const;
  // The learned table: pairs whose prior is at least `min_prior`, strongest first.
  std::vector<LearnedPair> table(const SiteCounts& site, double min_prior = 0.5) const;
  // The pair's prior: the probability that the site's table holds it,
  // sigmoid of the boosted trees of decode/site_learner_trees.h over its
  // features.
  double prior(const PairFeatures& features) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The file of docs/SCHEMA.md §9: "# unspin learned-table v1 pages=N[ site=HOST]",
// then original<TAB>spun<TAB>prior<TAB>count.
std::string learned_table_text(const std::vector<LearnedPair>& pairs, std::size_t pages,
                               const std::string& site = "");

// The site of a URL: its host, lowercased, without port, user info or a
// leading "www."; empty when `url` has none.
std::string site_of_url(std::string_view url);

}  // namespace unspin
