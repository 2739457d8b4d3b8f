// The site learner's inside (include/unspin/restore.h, SiteLearner): the
// sums a page adds (SiteCounts::Sums), a candidate pair's features and its
// prior. The learner reads them, and so does the harness's fit
// (harness/eval/sites.cpp, harness/fit/fit_site_learner.py).
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
// table (harness/fit/fit_site_learner.py; the model bundle's site_prior trees).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "unspin/lm.h"
#include "unspin/restore.h"

namespace unspin::fitted {
class BoostedTrees;  // fitted/trees.h
}  // namespace unspin::fitted

namespace unspin {
namespace decode {

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
// The fitted pair prior reads these features: a change of their meaning
// must bump fitted::kFeatureVersion (fitted/bundle_format.h) and refit the
// bundle's site_prior trees (harness/fit/fit_site_learner.py).
inline constexpr std::size_t kLearnFeatures = 15;
struct PairFeatures {
  std::string original, spun;
  std::array<double, kLearnFeatures> x{};
  double restored = 0;  // occurrences restored (fill-in only: the form's excess over the LM)
};

// Every pair of `site` with at least one restoration, and every fill-in
// pair, with its features, sorted by original then spun. `lm`: the
// learner's (its models' LM).
std::vector<PairFeatures> pair_features(const LanguageModel& lm, const SiteCounts& site);
// The pair's prior: the probability that the site's table holds it, sigmoid
// of the boosted trees over its features (the model bundle's "site_prior",
// decode/fitted_params.h; fitted by harness/fit/fit_site_learner.py).
double pair_prior(const fitted::BoostedTrees& trees, const PairFeatures& features);

}  // namespace decode

// A site's sums (SiteCounts).
struct SiteCounts::Sums {
  std::size_t pages = 0, words = 0;
  // key: original + '\t' + spun
  std::unordered_map<std::string, decode::PairCounts> pairs;
  // Words written and the sampled contexts of the rarer ones (LM fill-in).
  std::unordered_map<std::string, decode::FormCounts> forms;
  std::unordered_map<std::string, std::vector<decode::FillContext>> contexts;

  void add_page(std::size_t page_words) {
    ++pages;
    words += page_words;
  }
  // Adds one context of `form` to its sample, keeping the kFillContexts
  // smallest of its fold (the same whatever the order of the calls).
  void add_context(const std::string& form, decode::FillContext context);
  void merge(const Sums& other);
};

}  // namespace unspin
