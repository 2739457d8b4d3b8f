// The site learner's use of a learned table: a learned edit's calibrated
// confidence and the site operating point (the pair prior itself is
// decode::pair_prior over the model bundle's site_prior trees).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>

#include "unspin/restore.h"

namespace unspin::decode {

// LM fill-in (decode/site_counts.h, docs/ARCHITECTURE.md "The site
// learner"). Set by hand, then the form limits chosen among three settings
// measured on build-part sites 21-22 (400 forms at 10^0.6, 1,500 at 10^0.6,
// 3,000 at 10^0.3: bench/RESULTS.md), each with the trees and calibration
// refitted on other build sites. Nothing here saw the eval part.
// - contexts are sampled (SiteCounts) only of forms whose LM log10
//   probability is at most this (a spun form is rarer than the LM's most
//   common words and phrases, which are every page's);
inline constexpr double kFillMaxUnigramLog10 = -3.0;
// - forms are words and phrases of up to kFillMaxFormWords words (a phrase's
//   words plain: no name, no possessive), a phrase's rarity the LM's chain
//   P(w1) P(w2 | w1) (the originals are words);
inline constexpr std::size_t kFillMaxFormWords = 2;
// - a form is filled in when the site writes it at least kFillMinCount
//   times, kFillMinExcess more than its expectation were it natural and
//   10^kFillMinSurplusLog10 times as often (a word: the LM's unigram over
//   the site's words; a phrase: also what each of its words' counts on the
//   site explain, count(w) P(phrase) / P(w), so "approximately the" is no
//   phrase form when "approximately" is the spun word); the
//   kFillMaxForms largest excesses;
inline constexpr double kFillMinCount = 4, kFillMinExcess = 3, kFillMinSurplusLog10 = 0.3;
inline constexpr std::size_t kFillMaxForms = 3000;
// - an original is one of the LM's words the site's words should hold at
//   least kFillMinExpected times, written at most 10^kFillMaxDeficitLog10
//   of that; the kFillMaxOriginals with the most missing occurrences;
inline constexpr double kFillMinExpected = 3, kFillMaxDeficitLog10 = -0.5;
inline constexpr std::size_t kFillMaxOriginals = 1500;
// - each form's sampled contexts are explained by each original in turn
//   (decode/site_counts.h, PairFeatures x[10..11]); a pair's margin is
//   clamped to +-kFillMaxMargin log10 units, and the features take these
//   values when the pair was not filled in: kFillNotFilled (the form was not
//   filled in), kFillNotOriginal (the form was, o is no deficit original).
inline constexpr double kFillMaxMargin = 30, kFillNotFilled = -32, kFillNotOriginal = -31;

// A learned edit's confidence: the probability that restoring this
// occurrence of s to o is right, a logistic over what the decoder knows of it,
//   P(right) = sigmoid(b0 + b1 logit(prior) + b2 logit(raw) + b3 mean_delta
//                      + b4 [o written] + b5 log10 pages),
// prior the pair's learned probability of being in the site's table, raw the
// spinner model's posterior for the occurrence (which already weighs the
// prior, the LM's evidence at this occurrence and the page's other
// occurrences), mean_delta the entry's mean log10 LM gain over the page
// (clamped to +-3), [o written] whether the original also occurs unspun on
// the page (a phrase-table spinner would have replaced it), pages the pages
// the table was learned from (its header; a larger site's table holds more
// pairs at a given prior that are not the spinner's, so a prior is worth a
// little less there; unknown: 1,000, the largest fitted). Both kinds of
// error it prices: a pair not in the table, and a natural occurrence of a
// table pair's spun form. Fitted on held-out pages of simulated build-part
// sites whose pair priors came from the trees (the bundle's site_prior)
// fitted on other sites (`UNSPIN_SITES_DECISIONS=FILE unspin-eval eval sites
// --part build --seeds 18 19 20`, the trees fitted on sites 11-17: 22,245
// learned-pair decisions of 3 sites x 4 sizes; `harness/fit/fit_learned_edit.py`;
// bench/RESULTS.md). Left out one site at a time, edits at >= 0.9 were right
// 0.976 / 0.973 / 0.959 / 0.961 of the time at 10 / 50 / 200 / 1,000 pages.
// The weights b are the model bundle's "site.learned_edit_weights"
// (SpinnerModelParams::learned_edit_weights; docs/LM.md).
inline double learned_edit_confidence(const std::array<double, 6>& b, double prior, double raw, double mean_delta,
                                      bool original_written, std::size_t table_pages) {
  const auto logit = [](double p) {
    p = std::clamp(p, 1e-4, 1 - 1e-4);
    return std::log(p / (1 - p));
  };
  const double pages = table_pages > 0 ? static_cast<double>(table_pages) : 1000.0;
  const double z = b[0] + b[1] * logit(prior) + b[2] * logit(raw) + b[3] * std::clamp(mean_delta, -3.0, 3.0) +
                   b[4] * (original_written ? 1.0 : 0.0) + b[5] * std::log10(pages);
  return 1.0 / (1.0 + std::exp(-z));
}

// A generic edit with a site's learned table loaded: an edit the page's own
// evidence makes on a lexicon pair the table does not hold (rule
// UNSPIN_SUBSTITUTION). Its confidence off a site, c (the decoder's edit
// curve), does not say how often it is right on a site whose table was
// learned: the right pairs are the ones the table takes, more of them the
// more pages it was learned from, while the page's own evidence stands on
// a small site. The probability that it is right,
//   P(right) = sigmoid(a0 + a1 logit(c) + a2 log10 pages),
// pages those the table was learned from (its header; unknown: 1,000).
// Fitted on the generic decisions at c >= 0.5 of the cross-fitted learning
// pages of simulated build-part sites 18-20 at 10 / 50 / 200 / 1,000 pages
// (`UNSPIN_SITES_GENERIC=FILE unspin-eval eval sites --part build --seeds 18 19
// 20`, `harness/fit/fit_site_generic_edit.py`: 11,211 decisions, right 0.84 /
// 0.70 / 0.50 / 0.36 of the time by site size; bench/RESULTS.md). Left out
// one site at a time, those it puts at >= 0.9 were right 0.936 (1,162, at
// 10 pages; a handful at larger sites).
// The weights a are the model bundle's "site.generic_edit_weights"
// (SpinnerModelParams::site_generic_edit_weights; docs/LM.md).
inline double site_generic_edit_confidence(const std::array<double, 3>& a, double confidence, std::size_t table_pages) {
  const double c = std::clamp(confidence, 1e-4, 1 - 1e-4);
  const double pages = table_pages > 0 ? static_cast<double>(table_pages) : 1000.0;
  const double z = a[0] + a[1] * std::log(c / (1 - c)) + a[2] * std::log10(pages);
  return 1.0 / (1.0 + std::exp(-z));
}

// The site operating point: with a learned table loaded, an edit is applied
// when its confidence is at least this (and the run's min_confidence), i.e.
// a false edit costs nine missed restorations. Learned edits' confidence is
// calibrated (above); on build-part sites those at >= 0.9 were right 94-98%
// of the time at every site size, those at 0.5-0.9 only 60-80%. The page's
// other edits (generic lexicon pairs the learned table does not hold) were
// right only 34-78% at >= 0.5 once a table was learned (the table takes the
// pairs that are right; fewer remain right the more pages it was learned
// from), far below what their confidence says off a site. Edits below it
// stay review spans (bench/RESULTS.md).
inline constexpr double kSiteApplyConfidence = 0.9;

}  // namespace unspin::decode
