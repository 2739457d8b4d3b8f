// Evaluation results as JSON (machines, floors) and Markdown (bench/RESULTS.md).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval/runner.h"

namespace unspin::eval {

// Full results: config, every cell, coverage, speed, and a flat "summary" map
// ("unspin/overall/recall", "unspin/clean/false_per_1k_tokens", ...) that
// floors refer to.
nlohmann::json results_json(const EvalResults& results);

// The quality, clean-text, detection and speed tables.
std::string results_markdown(const EvalResults& results);

// Ten bins of width 0.1 over predicted probabilities: how many, their mean,
// and the share that was true (edits right / documents spun).
struct ReliabilityBin {
  double lo = 0, hi = 0;
  std::size_t n = 0;
  double mean = 0, observed = 0;
};
std::vector<ReliabilityBin> reliability_bins(const std::vector<std::pair<double, bool>>& samples);
// Largest |observed - mean| over bins holding at least `min_n` samples.
double reliability_max_gap(const std::vector<ReliabilityBin>& bins, std::size_t min_n);
// (score, spun) of every document a system scored.
std::vector<std::pair<double, bool>> document_scores(const SystemResults& results);

// Checks a floors file: {"floors": [{"metric": "<summary key>", "min": x} or
// {"metric": ..., "max": y}, ...]}. Returns one line per violated or unknown
// metric (empty = all floors hold). Throws Error(kBadData) on a malformed file.
// An entry may name its `suite` ("tortured": `unspin-eval eval tortured`); only
// the entries of `suite` are checked (no suite: the main `unspin-eval eval`).
std::vector<std::string> check_floors(const nlohmann::json& summary, const nlohmann::json& floors,
                                      const std::string& suite = "");

}  // namespace unspin::eval
