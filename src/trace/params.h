// The source score: a logistic model over alignment evidence (internal).
//
// Features of a (spun text, candidate source) alignment, each 0..1:
//   aligned          spun words matched or inside a substitution run
//   balanced         spun words matched or inside a run whose two sides have
//                    the same number of words (a word-for-word swap)
//   anchors          spun anchors (names, numbers) matched, of all spun anchors
//                    (0.5 when the text has none)
//   content          spun content words matched, of all spun content words
// score = 1 / (1 + exp(-(bias + sum w_i x_i))).
// The weights come from `unspin eval trace --fit` on the BUILD part of the
// corpora (docs/TRACE.md gives the command and the data); the threshold in
// TraceOptions::source_threshold is the score the same run chose.
#pragma once

#include <array>

namespace unspin::trace {

struct SourceEvidence {
  double aligned = 0, balanced = 0, anchors = 0, content = 0;
  std::array<double, 5> row() const { return {1.0, aligned, balanced, anchors, content}; }
};

// bias, aligned, balanced, anchors, content. Fitted by
//   unspin eval trace --fit --l2 1 --archive fit.db --distractors 20000 --originals 100 --partial 40 --unseen 200
// (build part, seed 12: 18,480 candidates, 1,340 of them true sources; log
// loss 0.0026; the highest score of a wrong candidate was 0.19). The L2
// penalty of 1 (not 0.01, which separates this data perfectly with weights
// four times as large) keeps the scores from saturating on evidence that a
// real spinner may shift, e.g. a lower `balanced` from phrase rewriting.
inline constexpr std::array<double, 5> kSourceScoreWeights = {-19.184, 6.379, 7.964, 6.178, 3.638};

double source_score(const SourceEvidence& evidence);
// The score before the logistic link: ranks candidates without saturating.
double source_logit(const SourceEvidence& evidence);

}  // namespace unspin::trace
