// The document detector's data, fit and measurement (`unspin-eval eval detect`).
//
// Samples are excerpts of every genre at several lengths, clean and spun by
// every style at the rates of issue 19; the `table` style is spun by one half
// of its table's groups (GroupTable split by FNV-1a of each group's original:
// half 0 for fitting on the build part, half 1 for measuring on the eval
// part), so that no feature can memorise the spinner it is measured on.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "detect/detector.h"
#include "eval/corpus.h"
#include "eval/spinner.h"
#include "unspin/restore.h"

namespace unspin::eval {

struct SpinSpec {
  SpinStyle style;
  double rate;
  std::string name() const;  // "table@0.3"
};
// thesaurus 0.1/0.3, phrase 0.3/1, table 0.3/1, tortured 0.3 (issue 19).
std::vector<SpinSpec> default_detect_specs();

struct DetectConfig {
  std::vector<std::string> sources;  // default kFitSources
  std::vector<std::size_t> lengths{100, 300, 1000, 3000};
  std::size_t docs = 40;  // excerpts per source and length
  // Excerpts of each source and length left out first: the document-level fit
  // reads excerpts the per-word model was not fitted on (--skip).
  std::size_t skip = 0;
  std::vector<SpinSpec> specs = default_detect_specs();
  int table_half = 0;      // which half of the table's groups spins
  int table_quarter = -1;  // >= 0: only this quarter of that half (eval/sites.h)
  bool decoder = true;     // also the decoder's evidence (null z)
  bool word_rows = false;  // keep every scored word's row (DetectSample::word_rows)
  std::uint64_t seed = 1;
  unsigned threads = 0;
};

struct DetectSample {
  std::string source;
  std::size_t length = 0;  // the excerpt length class
  std::string spec;        // "clean" or SpinSpec::name()
  bool spun = false;
  std::size_t gold_edits = 0;
  detect::EvidenceCounts counts;
  double null_z = 0;  // the decoder's evidence; 0 without the decoder
  // With DetectConfig::word_rows: one TSV row per scored word (development
  // aid, `unspin-eval eval detect --dump-words`): word, log10 P(w | context),
  // log10 P(w), n-gram order matched, name-like, gold (0 clean, 1 in a
  // substitution, 2 the word after one), in the lexicon as a spun form.
  std::string word_rows;
  std::size_t bytes = 0;
};

// The table's halves: eval/sites.h table_half (one split for every harness).

std::vector<DetectSample> make_detect_samples(const Models& models, const SpinnerData& spinner_data,
                                              const std::vector<CorpusDoc>& docs, const DetectConfig& config,
                                              const std::function<void(const std::string&)>& progress);

// Fits the detector's parameters on samples (1:1 clean/spun within each
// length) and returns them with a summary of the fit; `start` (the bundle's)
// holds the values the fit does not refit.
detect::DetectorParams fit_detector(const detect::EvidenceModel& evidence, const std::vector<DetectSample>& samples,
                                    double base_rate, const detect::DetectorParams& start, std::string* summary);

// Markdown tables: AUC by spec x length (screen and full), clean false
// positives by genre and length at the base rate, F1 on a 1:1 mix at the
// default verdict, reliability at the base rate, the screen's misses.
std::string detect_report(const detect::Detector& detector, const std::vector<DetectSample>& samples, double base_rate,
                          std::map<std::string, double>* figures = nullptr);

// ROC-AUC of positive against negative scores (ties count half; 0.5 when a side is empty).
double rank_auc(const std::vector<double>& positives, const std::vector<double>& negatives);

// A DetectorParams as the model bundle's section file detector.json (values
// "detector.*"; harness/fit/sections.py, docs/LM.md), made by `fit_command`.
std::string params_section(const detect::DetectorParams& params, const std::string& fit_command);

}  // namespace unspin::eval
