#include "eval/fit.h"

#include <cmath>
#include <sstream>

#include "decode/pipeline.h"
#include "eval/score.h"
#include "unspin/error.h"

namespace unspin::eval {
namespace {

using decode::Decision;
using decode::DocumentState;
using decode::Pipeline;

// Solves A x = b (A symmetric positive definite, small) by Gaussian elimination.
std::vector<double> solve(std::vector<std::vector<double>> a, std::vector<double> b) {
  const std::size_t n = b.size();
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t r = col + 1; r < n; ++r) {
      if (std::abs(a[r][col]) > std::abs(a[pivot][col])) pivot = r;
    }
    std::swap(a[col], a[pivot]);
    std::swap(b[col], b[pivot]);
    const double d = a[col][col];
    if (std::abs(d) < 1e-12) continue;
    for (std::size_t r = 0; r < n; ++r) {
      if (r == col) continue;
      const double f = a[r][col] / d;
      if (f == 0) continue;
      for (std::size_t c = col; c < n; ++c) a[r][c] -= f * a[col][c];
      b[r] -= f * b[col];
    }
  }
  std::vector<double> x(n, 0);
  for (std::size_t i = 0; i < n; ++i) x[i] = std::abs(a[i][i]) < 1e-12 ? 0 : b[i] / a[i][i];
  return x;
}

struct Sample {
  std::string text;
  std::vector<GoldEdit> gold;
  bool spun;
};

}  // namespace

std::vector<double> fit_logistic(const std::vector<std::vector<double>>& rows,
                                 const std::vector<int>& labels, const std::vector<double>& weights,
                                 double l2, double* log_loss) {
  if (rows.empty()) throw Error(ErrorCode::kBadData, "no samples to fit");
  const std::size_t d = rows[0].size();
  std::vector<double> w(d, 0.0);
  for (int iteration = 0; iteration < 50; ++iteration) {
    std::vector<double> grad(d, 0.0);
    std::vector<std::vector<double>> hess(d, std::vector<double>(d, 0.0));
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double z = 0;
      for (std::size_t k = 0; k < d; ++k) z += w[k] * rows[i][k];
      const double p = decode::sigmoid(z);
      const double weight = weights.empty() ? 1.0 : weights[i];
      const double g = weight * (p - labels[i]);
      const double h = weight * std::max(p * (1 - p), 1e-9);
      for (std::size_t k = 0; k < d; ++k) {
        grad[k] += g * rows[i][k];
        for (std::size_t m = k; m < d; ++m) hess[k][m] += h * rows[i][k] * rows[i][m];
      }
    }
    for (std::size_t k = 0; k < d; ++k) {
      for (std::size_t m = 0; m < k; ++m) hess[k][m] = hess[m][k];
      if (k > 0) {
        grad[k] += l2 * w[k];
        hess[k][k] += l2;
      }
    }
    const std::vector<double> step = solve(hess, grad);
    double change = 0;
    for (std::size_t k = 0; k < d; ++k) {
      w[k] -= step[k];
      change = std::max(change, std::abs(step[k]));
    }
    if (change < 1e-6) break;
  }
  if (log_loss) {
    double loss = 0, total_weight = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      double z = 0;
      for (std::size_t k = 0; k < d; ++k) z += w[k] * rows[i][k];
      const double p = std::clamp(decode::sigmoid(z), 1e-12, 1 - 1e-12);
      const double weight = weights.empty() ? 1.0 : weights[i];
      loss -= weight * (labels[i] ? std::log(p) : std::log(1 - p));
      total_weight += weight;
    }
    *log_loss = loss / total_weight;
  }
  return w;
}

std::string FitResult::summary() const {
  std::ostringstream out;
  out.precision(5);
  out << "structure: log_active_paraphrase = " << log_active_paraphrase << ", log_active_wordnet = "
      << log_active_wordnet << ", log_active_other = " << log_active_other
      << ", lm_temperature = " << lm_temperature << "\n";
  out << "edit calibration: " << edit_samples << " candidate edits (" << edit_positives
      << " right), log loss " << edit_log_loss << "\n  edit_scale = " << edit_scale
      << ", edit_bias = " << edit_bias << "\n";
  out << "detection calibration: " << detection_samples << " documents (" << detection_positives
      << " spun), log loss " << detection_log_loss << "\n  det_scale = " << det_scale
      << ", det_bias = " << det_bias << ", det_log_words = " << det_log_words << "\n";
  out << "  verdict_threshold = " << verdict_threshold << " (" << 100 * clean_flagged_share
      << "% of clean fitting documents at or above it; " << 100 * recall_at_threshold
      << "% of spun ones)\n";
  return out.str();
}

FitResult fit_decoder(const Models& models, const SpinnerData& spinner_data,
                      const std::vector<CorpusDoc>& build_docs, const FitConfig& config,
                      const std::function<void(const std::string&)>& log) {
  // The samples: clean excerpts and spun copies of them, of several lengths.
  std::vector<Sample> samples;
  std::uint64_t seed = config.seed;
  for (std::size_t length : config.lengths) {
    for (const Excerpt& excerpt : make_excerpts(build_docs, length, config.docs)) {
      samples.push_back({excerpt.text, {}, false});
      for (SpinStyle style : config.styles) {
        for (double rate : config.rates) {
          SpinOutput spun = Spinner(spinner_data, style, rate, ++seed).spin(excerpt.text);
          if (spun.edits.empty()) continue;
          samples.push_back({std::move(spun.text), std::move(spun.edits), true});
        }
      }
    }
  }
  log("fit: " + std::to_string(samples.size()) + " documents");

  RestoreOptions options;
  FitResult result;
  // Structural parameters by grid search (shift of every non-user prior,
  // LM temperature), each scored by the log loss of its calibrated edits
  // plus that of its calibrated documents; then the calibration of the best.
  struct Fitted {
    std::vector<std::vector<double>> edit_rows, det_rows;
    std::vector<int> edit_labels, det_labels;
    std::vector<double> det_weights;
  };
  std::size_t clean = 0;
  for (const Sample& sample : samples) clean += !sample.spun;
  // Clean documents weigh as much in total as spun ones: a false alarm on a
  // human-written document is the costlier error.
  const double clean_weight = clean ? static_cast<double>(samples.size() - clean) / clean : 1.0;
  auto collect = [&](const decode::DecoderParams& params) {
    Fitted f;
    Pipeline pipeline(models, options, params);
    for (const Sample& sample : samples) {
      DocumentState doc = pipeline.prepare(sample.text);
      const auto decisions = pipeline.decode({&doc});
      for (const Decision& d : decisions[0]) {
        Edit edit{d.byte_begin, d.byte_end, 0, 0,
                  sample.text.substr(d.byte_begin, d.byte_end - d.byte_begin), d.arc->original, 1.0};
        const QualityCounts counts = score_document(sample.text, sample.gold, {edit});
        const double p = std::clamp(d.raw, 1e-9, 1 - 1e-9);
        f.edit_rows.push_back({1.0, std::log(p / (1 - p))});
        f.edit_labels.push_back(counts.correct_edits == 1 ? 1 : 0);
      }
      if (doc.words >= options.min_words_for_verdict) {
        f.det_rows.push_back({1.0, std::clamp(doc.result.log10_bf, -50.0, 50.0), std::log10(std::max<double>(1, doc.words))});
        f.det_labels.push_back(sample.spun ? 1 : 0);
        f.det_weights.push_back(sample.spun ? 1.0 : clean_weight);
      }
    }
    return f;
  };
  decode::DecoderParams best_params;
  double best_loss = INFINITY;
  Fitted best;
  const decode::SpinnerModelParams base = decode::DecoderParams{}.model;
  const std::vector<double> shifts = config.calibrate_only ? std::vector<double>{0.0} : config.prior_shifts;
  const std::vector<double> temperatures =
      config.calibrate_only ? std::vector<double>{base.lm_temperature} : config.temperatures;
  for (double shift : shifts) {
    for (double temperature : temperatures) {
      decode::DecoderParams params;
      params.model.log_active_paraphrase = base.log_active_paraphrase + shift;
      params.model.log_active_wordnet = base.log_active_wordnet + shift;
      params.model.log_active_other = base.log_active_other + shift;
      params.model.lm_temperature = temperature;
      params.model.edit_scale = 1;
      params.model.edit_bias = 0;
      Fitted f = collect(params);
      double edit_loss = 0, det_loss = 0;
      if (!f.edit_rows.empty()) fit_logistic(f.edit_rows, f.edit_labels, {}, config.l2, &edit_loss);
      // Per-edit loss over all candidates above 1e-4, scaled to per-document units.
      edit_loss *= static_cast<double>(f.edit_rows.size()) / std::max<std::size_t>(1, samples.size());
      fit_logistic(f.det_rows, f.det_labels, f.det_weights, config.l2, &det_loss);
      log("fit: shift " + std::to_string(shift) + " temperature " + std::to_string(temperature) +
          ": edit loss/doc " + std::to_string(edit_loss) + ", detection loss " + std::to_string(det_loss));
      if (edit_loss + det_loss < best_loss) {
        best_loss = edit_loss + det_loss;
        best_params = params;
        best = std::move(f);
      }
    }
  }
  result.log_active_paraphrase = best_params.model.log_active_paraphrase;
  result.log_active_wordnet = best_params.model.log_active_wordnet;
  result.log_active_other = best_params.model.log_active_other;
  result.lm_temperature = best_params.model.lm_temperature;
  auto& edit_rows = best.edit_rows;
  auto& edit_labels = best.edit_labels;
  auto& det_rows = best.det_rows;
  auto& det_labels = best.det_labels;
  auto& det_weights = best.det_weights;
  result.edit_samples = edit_rows.size();
  for (int l : edit_labels) result.edit_positives += l;
  const std::vector<double> we = fit_logistic(edit_rows, edit_labels, {}, config.l2, &result.edit_log_loss);
  result.edit_bias = we[0];
  result.edit_scale = we[1];
  log("fit: edit calibration from " + std::to_string(edit_rows.size()) + " candidate edits");

  result.detection_samples = det_rows.size();
  for (int l : det_labels) result.detection_positives += l;
  const std::vector<double> wd = fit_logistic(det_rows, det_labels, det_weights, config.l2, &result.detection_log_loss);
  result.det_bias = wd[0];
  result.det_scale = wd[1];
  result.det_log_words = wd[2];
  // The verdict threshold: at least 0.5, and high enough that at most 0.25%
  // of clean fitting documents reach it (the bar is 0.5% on unseen text).
  std::vector<double> clean_scores;
  std::vector<double> spun_scores;
  for (std::size_t i = 0; i < det_rows.size(); ++i) {
    const double z = wd[0] + wd[1] * det_rows[i][1] + wd[2] * det_rows[i][2];
    (det_labels[i] ? spun_scores : clean_scores).push_back(decode::sigmoid(z));
  }
  std::sort(clean_scores.begin(), clean_scores.end());
  double threshold = 0.5;
  if (!clean_scores.empty()) {
    const std::size_t allowed = clean_scores.size() / 400;
    const double above = clean_scores[clean_scores.size() - 1 - std::min(allowed, clean_scores.size() - 1)];
    threshold = std::max(threshold, std::nextafter(above, 1.0));
  }
  result.verdict_threshold = std::min(threshold, 0.999);
  std::size_t flagged = 0, clean_flagged = 0;
  for (double sc : spun_scores) flagged += sc >= result.verdict_threshold;
  for (double sc : clean_scores) clean_flagged += sc >= result.verdict_threshold;
  result.recall_at_threshold = spun_scores.empty() ? 0 : static_cast<double>(flagged) / spun_scores.size();
  result.clean_flagged_share = clean_scores.empty() ? 0 : static_cast<double>(clean_flagged) / clean_scores.size();
  return result;
}

}  // namespace unspin::eval
