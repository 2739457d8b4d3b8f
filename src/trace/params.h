// The source score: a logistic model over alignment evidence (internal).
//
// Features of a (spun text, candidate source) alignment, each 0..1:
//   aligned          spun words matched or inside a substitution run
//   balanced         spun words matched or inside a run whose two sides have
//                    the same number of words (a word-for-word swap)
//   anchors          spun anchors (names, numbers) matched, of all spun anchors
//                    (0.5 when the text has none)
//   content          spun content words matched, of all spun content words
//   weakest_quarter  `aligned` of the worst of the spun text's four quarters (by
//                    words): a document sharing only part of the text (its
//                    first half, say) leaves one quarter unaligned however
//                    well the rest aligns
// score = 1 / (1 + exp(-(bias + sum w_i x_i))).
// The weights come from `unspin-eval eval trace --fit` on the BUILD part of the
// corpora (docs/TRACE.md gives the command and the data); the threshold in
// TraceOptions::source_threshold is the score the same run chose.
#pragma once

#include <array>

namespace unspin::trace {

struct SourceEvidence {
  double aligned = 0, balanced = 0, anchors = 0, content = 0, weakest_quarter = 0;
  std::array<double, 6> row() const { return {1.0, aligned, balanced, anchors, content, weakest_quarter}; }
};

// bias, aligned, balanced, anchors, content, weakest_quarter. Fitted by
//   unspin-eval eval trace --fit --l2 1 --archive fit.db --distractors 20000 --originals 100 --partial 40 --unseen 200
// (build part, seed 12: 21,159 candidates, 1,579 of them true sources, from
// every query kind including the "harsh" spinner; log loss 0.0014; true
// sources scored 0.73 at least, wrong candidates 0.48 at most). The L2
// penalty of 1 (not 0.01, which separates this data perfectly with weights
// several times as large) keeps the scores from saturating on evidence that
// a real spinner may shift. Without weakest_quarter and the harsh queries
// (the first fit) 22 true sources scored below 0.5 on this data.
inline constexpr std::array<double, 6> kSourceScoreWeights = {-15.980, 3.493, 4.808, 3.005, 2.509, 7.825};

double source_score(const SourceEvidence& evidence);
// The score before the logistic link: ranks candidates without saturating.
double source_logit(const SourceEvidence& evidence);

}  // namespace unspin::trace
