#include "eval/report.h"

#include <algorithm>
#include <cmath>

#include <cstdio>
#include <set>

#include "unspin/error.h"

namespace unspin::eval {
namespace {

using nlohmann::json;

json quality_json(const QualityCounts& q) {
  return {{"docs", q.docs},
          {"tokens", q.tokens},
          {"gold", q.gold},
          {"restored", q.restored},
          {"changed", q.changed},
          {"missed", q.missed},
          {"edits", q.edits},
          {"correct_edits", q.correct_edits},
          {"wrong_edits", q.wrong_edits},
          {"false_edits", q.false_edits},
          {"precision", q.precision()},
          {"recall", q.recall()},
          {"f1", q.f1()},
          {"false_per_1k_tokens", q.false_per_1k_tokens()}};
}

json detection_json(const DetectionFigures& d) {
  return {{"positives", d.positives},
          {"negatives", d.negatives},
          {"auc", d.auc},
          {"f1", d.f1},
          {"recall", d.recall},
          {"false_positive_rate", d.false_positive_rate}};
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}
std::string pct(double v) { return fmt("%.1f%%", 100 * v); }
std::string rate_label(double r) { return fmt("%.2g", r); }

// Aggregates of one system's cells selected by a predicate.
template <typename Pred>
QualityCounts sum_quality(const SystemResults& r, Pred pred) {
  QualityCounts q;
  for (const auto& [key, counts] : r.quality) {
    if (pred(key)) q.add(counts);
  }
  return q;
}
// Spun samples chosen by `pred` plus the clean samples of the lengths `pred` admits.
template <typename Pred>
DetectionFigures detect(const SystemResults& r, Pred pred) {
  std::vector<DetectionSample> samples;
  std::set<std::size_t> lengths;
  for (const auto& [key, s] : r.detection) {
    if (key.style != "clean" && pred(key)) {
      samples.insert(samples.end(), s.begin(), s.end());
      lengths.insert(key.length);
    }
  }
  for (const auto& [key, s] : r.detection) {
    if (key.style == "clean" && lengths.count(key.length)) samples.insert(samples.end(), s.begin(), s.end());
  }
  return detection_figures(samples);
}
template <typename Pred>
QualityCounts sum_coverage(const EvalResults& res, Pred pred) {
  QualityCounts q;
  for (const auto& [key, c] : res.coverage) {
    if (pred(key)) q.add(c);
  }
  return q;
}

bool spun_cell(const CellKey& k) { return k.style != "clean"; }

}  // namespace

std::vector<ReliabilityBin> reliability_bins(const std::vector<std::pair<double, bool>>& samples) {
  std::vector<ReliabilityBin> bins(10);
  for (std::size_t b = 0; b < bins.size(); ++b) {
    bins[b].lo = b / 10.0;
    bins[b].hi = (b + 1) / 10.0;
  }
  for (const auto& [p, truth] : samples) {
    const std::size_t b = std::min<std::size_t>(9, static_cast<std::size_t>(std::max(0.0, p) * 10));
    bins[b].n += 1;
    bins[b].mean += p;
    bins[b].observed += truth;
  }
  for (ReliabilityBin& b : bins) {
    if (b.n) {
      b.mean /= b.n;
      b.observed /= b.n;
    }
  }
  return bins;
}

double reliability_max_gap(const std::vector<ReliabilityBin>& bins, std::size_t min_n) {
  double gap = 0;
  for (const ReliabilityBin& b : bins) {
    if (b.n >= min_n) gap = std::max(gap, std::abs(b.observed - b.mean));
  }
  return gap;
}

std::vector<std::pair<double, bool>> document_scores(const SystemResults& r) {
  std::vector<std::pair<double, bool>> out;
  for (const auto& [key, samples] : r.detection) {
    for (const DetectionSample& s : samples) out.emplace_back(s.score, s.spun_truth);
  }
  return out;
}

json results_json(const EvalResults& res) {
  json out;
  json styles = json::array();
  for (SpinStyle s : res.config.styles) styles.push_back(std::string(style_name(s)));
  out["config"] = {{"styles", styles},
                   {"rates", res.config.rates},
                   {"lengths", res.config.lengths},
                   {"docs_per_length", res.config.docs},
                   {"seed", res.config.seed}};
  json excerpts = json::object();
  for (const auto& [len, n] : res.excerpts) excerpts[std::to_string(len)] = n;
  out["excerpts"] = excerpts;
  json cells = json::array();
  json summary = json::object();
  for (const std::string& name : res.system_names) {
    const SystemResults& r = res.systems.at(name);
    for (const auto& [key, q] : r.quality) {
      json c = quality_json(q);
      c["system"] = name;
      c["style"] = key.style;
      c["rate"] = key.rate;
      c["length"] = key.length;
      auto d = r.detection.find(key);
      if (d != r.detection.end() && key.style != "clean") {
        // Capture a copy, not the structured binding: C++20 allows capturing
        // bindings, but clang 14 (the fuzz build) does not implement it yet.
        c["detection"] = detection_json(detect(r, [&, cell = key](const CellKey& k) { return k == cell; }));
      }
      cells.push_back(std::move(c));
    }
    const QualityCounts overall = sum_quality(r, spun_cell);
    const QualityCounts clean = sum_quality(r, [](const CellKey& k) { return k.style == "clean"; });
    const DetectionFigures det = detect(r, spun_cell);
    const std::string p = name + "/";
    summary[p + "overall/precision"] = overall.precision();
    summary[p + "overall/recall"] = overall.recall();
    summary[p + "overall/f1"] = overall.f1();
    summary[p + "overall/inconsistent_repeats"] = overall.inconsistent_share();
    summary[p + "overall/false_per_1k_tokens"] = overall.false_per_1k_tokens();
    summary[p + "clean/false_per_1k_tokens"] = clean.false_per_1k_tokens();
    summary[p + "detection/auc"] = det.auc;
    summary[p + "detection/f1"] = det.f1;
    summary[p + "detection/false_positive_rate"] = det.false_positive_rate;
    for (SpinStyle s : res.config.styles) {
      const std::string style(style_name(s));
      const QualityCounts q = sum_quality(r, [&](const CellKey& k) { return k.style == style; });
      summary[p + "style/" + style + "/recall"] = q.recall();
      summary[p + "style/" + style + "/precision"] = q.precision();
      summary[p + "style/" + style + "/f1"] = q.f1();
      if (res.coverage_measured) {
        summary[p + "style/" + style + "/covered_recall"] = q.covered_recall();
        summary[p + "style/" + style + "/uncovered_recall"] = q.uncovered_recall();
        summary[p + "style/" + style + "/covered_precision"] = q.covered_precision();
      }
    }
    if (res.coverage_measured) {
      summary[p + "overall/covered_recall"] = overall.covered_recall();
      summary[p + "overall/covered_precision"] = overall.covered_precision();
    }
    if (!r.edit_confidences.empty()) {
      summary[p + "reliability/edits_max_gap"] = reliability_max_gap(reliability_bins(r.edit_confidences), 100);
      json curve = json::array();
      for (const auto& [key, q] : r.curve) {
        curve.push_back({{"style", key.first},
                         {"threshold", key.second},
                         {"precision", q.precision()},
                         {"recall", q.recall()},
                         {"false_per_1k_tokens", q.false_per_1k_tokens()}});
      }
      out["curves"][name] = std::move(curve);
    }
    summary[p + "reliability/documents_max_gap"] = reliability_max_gap(reliability_bins(document_scores(r)), 100);
    summary[p + "speed/mb_per_s"] = r.seconds > 0 ? r.bytes / 1e6 / r.seconds : 0.0;
    out["speed"][name] = {
        {"bytes", r.bytes}, {"seconds", r.seconds}, {"mb_per_s", r.seconds > 0 ? r.bytes / 1e6 / r.seconds : 0.0}};
  }
  out["cells"] = std::move(cells);
  if (res.coverage_measured) {
    json cov = json::array();
    for (const auto& [key, c] : res.coverage) {
      cov.push_back({{"style", key.style},
                     {"rate", key.rate},
                     {"length", key.length},
                     {"gold", c.gold},
                     {"covered", c.covered},
                     {"coverage", c.coverage()}});
    }
    out["coverage"] = std::move(cov);
    summary["coverage/overall"] = sum_coverage(res, spun_cell).coverage();
    for (SpinStyle s : res.config.styles) {
      const std::string style(style_name(s));
      summary["coverage/" + style] = sum_coverage(res, [&](const CellKey& k) { return k.style == style; }).coverage();
    }
  }
  out["peak_rss_kb"] = res.peak_rss_kb;
  out["total_seconds"] = res.total_seconds;
  out["summary"] = std::move(summary);
  return out;
}

std::string results_markdown(const EvalResults& res) {
  std::string md;
  auto row = [&md](std::initializer_list<std::string> cells) {
    md += "|";
    for (const std::string& c : cells) md += " " + c + " |";
    md += "\n";
  };
  auto cov_cell = [&](auto pred) {
    return res.coverage_measured ? pct(sum_coverage(res, pred).coverage()) : std::string("n/a");
  };
  auto quality_cells = [](const QualityCounts& q) {
    const double g = q.gold ? double(q.gold) : 1.0;
    return std::vector<std::string>{
        std::to_string(q.gold), pct(q.restored / g), pct(q.changed / g), pct(q.missed / g),
        pct(q.precision()),     pct(q.recall()),     pct(q.f1()),        fmt("%.2f", q.false_per_1k_tokens())};
  };

  md += "### Restoration by style and spin rate (all lengths)\n\n";
  md +=
      "| system | style | rate | gold | restored | changed | missed | precision | recall | F1 | false edits /1k tokens "
      "| candidate coverage |\n";
  md += "|---|---|---|---|---|---|---|---|---|---|---|---|\n";
  for (const std::string& name : res.system_names) {
    const SystemResults& r = res.systems.at(name);
    for (SpinStyle s : res.config.styles) {
      const std::string style(style_name(s));
      for (double rate : res.config.rates) {
        auto pred = [&](const CellKey& k) { return k.style == style && k.rate == rate; };
        auto cells = quality_cells(sum_quality(r, pred));
        md += "| " + name + " | " + style + " | " + rate_label(rate);
        for (const std::string& c : cells) md += " | " + c;
        md += " | " + cov_cell(pred) + " |\n";
      }
    }
    auto cells = quality_cells(sum_quality(r, spun_cell));
    md += "| **" + name + "** | **all** | | ";
    for (std::size_t i = 0; i < cells.size(); ++i) md += (i ? " | **" : "**") + cells[i] + "**";
    md += " | " + cov_cell(spun_cell) + " |\n";
  }

  md += "\n### Restoration by document length (all styles and rates) and false edits on clean text\n\n";
  md +=
      "| system | words | spun docs | recall | precision | F1 | false edits /1k tokens (spun) | clean docs | false "
      "edits /1k tokens (clean) | inconsistent repeats (spun) |\n";
  md += "|---|---|---|---|---|---|---|---|---|---|\n";
  for (const std::string& name : res.system_names) {
    const SystemResults& r = res.systems.at(name);
    for (const auto& [length, n] : res.excerpts) {
      const QualityCounts q =
          sum_quality(r, [&, len = length](const CellKey& k) { return spun_cell(k) && k.length == len; });
      const QualityCounts c =
          sum_quality(r, [&, len = length](const CellKey& k) { return !spun_cell(k) && k.length == len; });
      row({name, "~" + std::to_string(length), std::to_string(q.docs), pct(q.recall()), pct(q.precision()), pct(q.f1()),
           fmt("%.2f", q.false_per_1k_tokens()), std::to_string(c.docs), fmt("%.2f", c.false_per_1k_tokens()),
           pct(q.inconsistent_share()) + " of " + std::to_string(q.repeated_forms)});
    }
  }

  md += "\n### Detection (spun docs with at least one substitution vs clean docs of the same lengths)\n\n";
  md +=
      "| system | style | rate | words | ROC-AUC | F1 at shipped threshold | recall | false-positive rate (clean) |\n";
  md += "|---|---|---|---|---|---|---|---|\n";
  for (const std::string& name : res.system_names) {
    const SystemResults& r = res.systems.at(name);
    auto det_row = [&](const std::string& style, const std::string& rate, const std::string& len, auto pred) {
      const DetectionFigures d = detect(r, pred);
      row({name, style, rate, len, fmt("%.3f", d.auc), pct(d.f1), pct(d.recall), pct(d.false_positive_rate)});
    };
    for (SpinStyle s : res.config.styles) {
      const std::string style(style_name(s));
      for (double rate : res.config.rates) {
        det_row(style, rate_label(rate), "all", [&](const CellKey& k) { return k.style == style && k.rate == rate; });
      }
    }
    for (const auto& [length, n] : res.excerpts) {
      det_row("all", "all", "~" + std::to_string(length),
              [&, len = length](const CellKey& k) { return spun_cell(k) && k.length == len; });
    }
    det_row("**all**", "**all**", "**all**", spun_cell);
  }

  if (res.coverage_measured) {
    md +=
        "\n### Restoration split by whether the original is among the candidates\n\n"
        "Recall on the substitutions whose original the lexicon stack proposes (covered) and on the others; "
        "precision over the edits that touch only covered substitutions.\n\n"
        "| system | style | covered share | recall (covered) | precision (covered) | recall (not covered) |\n"
        "|---|---|---|---|---|---|\n";
    for (const std::string& name : res.system_names) {
      const SystemResults& r = res.systems.at(name);
      auto split_row = [&](const std::string& style, auto pred) {
        const QualityCounts q = sum_quality(r, pred);
        row({name, style, pct(q.gold ? double(q.covered_gold) / q.gold : 0.0), pct(q.covered_recall()),
             pct(q.covered_precision()), pct(q.uncovered_recall())});
      };
      for (SpinStyle s : res.config.styles) {
        const std::string style(style_name(s));
        split_row(style, [&](const CellKey& k) { return k.style == style; });
      }
      split_row("**all**", spun_cell);
    }
  }
  bool any_graded = false;
  for (const std::string& name : res.system_names) any_graded |= !res.systems.at(name).edit_confidences.empty();
  if (any_graded) {
    md += "\n### Precision and recall by edit threshold (`--min-confidence`; shipped: " +
          fmt("%.2f", res.config.min_confidence) + ")\n\n| system | style |";
    for (double t : res.config.curve_thresholds) md += " >= " + fmt("%.2f", t) + " |";
    md += "\n|---|---|";
    for (std::size_t i = 0; i < res.config.curve_thresholds.size(); ++i) md += "---|";
    md += "\n";
    for (const std::string& name : res.system_names) {
      const SystemResults& r = res.systems.at(name);
      if (r.edit_confidences.empty()) continue;
      std::vector<std::string> styles;
      for (SpinStyle s : res.config.styles) styles.emplace_back(style_name(s));
      styles.emplace_back("clean");
      for (const std::string& style : styles) {
        std::string line = "| " + name + " | " + style + " |";
        for (double t : res.config.curve_thresholds) {
          auto it = r.curve.find({style, t});
          if (it == r.curve.end()) {
            line += " |";
          } else if (style == "clean") {
            line += " " + fmt("%.2f", it->second.false_per_1k_tokens()) + " false/1k |";
          } else {
            line += " R " + pct(it->second.recall()) + ", P " + pct(it->second.precision()) + " |";
          }
        }
        md += line + "\n";
      }
    }
    md +=
        "\n### Reliability of edit confidences (every edit at >= 0.05, spun and clean text)\n\n"
        "| system | bin | edits | mean confidence | share right |\n|---|---|---|---|---|\n";
    for (const std::string& name : res.system_names) {
      const SystemResults& r = res.systems.at(name);
      if (r.edit_confidences.empty()) continue;
      for (const ReliabilityBin& b : reliability_bins(r.edit_confidences)) {
        row({name, fmt("%.1f", b.lo) + "-" + fmt("%.1f", b.hi), std::to_string(b.n), b.n ? fmt("%.3f", b.mean) : "",
             b.n ? fmt("%.3f", b.observed) : ""});
      }
    }
  }
  md +=
      "\n### Reliability of document scores\n\n| system | bin | documents | mean score | share spun "
      "|\n|---|---|---|---|---|\n";
  for (const std::string& name : res.system_names) {
    for (const ReliabilityBin& b : reliability_bins(document_scores(res.systems.at(name)))) {
      row({name, fmt("%.1f", b.lo) + "-" + fmt("%.1f", b.hi), std::to_string(b.n), b.n ? fmt("%.3f", b.mean) : "",
           b.n ? fmt("%.3f", b.observed) : ""});
    }
  }

  // What each --threshold costs: the share of clean and of spun documents
  // (every style and rate, at least one substitution) at or above it.
  md += "\n### Documents flagged by threshold (`--threshold`; the shipped one is the calibrated verdict threshold)\n\n";
  md += "| system | threshold | clean flagged | spun flagged |\n|---|---|---|---|\n";
  for (const std::string& name : res.system_names) {
    if (name.rfind("unspin", 0) != 0) continue;  // the baselines' scores are not probabilities
    const std::vector<std::pair<double, bool>> scores = document_scores(res.systems.at(name));
    std::size_t clean = 0, spun = 0;
    for (const auto& [score, truth] : scores) (truth ? spun : clean)++;
    for (double t : {0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99}) {
      std::size_t clean_at = 0, spun_at = 0;
      for (const auto& [score, truth] : scores) (truth ? spun_at : clean_at) += score >= t;
      row({name, fmt("%.2f", t), pct(clean ? double(clean_at) / clean : 0.0) + " of " + std::to_string(clean),
           pct(spun ? double(spun_at) / spun : 0.0) + " of " + std::to_string(spun)});
    }
  }

  md += "\n### Speed of this run\n\n| system | MB processed | seconds | MB/s |\n|---|---|---|---|\n";
  for (const std::string& name : res.system_names) {
    const SystemResults& r = res.systems.at(name);
    row({name, fmt("%.2f", r.bytes / 1e6), fmt("%.2f", r.seconds),
         r.seconds > 0 ? fmt("%.2f", r.bytes / 1e6 / r.seconds) : "n/a"});
  }
  md += "\nPeak resident memory of the run (getrusage): " + fmt("%.1f", res.peak_rss_kb / 1024.0) + " MiB; wall time " +
        fmt("%.1f", res.total_seconds) + " s.\n";
  return md;
}

std::vector<std::string> check_floors(const json& summary, const json& floors, const std::string& suite) {
  if (!floors.is_object() || !floors.contains("floors") || !floors["floors"].is_array()) {
    throw Error(ErrorCode::kBadData, "floors file: expected {\"floors\": [{\"metric\": ..., \"min\"|\"max\": ...}]}");
  }
  std::vector<std::string> failures;
  for (const json& f : floors["floors"]) {
    if (!f.is_object() || !f.contains("metric") || !f["metric"].is_string() ||
        (!f.contains("min") && !f.contains("max"))) {
      throw Error(ErrorCode::kBadData, "floors file: bad entry " + f.dump());
    }
    const std::string metric = f["metric"].get<std::string>();
    const std::string entry_suite = f.contains("suite") && f["suite"].is_string() ? f["suite"].get<std::string>() : "";
    if (entry_suite != suite) continue;
    if (!summary.contains(metric)) {
      failures.push_back(metric + ": not measured in this run");
      continue;
    }
    const double value = summary[metric].get<double>();
    if (f.contains("min") && value < f["min"].get<double>()) {
      failures.push_back(metric + " = " + fmt("%.4f", value) + " is below its floor " +
                         fmt("%.4f", f["min"].get<double>()));
    }
    if (f.contains("max") && value > f["max"].get<double>()) {
      failures.push_back(metric + " = " + fmt("%.4f", value) + " is above its ceiling " +
                         fmt("%.4f", f["max"].get<double>()));
    }
  }
  return failures;
}

}  // namespace unspin::eval
