#include "eval/plots.h"

#include <cstdio>
#include <vector>

#include "eval/report.h"

namespace unspin::eval {
namespace {

constexpr int kSize = 360, kMargin = 50;
const char* const kColors[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

double x_of(double v) { return kMargin + v * kSize; }
double y_of(double v) { return kMargin + (1 - v) * kSize; }

std::string frame(const std::string& title, const std::string& x_label, const std::string& y_label) {
  const int w = kSize + 2 * kMargin + 150, h = kSize + 2 * kMargin;
  std::string s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(w) + "\" height=\"" +
                  std::to_string(h) + "\" font-family=\"sans-serif\" font-size=\"11\">\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  s += "<text x=\"" + num(kMargin) + "\" y=\"20\" font-size=\"13\">" + title + "</text>\n";
  s += "<rect x=\"" + num(kMargin) + "\" y=\"" + num(kMargin) + "\" width=\"" + num(kSize) + "\" height=\"" +
       num(kSize) + "\" fill=\"none\" stroke=\"#444\"/>\n";
  for (int i = 0; i <= 10; i += 2) {
    const double v = i / 10.0;
    s += "<text x=\"" + num(x_of(v) - 8) + "\" y=\"" + num(y_of(0) + 15) + "\">" + num(v) + "</text>\n";
    s += "<text x=\"" + num(kMargin - 28) + "\" y=\"" + num(y_of(v) + 4) + "\">" + num(v) + "</text>\n";
    s += "<line x1=\"" + num(x_of(v)) + "\" y1=\"" + num(y_of(0)) + "\" x2=\"" + num(x_of(v)) + "\" y2=\"" +
         num(y_of(1)) + "\" stroke=\"#eee\"/>\n";
    s += "<line x1=\"" + num(x_of(0)) + "\" y1=\"" + num(y_of(v)) + "\" x2=\"" + num(x_of(1)) + "\" y2=\"" +
         num(y_of(v)) + "\" stroke=\"#eee\"/>\n";
  }
  s += "<text x=\"" + num(x_of(0.45)) + "\" y=\"" + num(y_of(0) + 32) + "\">" + x_label + "</text>\n";
  s += "<text transform=\"translate(14," + num(y_of(0.4)) + ") rotate(-90)\">" + y_label + "</text>\n";
  return s;
}

std::string polyline(const std::vector<std::pair<double, double>>& points, const char* color, bool dots) {
  std::string s = "<polyline fill=\"none\" stroke=\"" + std::string(color) + "\" stroke-width=\"2\" points=\"";
  for (const auto& [x, y] : points) s += num(x_of(x)) + "," + num(y_of(y)) + " ";
  s += "\"/>\n";
  if (dots) {
    for (const auto& [x, y] : points) {
      s += "<circle cx=\"" + num(x_of(x)) + "\" cy=\"" + num(y_of(y)) + "\" r=\"3\" fill=\"" + color + "\"/>\n";
    }
  }
  return s;
}

std::string legend(int index, const std::string& label, const char* color) {
  const double y = kMargin + 14 + 16 * index;
  return "<rect x=\"" + num(kMargin + kSize + 15) + "\" y=\"" + num(y - 9) + "\" width=\"10\" height=\"10\" fill=\"" +
         color + "\"/><text x=\"" + num(kMargin + kSize + 30) + "\" y=\"" + num(y) + "\">" + label + "</text>\n";
}

}  // namespace

std::string precision_recall_svg(const EvalResults& results, const std::string& system) {
  std::string s = frame("unspin-eval eval: precision-recall by edit threshold (" + system + ")", "recall", "precision");
  const SystemResults& r = results.systems.at(system);
  int index = 0;
  for (SpinStyle style : results.config.styles) {
    const std::string name(style_name(style));
    std::vector<std::pair<double, double>> points;
    for (double t : results.config.curve_thresholds) {
      auto it = r.curve.find({name, t});
      if (it != r.curve.end() && it->second.edits > 0) points.emplace_back(it->second.recall(), it->second.precision());
    }
    const char* color = kColors[index % 6];
    s += polyline(points, color, true);
    s += legend(index++, name, color);
  }
  return s + "</svg>\n";
}

std::string reliability_svg(const EvalResults& results, const std::string& system) {
  std::string s = frame("unspin-eval eval: reliability (" + system + ")", "predicted probability", "observed share");
  s += polyline({{0, 0}, {1, 1}}, "#999", false);
  const SystemResults& r = results.systems.at(system);
  int index = 0;
  auto add = [&](const std::vector<std::pair<double, bool>>& samples, const std::string& label) {
    std::vector<std::pair<double, double>> points;
    for (const ReliabilityBin& b : reliability_bins(samples)) {
      if (b.n >= 20) points.emplace_back(b.mean, b.observed);
    }
    const char* color = kColors[index % 6];
    s += polyline(points, color, true);
    s += legend(index++, label, color);
  };
  if (!r.edit_confidences.empty()) add(r.edit_confidences, "edit confidence");
  add(document_scores(r), "document score");
  s += "<text x=\"" + num(kMargin + kSize + 15) + "\" y=\"" + num(kMargin + 60) + "\">bins of 0.1 with</text>\n";
  s += "<text x=\"" + num(kMargin + kSize + 15) + "\" y=\"" + num(kMargin + 74) + "\">at least 20 samples</text>\n";
  return s + "</svg>\n";
}

}  // namespace unspin::eval
