// The decoder's stages for one or more documents, exposed to the library's
// own tools (the evaluation harness fits the spinner model's calibration on
// them). Users go through unspin::Restorer.
//
//   prepare  tokens -> sentences -> lattice of candidate originals per span,
//            each scored by the LM in the written context (Delta)
//   decode   the spinner model (decode/spinner_model.h) over the document's
//            candidate entries; then each span is re-scored in the context of
//            its neighbours' restorations and the model evaluated again;
//            with several documents of one source, entries pool their evidence
//   finish   non-overlapping edits above min_confidence, restored text,
//            calibrated document score, verdict, reasons, paragraph scores
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "decode/document.h"
#include "decode/edit_calibration.h"
#include "detect/detector.h"
#include "decode/lattice.h"
#include "decode/params.h"
#include "decode/spinner_model.h"
#include "decode/windows.h"
#include "unspin/restore.h"

namespace unspin::decode {

struct ArcRef {
  std::uint32_t sentence;
  const Arc* arc;
};

struct DocumentState {
  TokenizedText text;
  std::vector<Sentence> sentences;
  std::vector<Lattice> lattices;
  std::size_t eligible = 0, words = 0, known_words = 0;
  // How often each phrase the model asks about (the arcs' originals and spun
  // forms, a user table's originals) is written, as folded words of <= 4.
  std::unordered_map<std::string, int> written;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> paragraphs;  // byte ranges
  std::vector<std::string> allowed_seen;                            // --allow entries that silenced a span
  SpinnerModel model{SpinnerModelParams{}};
  std::vector<ArcRef> arcs;  // parallel to model.occurrences()
  ModelResult result;
};

// A candidate edit: one occurrence of the model, with its posterior.
struct Decision {
  std::size_t sentence;
  const Arc* arc;
  std::uint32_t occurrence;            // index into the document's model occurrences
  std::uint32_t byte_begin, byte_end;  // spun span in the input
  double raw;                          // the model's posterior
  EditSource source;                   // where the pair came from: picks the calibration and the rule
  double confidence;                   // calibrated posterior that the edit is right (edit_calibration.h)
};

// Keeps, greedily by confidence, decisions whose spans do not overlap (within
// a sentence, by word position); returns them in text order. These are the
// edits a document can get (finish() then applies those above min_confidence).
std::vector<Decision> select_non_overlapping(std::vector<Decision> decisions);

// Paragraphs (docs/SCHEMA.md §5) as byte ranges: blank-line separated;
// without blank lines, one per line when lines are long, else the whole text.
ByteRanges find_paragraphs(std::string_view text);

// Piecewise-linear interpolation through increasing knots (x, y), constant
// beyond the ends: the isotonic calibration curve.
double interpolate_curve(const std::vector<std::pair<double, double>>& knots, double x);

// What the document score is calibrated on: the spinner model's Bayes
// factor and the length.
struct DetectionEvidence {
  double log10_bf, log10_words;
  // log10 BF against clean text of the same length (DetectionCalibration's
  // null knots); log10_bf itself without them.
  double null_z;
};
DetectionEvidence detection_evidence(const ModelResult& result, std::size_t words,
                                     const DetectionCalibration& calibration);

// Texts that get no verdict (docs/SCHEMA.md §8): not English (too few words
// the LM knows, or too few tokens that are words: code, markup, data) or too
// short. Sets *verdict and returns the reason; nullopt: the text gets a score.
// The screen and the decoder both ask it.
std::optional<Reason> no_verdict_reason(std::size_t words, std::size_t known_words, std::size_t tokens,
                                        const RestoreOptions& options, Verdict* verdict);

class Pipeline {
 public:
  Pipeline(const Models& models, const RestoreOptions& options, const DecoderParams& params);

  // `paragraphs`: the text's paragraphs when the caller has them (a window
  // of a long document gets the document's); else find_paragraphs(text).
  DocumentState prepare(std::string_view text, const ByteRanges* paragraphs = nullptr) const;
  // Evaluates the spinner model on each document (pooled over `docs` when
  // there are several: one source) and returns every candidate decision.
  std::vector<std::vector<Decision>> decode(const std::vector<DocumentState*>& docs) const;
  // The document's result from its decisions: the score and verdict
  // (score_document), the edits at or above the apply threshold
  // (apply_decisions), review spans, reasons and paragraph scores.
  DocumentResult finish(const DocumentState& doc, const std::vector<Decision>& decisions) const;
  // The detector's log likelihood ratio of a document (or paragraph): the
  // full model (detect/detector.h) over its candidate-free evidence and the
  // decoder's; with a user table, the user-table calibration's.
  double document_log_lr(const detect::EvidenceCounts& counts, const DetectionEvidence& evidence) const;
  // Share of spun documents in the user-table calibration's fitting mix
  // (src/decode/params.h: 4,951 documents, 3,949 clean).
  static constexpr double kUserCalibrationSpunShare = 1002.0 / 4951.0;
  // Calibrated P(spun) from the model's evidence about a document.
  double calibrated_score(const DetectionEvidence& evidence) const;
  const DecoderParams& params() const { return params_; }
  // The confidence of an edit on a generic lexicon pair off a site (no
  // learned table): the edit curve at its posterior `raw`.
  double generic_edit_confidence(double raw) const;
  const EditCalibrations& calibrations() const { return calibrations_; }
  // The document calibration in use: the user-table one when a user lexicon is loaded.
  const DetectionCalibration& detection() const {
    return models_.user_originals.empty() ? params_.model.detection : params_.model.user_detection;
  }
  // The document detector (detect/detector.h) over this pipeline's LM.
  const detect::Detector& detector() const { return *detector_; }
  const RestoreOptions& options() const { return options_; }

 private:
  // What finish() reads of the text without candidates (detect/evidence.h).
  struct TextEvidence {
    detect::EvidenceCounts counts;
    std::vector<detect::UnusualPair> unusual;
    std::vector<double> unusual_log_lr;  // the larger per-word log LR of each unusual pair's words
  };
  TextEvidence text_evidence(const DocumentState& doc) const;
  void score_document(const DocumentState& doc, const detect::EvidenceCounts& counts, DocumentResult* result) const;
  // The edits the decisions make: those at or above the apply threshold, none
  // in text that is not English; and the estimated spin rate.
  void apply_decisions(const DocumentState& doc, const std::vector<Decision>& decisions, DocumentResult* result) const;
  void add_reasons(const DocumentState& doc, const std::vector<Decision>& decisions, DocumentResult* result) const;
  void score_paragraphs(const DocumentState& doc, DocumentResult* result) const;
  bool applies(const Decision& d) const { return d.confidence >= calibrations_.apply_threshold(); }
  void count_written(DocumentState& doc) const;
  // DocumentResult::review: the applied edits, the model's candidates at or
  // above the review threshold, and candidate-free unusual pairs (SCHEMA §3b).
  // `unusual_log_lr`: the per-word model's evidence of each unusual pair (the
  // larger of its words'); `mixture`: the document's per-word mixture terms.
  void add_review_spans(const DocumentState& doc, const std::vector<Decision>& decisions,
                        const std::vector<detect::UnusualPair>& unusual, const std::vector<double>& unusual_log_lr,
                        const std::array<double, detect::kMixtureTerms>& mixture, DocumentResult* result) const;
  void build_model(DocumentState& doc) const;
  void refine_context(DocumentState& doc) const;
  void pool_same_source(const std::vector<DocumentState*>& docs) const;
  std::vector<Decision> decisions_of(const DocumentState& doc) const;
  double log10_prior(const Arc& arc, const Sentence& sentence) const;
  double unigram_log10(const std::vector<WordId>& ids) const;
  double unigram_log10(const Sentence& sentence, std::uint32_t begin, std::uint32_t end) const;

  const Models& models_;
  RestoreOptions options_;
  DecoderParams params_;
  EditCalibrations calibrations_;  // of params_.model and the learned tables loaded
  LatticeOptions lattice_options_;
  std::unordered_set<std::string> allow_;
  std::shared_ptr<CandidateCache> candidates_;
  std::shared_ptr<const detect::EvidenceModel> evidence_;
  std::shared_ptr<const detect::Detector> detector_;  // shared by copies (same models and options) and threads
};

}  // namespace unspin::decode
