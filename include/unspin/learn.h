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
// restored counts in one of 8 folds fixed by a hash of the page's key. The
// page also adds how often it writes each word and two-word phrase
// (FormCounts) and, for those rarer than the LM's most common ones, a
// bounded sample of their contexts (the kFillContexts with the smallest hash
// in each fold, so the sample of merged counts is the sample of one run).
// Sums and samples merge, so partitions of a crawl are counted apart and
// added.
//
// From the sums, two sources of candidate pairs. The decoder's: every pair a
// page restored. LM fill-in (for originals no lexicon lists): a form (a word,
// or a phrase of two) with a surplus over the site's words (far more frequent
// than the LM expects it, and a phrase than its words' own counts explain)
// is explained by every original with a deficit (far rarer than
// expected: a table original vanishes from every page) in turn: each sampled
// context is natural or that original spun, scored by the trigram LM over the
// two words on each side against the unigram, and the log10 likelihood
// ratios add over the contexts; the original of the largest ratio, when it
// beats "every occurrence natural", is a candidate. Each pair gets
// features (fold agreement of the decoder's restorations, the original's
// deficit log10((n_o + 1/2) / (E n_o + 1/2)) and the form's surplus, the mean
// posterior, the restored share, the share of pages without o, its share of
// the form's restorations, the pages; the fill-in margin over the next
// original and the ratio per context, whether only fill-in proposed it, the
// form's excess over the original's missing occurrences, the form's words),
// and its prior is boosted regression
// trees over them,
//   P(o -> s in the site's table) = sigmoid(F(x)),
// F fitted on simulated sites of the build part against the simulator's true
// table (harness/fit/fit_site_learner.py; decode/site_learner_trees.h).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "unspin/restore.h"

namespace unspin {

inline constexpr std::size_t kLearnFolds = 8;
// The prior a pair needs to be kept in a learned table by default (`learn --min-prior`, --same-source).
inline constexpr double kLearnMinPrior = 0.5;

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

// How often a site writes one word (folded), for the deficit and surplus of
// LM fill-in.
struct FormCounts {
  double count = 0;  // occurrences
  double pages = 0;  // pages writing it
};

// One sampled context of a written word: two words each side ("<s>" and
// "</s>" at a sentence's ends), the page's fold, and a hash of the page's
// key and the word's position that orders the sample.
struct FillContext {
  std::uint64_t hash = 0;
  std::uint32_t fold = 0;
  std::array<std::string, 4> words;  // w-2, w-1, w+1, w+2
  bool operator<(const FillContext& o) const {
    return hash != o.hash ? hash < o.hash : fold != o.fold ? fold < o.fold : words < o.words;
  }
  bool operator==(const FillContext& o) const { return hash == o.hash && fold == o.fold && words == o.words; }
};

// Contexts kept per word and fold (the smallest hashes): a bounded sample.
inline constexpr std::size_t kFillContexts = 8;

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
  // Words written and the sampled contexts of the rarer ones (LM fill-in).
  const std::unordered_map<std::string, FormCounts>& forms() const { return forms_; }
  std::unordered_map<std::string, FormCounts>& forms() { return forms_; }
  const std::unordered_map<std::string, std::vector<FillContext>>& contexts() const { return contexts_; }
  // Adds one context of `form` to its sample, keeping the kFillContexts
  // smallest of its fold (the same whatever the order of the calls).
  void add_context(const std::string& form, FillContext context);
  void merge(const SiteCounts& other);
  // A text form ("# unspin site-counts v2 pages=N words=W", then one line
  // per pair, "~f" lines of written words and "~c" lines of sampled
  // contexts; docs/SCHEMA.md §9b) for moving counts between processes;
  // parse() reads it back (v1 files, without words, too) and throws
  // Error(kBadData) on anything else.
  std::string serialize() const;
  static SiteCounts parse(std::string_view text);

 private:
  std::size_t pages_ = 0, words_ = 0;
  std::unordered_map<std::string, PairCounts> pairs_;
  std::unordered_map<std::string, FormCounts> forms_;
  std::unordered_map<std::string, std::vector<FillContext>> contexts_;
};

// One candidate pair's features (the trees' inputs), for fitting: x[0] = 1,
// x[1..9] from the decoder's sums; LM fill-in (when the form s was filled in
// and o is one of the deficit originals; decode/site_learner.h gives the
// values otherwise): x[10] the margin, log10 of the likelihood ratio of s's
// sampled contexts with o as their original over that of the best other
// original (positive: o explains them best), x[11] that log10 ratio against
// "every occurrence natural", per context; x[12] 1 when only
// fill-in proposed the pair, x[13] the balance log10((excess of s + 1) /
// (missing occurrences of o + 1)) over the site's words (a form's excess
// comes from its originals' missing occurrences); x[14] the words of s
// after the first (fill-in reads phrases of two words too).
inline constexpr std::size_t kLearnFeatures = 15;
struct PairFeatures {
  std::string original, spun;
  std::array<double, kLearnFeatures> x{};
  double restored = 0;  // occurrences restored (fill-in only: the form's excess over the LM)
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
  // Every pair with at least one restoration, and every fill-in pair, with its features.
  std::vector<PairFeatures> features(const SiteCounts& site) const;
  // The learned table: pairs whose prior is at least `min_prior`, strongest first.
  std::vector<LearnedPair> table(const SiteCounts& site, double min_prior = kLearnMinPrior) const;
  // The pair's prior: the probability that the site's table holds it,
  // sigmoid of the boosted trees of decode/site_learner_trees.h over its
  // features.
  double prior(const PairFeatures& features) const;
  // The fold observe() puts a page's counts in: a hash of `page_key`, or of
  // the text when the key is empty.
  static std::size_t fold_of(std::string_view page, std::string_view page_key);

  // One site's pages restored with what is learned from them (`restore
  // --same-source`), cross-fitted: the pages of each fold are restored with
  // the table (pairs at >= min_prior) learned from the other folds' pages,
  // so that no edit is judged by a prior its own page's evidence went into.
  // (One table learned from every page and used on those same pages makes
  // confident edits right less often than their confidence says, most at
  // small sites; bench/RESULTS.md.) A fold whose table is empty is restored
  // as each page alone. Restored with `options`; the learner's models.
  struct SiteRestoration {
    std::vector<BatchResult> results;  // page by page; an error for a page the restorer refuses
    // Each fold's models: the learner's and the table of the other folds (null: none was learned,
    // the fold's pages were restored alone).
    std::array<std::shared_ptr<const Models>, kLearnFolds> fold_models;
    bool learned() const {
      return std::any_of(fold_models.begin(), fold_models.end(), [](const auto& m) { return m != nullptr; });
    }
  };
  SiteRestoration restore(const std::vector<std::string_view>& pages, const std::vector<std::string_view>& keys,
                          const RestoreOptions& options, double min_prior, unsigned threads) const;
  // The same for pages already observed: counts[i] = observe(pages[i], key
  // of page i), folds[i] = fold_of(pages[i], key of page i).
  SiteRestoration restore(const std::vector<std::string_view>& pages, const std::vector<SiteCounts>& counts,
                          const std::vector<std::size_t>& folds, const RestoreOptions& options, double min_prior,
                          unsigned threads) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// The file of docs/SCHEMA.md §9: "# unspin learned-table v1 pages=N[ site=HOST]",
// then original<TAB>spun<TAB>prior<TAB>count.
std::string learned_table_text(const std::vector<LearnedPair>& pairs, std::size_t pages, const std::string& site = "");

// The site of a URL: its host, lowercased, without port, user info or a
// leading "www."; empty when `url` has none.
std::string site_of_url(std::string_view url);

}  // namespace unspin
