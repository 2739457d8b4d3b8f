// The site learner's fitted weights (include/unspin/learn.h): the logistic
// P(pair in the site's table) = sigmoid(w . x) over the features of
// SiteLearner::features, x = [1, fold agreement, original's deficit, form's
// surplus, mean posterior, restored share, share of pages without the
// original, share of the form's restorations, log10 pages with the pair,
// log10 pages of the site]. Fitted by `unspin eval sites --part build --fit`
// on simulated sites of the build part (table style, intensity 1, one half of
// the table's groups) against the simulator's true table; nothing from the
// eval part.
#pragma once

#include <array>

#include "unspin/learn.h"

namespace unspin::decode {

// `unspin eval sites --part build --fit --seeds 11 12 13 --heldout 50` (13,299 pairs of 3 sites x 4 sizes).
inline constexpr std::array<double, kLearnFeatures> kSiteLearnerWeights = {
    -4.0565, 0.42386, 1.1161, -0.28026, 2.43, 1.7284, 3.2241, 0.90261, 4.3351, -2.1094};

}  // namespace unspin::decode
