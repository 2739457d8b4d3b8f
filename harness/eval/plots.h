// SVG figures for bench/RESULTS.md, written by hand (plain SVG 1.1, no
// dependencies): the precision-recall curve of each spinner style, and the
// reliability diagram of edit confidences and document scores.
#pragma once

#include <string>

#include "eval/runner.h"

namespace unspin::eval {

// Precision (y) against recall (x) as the edit threshold moves, one line per style.
std::string precision_recall_svg(const EvalResults& results, const std::string& system);
// Observed share against mean prediction per 0.1 bin, for edits and documents, beside the diagonal.
std::string reliability_svg(const EvalResults& results, const std::string& system);

}  // namespace unspin::eval
