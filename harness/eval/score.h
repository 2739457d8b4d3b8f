// Scoring a system's edits against the gold edits of a spun document, and
// detection figures over many documents.
//
// Matching: gold and system edits that overlap (transitively) form a region.
// A region's gold edits are "restored" and its system edits "correct" when
// the region's text with the system's edits applied equals the region with the
// gold edits undone (case-insensitively, whitespace runs as one space). This
// accepts an edit whose span equals the gold span and one that covers it
// exactly (extra words rewritten unchanged), and a tortured phrase restored
// word by word. Otherwise its gold edits are "changed" and its system edits
// "wrong". Gold edits no system edit touches are "missed"; system edits that
// touch no gold edit are "false edits" (on clean text, every edit is false).
// System edits that rewrite a span to itself are ignored.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "eval/spinner.h"
#include "unspin/restore.h"

namespace unspin::eval {

// What a system (the decoder or a baseline) says about one document.
struct SystemOutput {
  std::vector<Edit> edits;  // spans in the input, non-overlapping
  double score = 0;         // higher = more likely spun
  bool spun = false;        // the system's verdict at its shipped threshold
  // The edits carry calibrated confidences and include those below the
  // shipped threshold (the decoder run at a low --min-confidence): the runner
  // applies the thresholds, for the precision-recall curve and reliability.
  bool graded = false;
};

struct QualityCounts {
  std::size_t docs = 0, tokens = 0;
  std::size_t gold = 0, restored = 0, changed = 0, missed = 0;
  std::size_t edits = 0, correct_edits = 0, wrong_edits = 0, false_edits = 0;
  std::size_t covered = 0;  // gold edits whose original is among the lexicon's candidates
  // With per-gold coverage given to score_document: the same counts for the
  // gold edits whose original is a candidate, and the system edits that touch
  // only such gold edits.
  std::size_t covered_gold = 0, covered_restored = 0, covered_edits = 0, covered_correct_edits = 0;
  // Consistency (issue 9): forms the system edited at least once that the
  // document holds two or more times (case-insensitive, whole words) with the
  // same truth at every occurrence (all spun from one original, or all
  // natural), and those whose occurrences did not all get the same decision
  // (the same original, or all kept).
  std::size_t repeated_forms = 0, inconsistent_forms = 0;

  void add(const QualityCounts& other);
  double precision() const;  // correct / edits (1 when no edits)
  double recall() const;     // restored / gold (0 when no gold)
  double f1() const;
  double false_per_1k_tokens() const;
  double coverage() const;            // covered / gold
  double covered_recall() const;      // covered_restored / covered_gold
  double uncovered_recall() const;    // the rest
  double covered_precision() const;   // covered_correct_edits / covered_edits
  double inconsistent_share() const;  // inconsistent_forms / repeated_forms (0 when none)
};

// Scores one document. `tokens` is added to the counts as the document's size.
// Throws Error(kInternal) when an edit lies outside the text.
// `gold_covered` (optional, parallel to `gold`): whether each gold edit's
// original is among the candidates. `edit_correct` (optional): per system
// edit, 1 when it is correct, 0 when wrong or false, -1 when it rewrites its
// span to itself (ignored).
QualityCounts score_document(std::string_view spun, const std::vector<GoldEdit>& gold, const std::vector<Edit>& edits,
                             const std::vector<bool>* gold_covered = nullptr, std::vector<int>* edit_correct = nullptr);

struct DetectionSample {
  double score;
  bool spun_truth;
  bool spun_predicted;
};

struct DetectionFigures {
  std::size_t positives = 0, negatives = 0;
  double auc = 0;                  // ROC-AUC (ties count half); 0.5 when a class is empty
  double f1 = 0;                   // of the verdicts
  double false_positive_rate = 0;  // clean docs called spun
  double recall = 0;               // spun docs called spun
};
DetectionFigures detection_figures(const std::vector<DetectionSample>& samples);

// Lowercase, whitespace runs as one space, trimmed: the form restorations are compared in.
std::string comparable(std::string_view text);

}  // namespace unspin::eval
