// What Models holds besides its public members (include/unspin/restore.h,
// Models::parts): the screen's precomputed LM tables and the matchers of
// listed and unlisted tortured phrases. Built by Models::load
// (decode/models.cpp); copies of the models share them.
#pragma once

#include <memory>

#include "unspin/restore.h"

namespace unspin {

namespace detect {
class EvidenceModel;  // detect/evidence.h
}
namespace decode {
struct FittedParams;  // decode/fitted_params.h
}
namespace listed {
class Matcher;         // listed/matcher.h: the Paper Screener's listed tortured phrases
class UnlistedFinder;  // listed/unlisted.h: unlisted ones, from the list's recurring substitutions
}  // namespace listed

struct Models::Parts {
  // Every fitted parameter, from the model bundle (decode/fitted_params.h).
  // First: the evidence model below reads its word model's trees.
  std::shared_ptr<const decode::FittedParams> fitted;
  // What the document screen needs of the LM, precomputed once per model set
  // (detect/evidence.h); null: the first Restorer builds it.
  std::shared_ptr<const detect::EvidenceModel> evidence;
  // The listed tortured phrases (the Problematic Paper Screener's list built
  // in, docs/LEXICON.md); load() sets the built-in one (provenance role
  // "listed_phrases"). Not a user lexicon: it never changes the calibration.
  // The evaluation sets a matcher over its fitting part; null: none.
  std::shared_ptr<const listed::Matcher> listed;
  // Unlisted tortured phrases, learned from the same list (null: none).
  std::shared_ptr<const listed::UnlistedFinder> unlisted;
};

namespace decode {

// Each part of `models`; null when it has none.
inline std::shared_ptr<const detect::EvidenceModel> evidence_of(const Models& models) {
  return models.parts ? models.parts->evidence : nullptr;
}
inline const listed::Matcher* listed_of(const Models& models) {
  return models.parts ? models.parts->listed.get() : nullptr;
}
inline const listed::UnlistedFinder* unlisted_of(const Models& models) {
  return models.parts ? models.parts->unlisted.get() : nullptr;
}

}  // namespace decode
}  // namespace unspin
