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

// bias, aligned, balanced, anchors, content
inline constexpr std::array<double, 5> kSourceScoreWeights = {-12.0, 6.0, 6.0, 3.0, 6.0};

double source_score(const SourceEvidence& evidence);
// The score before the logistic link: ranks candidates without saturating.
double source_logit(const SourceEvidence& evidence);

}  // namespace unspin::trace
