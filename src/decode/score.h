// The document score: the one place where evidence becomes a score and a
// verdict, for documents, windows and paragraphs alike, whether the screen
// or the full model gave the evidence.
//
// The detector (detect/detector.h) gives a natural-log likelihood ratio of
// spun against clean, log_lr. Parts of one text are independent evidence:
// their log-LRs add (a long document's windows; a paragraph cut by a window
// boundary). The score is the posterior at the base rate b (the prior share
// of spun documents):
//
//   score = P(spun | evidence) = sigmoid(log_lr + logit(b))
//
// and the verdict is "spun" at score >= the verdict threshold.
#pragma once

#include "unspin/restore.h"

namespace unspin::decode {

struct Score {
  double log_lr = 0;       // the evidence: natural log of P(evidence | spun) / P(evidence | clean)
  double probability = 0;  // P(spun | evidence) at the base rate
  Verdict verdict = Verdict::kClean;
};

Score score_of(double log_lr, double base_rate, double verdict_threshold);

}  // namespace unspin::decode
