#include "decode/edit_calibration.h"

#include <algorithm>
#include <cmath>

#include "decode/params.h"
#include "decode/pipeline.h"
#include "decode/site_learner.h"
#include "unspin/lexicon.h"

namespace unspin::decode {
namespace {

double logit(double p) {
  p = std::clamp(p, 1e-12, 1 - 1e-12);
  return std::log(p / (1 - p));
}

}  // namespace

EditSource edit_source(std::uint32_t lexicon_sources) {
  if (lexicon_sources & kSourceUser) return EditSource::kUserTable;
  if (lexicon_sources & kSourceLearned) return EditSource::kLearnedTable;
  return EditSource::kLexicon;
}

std::string_view edit_rule(EditSource source) {
  switch (source) {
    case EditSource::kUserTable: return "UNSPIN_TABLE";
    case EditSource::kLearnedTable: return "UNSPIN_LEARNED";
    case EditSource::kLexicon: break;
  }
  return "UNSPIN_SUBSTITUTION";
}

double LexiconEditCalibration::off_site(double posterior) const {
  return !curve_.empty() ? interpolate_curve(curve_, posterior) : sigmoid(scale_ * logit(posterior) + bias_);
}

double LexiconEditCalibration::confidence(const EditEvidence& e) const {
  const double c = off_site(e.posterior);
  return site_table_ ? site_generic_edit_confidence(site_weights_, c, site_pages_) : c;
}

double UserTableEditCalibration::confidence(const EditEvidence& e) const {
  return !curve_.empty() ? interpolate_curve(curve_, e.posterior) : sigmoid(scale_ * logit(e.posterior) + bias_);
}

double LearnedTableEditCalibration::confidence(const EditEvidence& e) const {
  return learned_edit_confidence(weights_, e.pair_prior, e.posterior, e.mean_delta, e.original_written, table_pages_);
}

EditCalibrations::EditCalibrations(const SpinnerModelParams& params, std::size_t learned_pairs,
                                   std::size_t learned_pages, double min_confidence)
    : lexicon_(params, learned_pairs > 0, learned_pages),
      user_(params),
      learned_(params.learned_edit_weights, learned_pages),
      apply_threshold_(learned_pairs > 0 ? std::max(min_confidence, kSiteApplyConfidence) : min_confidence) {}

double EditCalibrations::confidence(EditSource source, const EditEvidence& e) const {
  switch (source) {
    case EditSource::kUserTable: return user_.confidence(e);
    case EditSource::kLearnedTable: return learned_.confidence(e);
    case EditSource::kLexicon: break;
  }
  return lexicon_.confidence(e);
}

}  // namespace unspin::decode
