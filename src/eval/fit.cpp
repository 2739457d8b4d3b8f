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

decode::DetectionFeatures to_array(const std::vector<double>& row) {
  decode::DetectionFeatures f{};
  std::copy(row.begin(), row.end(), f.begin());
  return f;
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
  out.precision(4);
  out << "edit model: " << edit_samples << " chosen edits (" << edit_positives
      << " right), log loss " << edit_log_loss << "\n  edit_weights = {";
  for (std::size_t i = 0; i < edit_weights.size(); ++i) out << (i ? ", " : "") << edit_weights[i];
  out << "};\ndetection model: " << detection_samples << " documents (" << detection_positives
      << " spun), log loss " << detection_log_loss << "\n  detection_weights = {";
  for (std::size_t i = 0; i < detection_weights.size(); ++i) out << (i ? ", " : "") << detection_weights[i];
  out << "};\n  verdict_threshold = " << verdict_threshold << " (no clean fitting document above it; "
      << 100 * recall_at_threshold << "% of spun ones above)\n";
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
  decode::DecoderParams params;

  // 1. Edit model: every edit the search chooses, labelled right or wrong.
  // Twice: the edits chosen in the second pass depend on the edit model
  // (through adaptation), so the second round fits on what it will see.
  for (int round = 0; round < 2; ++round) {
    Pipeline pipeline(models, options, params);
    std::vector<std::vector<double>> rows;
    std::vector<int> labels;
    for (const Sample& sample : samples) {
      DocumentState doc = pipeline.prepare(sample.text);
      const auto decisions = pipeline.decode({&doc});
      for (const Decision& d : decisions[0]) {
        Edit edit{d.byte_begin, d.byte_end, 0, 0,
                  sample.text.substr(d.byte_begin, d.byte_end - d.byte_begin), d.arc->original, 1.0};
        const QualityCounts counts = score_document(sample.text, sample.gold, {edit});
        rows.emplace_back(d.features.begin(), d.features.end());
        labels.push_back(counts.correct_edits == 1 ? 1 : 0);
      }
    }
    result.edit_samples = rows.size();
    result.edit_positives = 0;
    for (int l : labels) result.edit_positives += l;
    const std::vector<double> w = fit_logistic(rows, labels, {}, config.l2, &result.edit_log_loss);
    std::copy(w.begin(), w.end(), result.edit_weights.begin());
    params.edit_weights = result.edit_weights;
    log("fit: edit model round " + std::to_string(round + 1) + " from " + std::to_string(rows.size()) +
        " chosen edits (" + std::to_string(result.edit_positives) + " right)");
  }

  // 2. Detection model, with the fitted edit model in the loop.
  {
    Pipeline pipeline(models, options, params);
    std::vector<std::vector<double>> rows;
    std::vector<int> labels;
    std::vector<double> weights;
    std::size_t clean = 0;
    for (const Sample& sample : samples) clean += !sample.spun;
    // Clean documents weigh as much in total as spun ones: a false alarm on a
    // human-written document is the costlier error.
    const double clean_weight = clean ? static_cast<double>(samples.size() - clean) / clean : 1.0;
    for (const Sample& sample : samples) {
      weights.push_back(sample.spun ? 1.0 : clean_weight);
      DocumentState doc = pipeline.prepare(sample.text);
      const auto decisions = pipeline.decode({&doc});
      const auto f = pipeline.detection_features(doc, decisions[0]);
      rows.emplace_back(f.begin(), f.end());
      labels.push_back(sample.spun ? 1 : 0);
    }
    result.detection_samples = rows.size();
    for (int l : labels) result.detection_positives += l;
    const std::vector<double> w = fit_logistic(rows, labels, weights, config.l2, &result.detection_log_loss);
    std::copy(w.begin(), w.end(), result.detection_weights.begin());
    double max_clean = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (!labels[i]) max_clean = std::max(max_clean, decode::sigmoid(decode::dot(result.detection_weights, to_array(rows[i]))));
    }
    result.verdict_threshold = std::max(0.5, std::nextafter(max_clean, 1.0));
    std::size_t flagged = 0;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      if (labels[i] && decode::sigmoid(decode::dot(result.detection_weights, to_array(rows[i]))) >= result.verdict_threshold) ++flagged;
    }
    result.recall_at_threshold = result.detection_positives ? static_cast<double>(flagged) / result.detection_positives : 0;
  }
  return result;
}

}  // namespace unspin::eval
