// `unspin-eval eval trace`: the trace benchmark (bench/trace_bench.sh runs it) and,
// with --fit, the fitting of the source score on the build part.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>

#include "eval_cli/commands.h"
#include "eval/corpus.h"
#include "eval/fit.h"
#include "trace_bench/bench.h"
#include "trace/params.h"
#include "unspin/error.h"

namespace unspin::cli {
namespace {

struct TraceEvalOptions {
  trace::BenchConfig config;
  std::string markdown;
  std::string rows_csv;
  bool fit = false;
  double l2 = 1.0;
};

void run_trace_eval(TraceEvalOptions& o) {
  if (o.config.corpora_dir.empty()) o.config.corpora_dir = eval::default_corpora_dir();
  if (o.config.archive_path.empty())
    throw Error(ErrorCode::kUsage, "give --archive FILE (built, or reused with --reuse)");
  o.config.fit_part = o.fit;
  const auto log = [](const std::string& m) { std::cerr << "eval trace: " << m << "\n"; };
  const trace::BenchResult r = trace::run_trace_bench(o.config, log);
  const std::string md = r.markdown();
  std::cout << md;
  if (!o.markdown.empty()) {
    std::ofstream out(o.markdown);
    out << md;
    if (!out) throw Error(ErrorCode::kIo, "cannot write " + o.markdown);
  }
  if (!o.rows_csv.empty()) {
    std::ofstream csv(o.rows_csv);
    csv << "label,aligned,balanced,anchors,content,weakest_quarter\n";
    for (std::size_t i = 0; i < r.rows.size(); ++i) {
      csv << r.labels[i] << ',' << r.rows[i][1] << ',' << r.rows[i][2] << ',' << r.rows[i][3] << ',' << r.rows[i][4]
          << ',' << r.rows[i][5] << "\n";
    }
  }
  if (!o.fit) return;
  double loss = 0;
  const std::vector<double> w = eval::fit_logistic(r.rows, r.labels, {}, o.l2, &loss);
  std::printf("\nfitted on %zu candidates (%zu true sources), log loss %.4f\n", r.rows.size(),
              static_cast<std::size_t>(std::count(r.labels.begin(), r.labels.end(), 1)), loss);
  std::printf("kSourceScoreWeights = {");
  for (std::size_t i = 0; i < w.size(); ++i) std::printf("%s%.3f", i ? ", " : "", w[i]);
  std::printf("};  // bias, aligned, balanced, anchors, content, weakest_quarter\n");
  // The threshold: the lowest score >= 0.5 above every wrong candidate's score under the fitted weights.
  double worst_negative = 0;
  for (std::size_t i = 0; i < r.rows.size(); ++i) {
    if (r.labels[i]) continue;
    double z = 0;
    for (std::size_t k = 0; k < w.size(); ++k) z += w[k] * r.rows[i][k];
    worst_negative = std::max(worst_negative, 1.0 / (1.0 + std::exp(-z)));
  }
  std::printf("highest score of a wrong candidate: %.4f\n", worst_negative);
}

}  // namespace

void add_trace_eval_command(CLI::App& app) {
  CLI::App* ev = app.get_subcommand("eval");
  static TraceEvalOptions o;
  CLI::App* cmd = ev->add_subcommand("trace", "Benchmark trace: recall@1, false sources, latency, restoration");
  cmd->add_option("--archive", o.config.archive_path, "Archive file to build (or reuse with --reuse)")->required();
  cmd->add_flag("--reuse", o.config.reuse_archive, "Reuse the archive when it exists (ingest is then not measured)");
  cmd->add_option("--distractors", o.config.distractors, "Archive size in documents (default 100000)");
  cmd->add_option("--originals", o.config.originals, "Originals queried as spun and clean copies (default 100)");
  cmd->add_option("--partial", o.config.partial, "Originals queried as partial copies (default 40)");
  cmd->add_option("--unseen", o.config.unseen, "Queries whose source is not in the archive (default 1000)");
  cmd->add_option("--candidates", o.config.candidates, "Documents re-ranked per query (default 12)");
  cmd->add_option("--seed", o.config.seed, "Seed of the document choice and the spinners");
  cmd->add_option("--corpora", o.config.corpora_dir, "npm corpora folder (default: the one setup.sh fills)");
  cmd->add_option("--markdown", o.markdown, "Also write the table to this file");
  cmd->add_option("--batch", o.config.batch, "Documents per ingest transaction (default 10000)");
  cmd->add_option("--anchor-gram", o.config.fingerprint.anchor_gram, "Fingerprint: anchors per feature (new archive)");
  cmd->add_option("--skeleton-words", o.config.fingerprint.skeleton_words, "Fingerprint: words per skeleton shingle");
  cmd->add_option("--skeleton-sample", o.config.fingerprint.skeleton_sample, "Fingerprint: keep 1 shingle in N");
  cmd->add_option("--max-gap-words", o.config.max_gap_words, "Longest substitution run (words per side)");
  cmd->add_option("--max-postings", o.config.max_postings, "Features in more documents than this do not vote");
  cmd->add_option("--rows", o.rows_csv, "Write every candidate's evidence and label as CSV");
  cmd->add_option("--l2", o.l2, "L2 penalty of the fit (default 1; larger = flatter, less confident scores)");
  cmd->add_flag("--fit", o.fit, "Run on the BUILD part and fit the source score's weights (src/trace/params.h)");
  cmd->callback([] { run_trace_eval(o); });
}

}  // namespace unspin::cli
