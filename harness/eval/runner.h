// The evaluation run: spun copies of held-out excerpts, every system on each,
// scored against the gold edits; clean excerpts in every run.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "eval/corpus.h"
#include "eval/score.h"
#include "eval/screening.h"
#include "eval/spinner.h"
#include "unspin/restore.h"

namespace unspin::eval {

// A system under test: the decoder or a baseline.
class System {
 public:
  virtual ~System() = default;
  virtual std::string name() const = 0;
  virtual SystemOutput run(std::string_view text) const = 0;
  // The run with the spinner's gold edits at hand: only an oracle looks at
  // them (every real system ignores them).
  virtual SystemOutput run_with_gold(std::string_view text, const std::vector<GoldEdit>& /*gold*/) const {
    return run(text);
  }
};

// The product: unspin::Restorer (edits, DocumentResult::score and ::spun).
std::unique_ptr<System> make_decoder_system(const Restorer& restorer, std::string name = "unspin");
// Baseline (a): exact matches of a fixed screening list.
std::unique_ptr<System> make_screening_system(ScreeningList list);
// Baseline (b): each word -> its lexicon candidate of highest unigram
// probability when that is at least 10^margin times more probable than the
// word (LanguageModel::null_context()). Spun when at least 3 edits per 100 words.
std::unique_ptr<System> make_unigram_system(const Models& models, double margin_log10);

// The spans-marked oracle of a table style (issue 32): every gold span is
// given, and its original is the language model's pick in context (two words
// each side) among what the table can have made that span from: the
// looked-for entries of the groups listing it (plugin engines), or every
// other member of a line holding it (`symmetric`, number lines too). Recall
// here is what choosing costs once the spans are found. Named
// "oracle+table".
std::unique_ptr<System> make_table_oracle_system(const Models& models, const SpinnerData& data, SpinStyle style,
                                                 const GroupTable& table);

// Whether the decoder's candidates can reach `original` from `spun` (both
// lowercase, words joined by single spaces): `original` is a candidate of the
// whole span, or the two have as many words and each changed word's original
// is a candidate of its spun word (a tortured phrase restored word by word).
// Empty function = coverage not measured.
using CoverageFn = std::function<bool(const std::string& spun, const std::string& original)>;
CoverageFn lexicon_coverage(const LexiconStack& lexicons);

struct EvalConfig {
  std::vector<SpinStyle> styles{SpinStyle::kThesaurus, SpinStyle::kPhrase, SpinStyle::kTortured, SpinStyle::kTable};
  std::vector<double> rates{0.1, 0.3, 0.6, 1.0};
  std::vector<std::size_t> lengths{100, 300, 1000};
  std::size_t docs = 30;  // excerpts per length
  std::uint64_t seed = 1;
  double min_confidence = 0.5;  // graded systems' shipped edit threshold
  std::vector<double> curve_thresholds{0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95};
};

// One table cell: style "clean" with rate 0 holds the unspun excerpts.
struct CellKey {
  std::string style;
  double rate;
  std::size_t length;
  auto operator<=>(const CellKey&) const = default;
};

struct SystemResults {
  std::map<CellKey, QualityCounts> quality;
  // Graded systems: counts per (style, threshold) for the precision-recall
  // curve ("clean" holds the false edits on clean text), and every edit's
  // (confidence, correct) for the reliability table.
  std::map<std::pair<std::string, double>, QualityCounts> curve;
  std::vector<std::pair<double, bool>> edit_confidences;
  std::map<CellKey, std::vector<DetectionSample>> detection;  // spun docs with >= 1 gold edit; clean docs
  double seconds = 0;
  std::size_t bytes = 0;
};

struct EvalResults {
  EvalConfig config;
  std::vector<std::string> system_names;
  std::map<std::string, SystemResults> systems;
  std::map<CellKey, QualityCounts> coverage;  // gold and covered only; measured when a lexicon is given
  bool coverage_measured = false;
  std::map<std::size_t, std::size_t> excerpts;  // length -> excerpts used
  std::size_t peak_rss_kb = 0;
  double total_seconds = 0;
};

using ProgressFn = std::function<void(std::size_t done, std::size_t total)>;

// Runs every system over clean and spun copies of the excerpts of each length.
// `excerpts` maps a target length to its excerpts (see make_excerpts).
EvalResults run_evaluation(const EvalConfig& config, const SpinnerData& spinner_data,
                           const std::map<std::size_t, std::vector<Excerpt>>& excerpts,
                           const std::vector<const System*>& systems, const CoverageFn& coverage,
                           const ProgressFn& progress = {});

// Peak resident set of this process in KiB (getrusage).
std::size_t peak_rss_kb();

}  // namespace unspin::eval
