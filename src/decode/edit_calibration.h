// How likely a decoder edit is to be right: one calibration per source of the
// edit's pair, chosen by the source (docs/ARCHITECTURE.md, "Where each
// decision is made").
//
//   source         rule                  calibration (fitted where)
//   lexicon        UNSPIN_SUBSTITUTION   the edit curve over the model's posterior (decode/params.h);
//                                        with a learned table loaded, then the site's (site_learner.h)
//   user table     UNSPIN_TABLE          the user-table edit curve (decode/params.h)
//   learned table  UNSPIN_LEARNED        logistic in the pair's learned prior, the posterior, the
//                                        entry's LM gain, pages (site_learner.h)
//
// The edits of the other sources carry their own single calibration: listed
// tortured phrases (decode/listed_edits.cpp, kListedConfidence), unlisted
// suspects (listed/unlisted.h) and the archive's alignments (trace/tracer.cpp).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "decode/spinner_model.h"

namespace unspin::decode {

enum class EditSource { kLexicon, kUserTable, kLearnedTable };

// A pair's source from its lexicon source bits: a user's table first, then a
// learned table, else the lexicon.
EditSource edit_source(std::uint32_t lexicon_sources);
// The edit's rule id (docs/SCHEMA.md §3).
std::string_view edit_rule(EditSource source);

// What the calibrations read of one occurrence.
struct EditEvidence {
  double posterior = 0;           // the spinner model's posterior that the span is spun from this original
  double pair_prior = 0;          // the pair's prior in its table (a learned table: P(the table holds it))
  double mean_delta = 0;          // the entry's mean LM gain (log10) over the document
  bool original_written = false;  // the original is written unspun somewhere in the document
};

// The lexicon's generic pairs: P(right) from the posterior by the fitted
// edit curve; on a site whose table was learned, that confidence is judged
// again for the site (site_generic_edit_confidence).
class LexiconEditCalibration {
 public:
  LexiconEditCalibration(const SpinnerModelParams& params, bool site_table, std::size_t site_pages)
      : curve_(params.edit_curve),
        scale_(params.edit_scale),
        bias_(params.edit_bias),
        site_table_(site_table),
        site_pages_(site_pages),
        site_weights_(params.site_generic_edit_weights) {}
  double off_site(double posterior) const;  // the edit curve alone
  double confidence(const EditEvidence& e) const;

 private:
  std::vector<std::pair<double, double>> curve_;  // isotonic knots; empty: the logistic below
  double scale_, bias_;
  bool site_table_;
  std::size_t site_pages_;
  std::array<double, 3> site_weights_;
};

// A user's spinner table: P(right) from the posterior by the user-table curve.
class UserTableEditCalibration {
 public:
  explicit UserTableEditCalibration(const SpinnerModelParams& params)
      : curve_(params.user_edit_curve), scale_(params.user_edit_scale), bias_(params.user_edit_bias) {}
  double confidence(const EditEvidence& e) const;

 private:
  std::vector<std::pair<double, double>> curve_;
  double scale_, bias_;
};

// A learned table's pairs (learned_edit_confidence).
class LearnedTableEditCalibration {
 public:
  LearnedTableEditCalibration(const std::array<double, 6>& weights, std::size_t table_pages)
      : weights_(weights), table_pages_(table_pages) {}
  double confidence(const EditEvidence& e) const;

 private:
  std::array<double, 6> weights_;
  std::size_t table_pages_;
};

// The calibrations of one model set, and the confidence an edit needs to be
// applied.
class EditCalibrations {
 public:
  // `learned_pairs`, `learned_pages`: of the learned tables loaded (Models).
  EditCalibrations(const SpinnerModelParams& params, std::size_t learned_pairs, std::size_t learned_pages,
                   double min_confidence);
  double confidence(EditSource source, const EditEvidence& e) const;
  const LexiconEditCalibration& lexicon() const { return lexicon_; }
  // min_confidence; with a learned table loaded, at least the site operating
  // point (kSiteApplyConfidence: a site's restoration is precision first).
  double apply_threshold() const { return apply_threshold_; }

 private:
  LexiconEditCalibration lexicon_;
  UserTableEditCalibration user_;
  LearnedTableEditCalibration learned_;
  double apply_threshold_;
};

}  // namespace unspin::decode
