#include "eval/fit.h"
#include "decode/fitted_params.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "decode/pipeline.h"
#include "eval/score.h"
#include "unspin/error.h"
#include "unspin/text.h"

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
  SpinStyle style = SpinStyle::kThesaurus;
  double rate = 0;
};

}  // namespace

std::vector<double> fit_logistic(const std::vector<std::vector<double>>& rows, const std::vector<int>& labels,
                                 const std::vector<double>& weights, double l2, double* log_loss) {
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
  out << "structure: log_active_paraphrase = " << log_active_paraphrase
      << ", log_active_wordnet = " << log_active_wordnet << ", log_active_other = " << log_active_other
      << ", lm_temperature = " << lm_temperature << "\n";
  out << "edit calibration: " << edit_samples << " candidate edits (" << edit_positives << " right)"
      << "\n  edit_scale = " << edit_scale << ", edit_bias = " << edit_bias
      << "\n  user_edit_scale = " << user_edit_scale << ", user_edit_bias = " << user_edit_bias << "\n";
  auto curve = [&](const char* name, const std::vector<std::pair<double, double>>& knots) {
    out << "  " << name << " = {";
    for (std::size_t i = 0; i < knots.size(); ++i)
      out << (i ? ", " : "") << "{" << knots[i].first << ", " << knots[i].second << "}";
    out << "};\n";
  };
  curve("edit_curve", edit_curve);
  curve("user_edit_curve", user_edit_curve);
  out << "operating point (precision >= 0.95, <= 0.5 false edits per 1k clean tokens):\n"
      << "  default lexicon: recall " << recall_default << " at confidence >= " << threshold_default << "\n"
      << "  table given:     recall " << recall_table << " at confidence >= " << threshold_table << "\n";
  out << "LM channel: " << channel_samples << " occurrences (" << channel_positives
      << " gold substitutions): log10 LR = " << channel_temperature << " * delta + " << channel_offset << "\n";
  auto detection_summary = [&](const char* name, const FitDetection& d) {
    const decode::DetectionCalibration& c = d.calibration;
    out << name << ": " << d.samples << " documents (" << d.positives << " spun), log loss " << d.log_loss << "\n  {"
        << c.scale << ", " << c.bias << ", " << c.log_words << ",\n";
    curve("null_median", c.null_median);
    curve("null_spread", c.null_spread);
    out << "  threshold " << c.threshold << "}  (" << 100 * d.clean_flagged_share
        << "% of clean fitting documents at or above it; " << 100 * d.recall_at_threshold << "% of spun ones)\n";
  };
  detection_summary("detection calibration", detection);
  detection_summary("user-table detection calibration (the table style's table given)", user_detection);
  return out.str();
}

namespace {

struct Scored {
  double raw;
  bool user;
  bool right;
  bool on_clean;
};

struct Collected {
  std::vector<Scored> candidates;
  std::size_t gold = 0, clean_tokens = 0;
  std::vector<std::vector<double>> det_rows;
  std::vector<int> det_labels;
  std::vector<double> det_weights;
  // The LM channel: each occurrence's saturated LM ratio, labelled 1 when it
  // is a gold substitution with this original, 0 when its span is natural.
  std::vector<std::vector<double>> channel_rows;
  std::vector<int> channel_labels;
};

double logit_of(double p) {
  p = std::clamp(p, 1e-9, 1 - 1e-9);
  return std::log(p / (1 - p));
}

// Recall at the operating point: candidates by confidence, the lowest
// threshold at which precision on spun text stays >= 0.95 and false edits on
// clean text <= 0.5 per 1,000 tokens.
std::pair<double, double> operating_point(std::vector<std::pair<double, const Scored*>> ranked, std::size_t gold,
                                          std::size_t clean_tokens) {
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::size_t tp = 0, fp = 0, fp_clean = 0;
  double best_recall = 0, best_threshold = 1;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const Scored& c = *ranked[i].second;
    if (c.on_clean)
      ++fp_clean;
    else if (c.right)
      ++tp;
    else
      ++fp;
    if (i + 1 < ranked.size() && ranked[i + 1].first == ranked[i].first) continue;
    const bool precise = tp + fp == 0 || static_cast<double>(tp) / (tp + fp) >= 0.95;
    const bool quiet = clean_tokens == 0 || 1000.0 * fp_clean / clean_tokens <= 0.5;
    if (std::getenv("UNSPIN_FIT_TRACE") && (i % 2000 == 0 || i + 1 == ranked.size())) {
      std::fprintf(stderr, "  at %.4f: recall %.3f precision %.3f clean false/1k %.2f\n", ranked[i].first,
                   gold ? double(tp) / gold : 0.0, tp + fp ? double(tp) / (tp + fp) : 1.0,
                   clean_tokens ? 1000.0 * fp_clean / clean_tokens : 0.0);
    }
    if (precise && quiet && gold) {
      best_recall = static_cast<double>(tp) / gold;
      best_threshold = ranked[i].first;
    }
  }
  return {best_recall, best_threshold};
}

// Isotonic regression (pool adjacent violators) of the labels on the raw
// posterior, summarised by its value at up to 24 quantiles of the raw values.
std::vector<std::pair<double, double>> isotonic_curve(std::vector<std::pair<double, int>> points) {
  std::vector<std::pair<double, double>> knots;
  if (points.size() < 50) return knots;
  std::sort(points.begin(), points.end());
  struct Block {
    double sum, weight, x_last;
  };
  std::vector<Block> blocks;
  for (const auto& [x, y] : points) {
    blocks.push_back({static_cast<double>(y), 1.0, x});
    while (blocks.size() > 1 && blocks[blocks.size() - 2].sum / blocks[blocks.size() - 2].weight >=
                                    blocks.back().sum / blocks.back().weight) {
      Block top = blocks.back();
      blocks.pop_back();
      blocks.back().sum += top.sum;
      blocks.back().weight += top.weight;
      blocks.back().x_last = top.x_last;
    }
  }
  // Fitted value of each point, then knots at quantiles of x.
  std::vector<double> fitted;
  fitted.reserve(points.size());
  for (const Block& b : blocks) {
    for (int i = 0; i < static_cast<int>(b.weight); ++i) fitted.push_back(b.sum / b.weight);
  }
  constexpr int kKnots = 24;
  for (int k = 0; k < kKnots; ++k) {
    // Quantiles spaced more densely at the top, where the decisions are.
    const double q = 1.0 - std::pow(1.0 - static_cast<double>(k) / (kKnots - 1), 3.0);
    const std::size_t i = std::min(points.size() - 1, static_cast<std::size_t>(q * (points.size() - 1)));
    // Bounded away from 0 and 1: a finite sample cannot show certainty.
    const double x = points[i].first, y = std::clamp(fitted[i], 0.001, 0.99);
    if (!knots.empty() && x <= knots.back().first) continue;
    if (!knots.empty() && y < knots.back().second) continue;
    knots.emplace_back(x, y);
  }
  return knots;
}

}  // namespace

// The document score's calibration from one run's documents (Collected):
// the null knots from its clean documents by length, a logistic over z and
// log10 length, and the verdict threshold (at most 0.25% of clean fitting
// documents at or above it, at least 0.5).
FitDetection fit_detection(const Collected& c, const FitConfig& config) {
  FitDetection out;
  std::vector<std::vector<double>> rows = c.det_rows;
  const std::vector<int>& labels = c.det_labels;
  out.samples = rows.size();
  for (int l : labels) out.positives += l;
  decode::DetectionCalibration& cal = out.calibration;
  std::map<std::size_t, std::vector<std::pair<double, double>>> clean_by_length;  // length -> (log10 words, log10 BF)
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (labels[i]) continue;
    const double words = std::pow(10.0, rows[i][2]);
    std::size_t nearest = config.lengths.front();
    for (std::size_t l : config.lengths) {
      if (std::abs(std::log(words / l)) < std::abs(std::log(words / nearest))) nearest = l;
    }
    clean_by_length[nearest].emplace_back(rows[i][2], rows[i][1]);
  }
  for (auto& [length, points] : clean_by_length) {
    if (points.size() < 10) continue;
    double mean_log_words = 0;
    std::vector<double> bf;
    for (const auto& [lw, b] : points) {
      mean_log_words += lw / points.size();
      bf.push_back(b);
    }
    std::sort(bf.begin(), bf.end());
    // Clean text's Bayes factors have a long tail, and the verdict lives in it.
    const double median = bf[bf.size() / 2], p99 = bf[bf.size() * 99 / 100];
    cal.null_median.emplace_back(mean_log_words, median);
    cal.null_spread.emplace_back(mean_log_words, std::max(p99 - median, 0.05));
  }
  for (auto& row : rows) {
    decode::ModelResult r;
    r.log10_bf = row[1];
    row[1] = decode::detection_evidence(r, static_cast<std::size_t>(std::lround(std::pow(10.0, row[2]))), cal).null_z;
  }
  const std::vector<double> w = fit_logistic(rows, labels, c.det_weights, config.l2, &out.log_loss);
  cal.bias = w[0];
  cal.scale = w[1];
  cal.log_words = w[2];
  std::vector<double> clean_scores, spun_scores;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    (labels[i] ? spun_scores : clean_scores).push_back(decode::sigmoid(w[0] + w[1] * rows[i][1] + w[2] * rows[i][2]));
  }
  std::sort(clean_scores.begin(), clean_scores.end());
  double threshold = 0.5;
  if (!clean_scores.empty()) {
    const std::size_t allowed = clean_scores.size() / 400;
    const double above = clean_scores[clean_scores.size() - 1 - std::min(allowed, clean_scores.size() - 1)];
    threshold = std::max(threshold, std::nextafter(above, 1.0));
  }
  cal.threshold = std::min(threshold, 0.999);
  std::size_t flagged = 0, clean_flagged = 0;
  for (double sc : spun_scores) flagged += sc >= cal.threshold;
  for (double sc : clean_scores) clean_flagged += sc >= cal.threshold;
  out.recall_at_threshold = spun_scores.empty() ? 0 : static_cast<double>(flagged) / spun_scores.size();
  out.clean_flagged_share = clean_scores.empty() ? 0 : static_cast<double>(clean_flagged) / clean_scores.size();
  return out;
}

FitResult fit_decoder(const Models& models, const Models* table_models, const SpinnerData& spinner_data,
                      const std::vector<CorpusDoc>& build_docs, const FitConfig& config,
                      const std::function<void(const std::string&)>& log) {
  // The samples: clean excerpts and spun copies of them, of several lengths.
  std::vector<Sample> samples;
  std::uint64_t seed = config.seed;
  for (std::size_t length : config.lengths) {
    // Clean documents decide the false-edit constraint and the verdict
    // threshold: many more of them than of spun copies per excerpt.
    const std::vector<Excerpt> excerpts = make_excerpts(build_docs, length, config.docs + config.clean_docs);
    for (std::size_t i = config.docs; i < excerpts.size(); ++i) samples.push_back({excerpts[i].text, {}, false});
    for (std::size_t i = 0; i < std::min(config.docs, excerpts.size()); ++i) {
      const Excerpt& excerpt = excerpts[i];
      samples.push_back({excerpt.text, {}, false});
      for (SpinStyle style : config.styles) {
        for (double rate : config.rates) {
          SpinOutput spun = Spinner(spinner_data, style, rate, ++seed).spin(excerpt.text);
          if (spun.edits.empty()) continue;
          samples.push_back({std::move(spun.text), std::move(spun.edits), true, style, rate});
        }
      }
    }
  }
  log("fit: " + std::to_string(samples.size()) + " documents");

  RestoreOptions options;
  FitResult result;
  std::size_t clean = 0;
  for (const Sample& sample : samples) clean += !sample.spun;
  // Clean documents weigh as much in total as spun ones: a false alarm on a
  // human-written document is the costlier error.
  const double clean_weight = clean ? static_cast<double>(samples.size() - clean) / clean : 1.0;

  // Development aid: UNSPIN_FIT_DUMP=FILE writes one line per document and
  // structure point (label, words, log10 BF, style, rate).
  std::unique_ptr<std::ofstream> dump;
  if (const char* path = std::getenv("UNSPIN_FIT_DUMP")) dump = std::make_unique<std::ofstream>(path);
  auto collect = [&](const decode::DecoderParams& params, const Models& m, bool table_style_only) {
    Collected c;
    Pipeline pipeline(m, options, params);
    for (const Sample& sample : samples) {
      // The table given: its own spinner's documents, and clean ones.
      if (table_style_only && sample.spun && sample.style != SpinStyle::kTable) continue;
      DocumentState doc = pipeline.prepare(sample.text);
      const auto decisions = pipeline.decode({&doc});
      if (sample.spun)
        c.gold += sample.gold.size();
      else
        c.clean_tokens += doc.words;
      // The edits a document can get: calibrate what the user sees, after
      // overlapping alternatives are resolved (by raw posterior: the
      // calibration is monotone within a source).
      std::vector<Decision> ranked = decisions[0];
      for (Decision& d : ranked) d.confidence = d.raw;
      for (const Decision& d : decode::select_non_overlapping(std::move(ranked))) {
        if (d.raw < 1e-6) continue;  // never near any threshold
        Edit edit{d.byte_begin,    d.byte_end, 0, 0, sample.text.substr(d.byte_begin, d.byte_end - d.byte_begin),
                  d.arc->original, 1.0};
        const bool right = sample.spun && score_document(sample.text, sample.gold, {edit}).correct_edits == 1;
        c.candidates.push_back({d.raw, (d.arc->sources & kSourceUser) != 0, right, !sample.spun});
      }
      if (!table_style_only) {
        const auto& occurrences = doc.model.occurrences();
        for (const Decision& d : decisions[0]) {
          int label = 0;
          for (const GoldEdit& g : sample.gold) {
            if (g.byte_begin < d.byte_end && d.byte_begin < g.byte_end) {
              label = g.byte_begin == d.byte_begin && g.byte_end == d.byte_end &&
                              fold_case(g.original) == fold_case(d.arc->original)
                          ? 1
                          : -1;
              break;
            }
          }
          if (label < 0) continue;  // a spun span, another original: neither class
          const double delta = occurrences[d.occurrence].delta;
          const double cap = params.model.delta_cap;
          c.channel_rows.push_back({1.0, cap * std::tanh(delta / cap)});
          c.channel_labels.push_back(label);
        }
      }
      {
        // The null knots are fitted below, on log10 BF itself.
        const decode::DetectionEvidence e = decode::detection_evidence(doc.result, doc.words, {});
        c.det_rows.push_back({1.0, e.log10_bf, e.log10_words});
        c.det_labels.push_back(sample.spun ? 1 : 0);
        c.det_weights.push_back(sample.spun ? 1.0 : clean_weight);
        if (dump) {
          *dump << (sample.spun ? 1 : 0) << '\t' << doc.words << '\t' << e.log10_bf << '\t'
                << (sample.spun ? style_name(sample.style) : "clean") << '\t' << sample.rate << '\n';
        }
      }
    }
    return c;
  };
  // Platt calibration of one source's candidates: {bias, scale}.
  auto calibrate = [&](const Collected& c, bool user) {
    std::vector<std::vector<double>> rows;
    std::vector<int> labels;
    for (const Scored& s : c.candidates) {
      if (s.user != user) continue;
      rows.push_back({1.0, logit_of(s.raw)});
      labels.push_back(s.right ? 1 : 0);
    }
    if (rows.size() < 50) return std::vector<double>{-1.0, 0.5};
    return fit_logistic(rows, labels, {}, config.l2, nullptr);
  };
  auto evaluate = [&](const Collected& c, const std::vector<double>& plain, const std::vector<double>& user) {
    std::vector<std::pair<double, const Scored*>> ranked;
    for (const Scored& s : c.candidates) {
      const auto& w = s.user ? user : plain;
      ranked.emplace_back(decode::sigmoid(w[0] + w[1] * logit_of(s.raw)), &s);
    }
    return operating_point(std::move(ranked), c.gold, c.clean_tokens);
  };

  decode::DecoderParams best_params = decode::fitted_of(models).decoder;
  double best_objective = -1;
  const decode::SpinnerModelParams base = decode::fitted_of(models).decoder.model;
  const std::vector<double> shifts = config.calibrate_only ? std::vector<double>{0.0} : config.prior_shifts;
  const std::vector<double> temperatures =
      config.calibrate_only ? std::vector<double>{base.lm_temperature} : config.temperatures;
  Collected best_default, best_table;
  for (double shift : shifts) {
    for (double temperature : temperatures) {
      decode::DecoderParams params = decode::fitted_of(models).decoder;
      params.model.log_active_paraphrase = base.log_active_paraphrase + shift;
      params.model.log_active_wordnet = base.log_active_wordnet + shift;
      params.model.log_active_other = base.log_active_other + shift;
      params.model.lm_temperature = temperature;
      Collected plain = collect(params, models, false);
      const std::vector<double> w_plain = calibrate(plain, false);
      const auto [recall_plain, threshold_plain] = evaluate(plain, w_plain, w_plain);
      double recall_table = 0, threshold_table = 1;
      std::vector<double> w_user{-1.0, 0.5};
      Collected with_table;
      if (table_models) {
        with_table = collect(params, *table_models, true);
        w_user = calibrate(with_table, true);
        std::tie(recall_table, threshold_table) = evaluate(with_table, calibrate(with_table, false), w_user);
      }
      std::vector<DetectionSample> det;
      for (std::size_t i = 0; i < plain.det_rows.size(); ++i) {
        det.push_back({plain.det_rows[i][1], plain.det_labels[i] == 1, false});
      }
      log("fit: shift " + std::to_string(shift) + " temperature " + std::to_string(temperature) +
          ": recall at the operating point " + std::to_string(recall_plain) + " (default lexicon), " +
          std::to_string(recall_table) + " (table given); detection AUC of the Bayes factor " +
          std::to_string(detection_figures(det).auc));
      // Both modes are the product (unknown spinner, and the spinner's table
      // given): the geometric mean keeps either from being traded away.
      const double objective = table_models ? std::sqrt(recall_plain * recall_table) : recall_plain;
      if (objective > best_objective) {
        best_objective = objective;
        best_params = params;
        best_params.model.edit_bias = w_plain[0];
        best_params.model.edit_scale = w_plain[1];
        best_params.model.user_edit_bias = w_user[0];
        best_params.model.user_edit_scale = w_user[1];
        result.recall_default = recall_plain;
        result.threshold_default = threshold_plain;
        result.recall_table = recall_table;
        result.threshold_table = threshold_table;
        best_default = std::move(plain);
        best_table = std::move(with_table);
      }
    }
  }
  result.log_active_paraphrase = best_params.model.log_active_paraphrase;
  result.log_active_wordnet = best_params.model.log_active_wordnet;
  result.log_active_other = best_params.model.log_active_other;
  result.lm_temperature = best_params.model.lm_temperature;
  result.edit_bias = best_params.model.edit_bias;
  result.edit_scale = best_params.model.edit_scale;
  result.user_edit_bias = best_params.model.user_edit_bias;
  result.user_edit_scale = best_params.model.user_edit_scale;
  // Isotonic calibration of the chosen structure, per source.
  auto isotonic = [](const Collected& c, bool user) {
    std::vector<std::pair<double, int>> points;
    for (const Scored& s : c.candidates) {
      if (s.user == user) points.emplace_back(s.raw, s.right ? 1 : 0);
    }
    return isotonic_curve(std::move(points));
  };
  result.edit_curve = isotonic(best_default, false);
  result.user_edit_curve = isotonic(best_table, true);
  result.edit_samples = best_default.candidates.size();
  for (const Scored& s : best_default.candidates) result.edit_positives += s.right;

  {
    // The LM channel's likelihood ratio: a logistic over the saturated LM
    // ratio gives log odds w0 + w1 x; dividing by the sample's prior odds
    // leaves log10 P(x | spun) / P(x | natural) = lambda x + offset.
    const auto& rows = best_default.channel_rows;
    const auto& labels = best_default.channel_labels;
    std::size_t positives = 0;
    for (int l : labels) positives += l;
    if (positives > 0 && positives < labels.size()) {
      const std::vector<double> w = fit_logistic(rows, labels, {}, config.l2, nullptr);
      result.channel_samples = labels.size();
      result.channel_positives = positives;
      result.channel_temperature = w[1] / std::log(10.0);
      result.channel_offset = w[0] / std::log(10.0) - std::log10(static_cast<double>(positives) /
                                                                 static_cast<double>(labels.size() - positives));
    }
  }
  result.detection = fit_detection(best_default, config);
  if (!best_table.det_rows.empty()) result.user_detection = fit_detection(best_table, config);
  return result;
}

}  // namespace unspin::eval
