// `unspin-eval eval detect`: the document detector's fit (build part) and its
// measurement (eval part): AUC by spinner and length, clean false positives by
// genre, reliability at the base rate, the screen's cost.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <iostream>
#include <map>
#include <memory>

#include "eval_cli/commands.h"
#include "decode/fitted_params.h"
#include "eval/corpus.h"
#include "decode/model_parts.h"
#include "eval/detect_eval.h"
#include "unspin/error.h"
#include "unspin/restore.h"
#include "unspin/text.h"

namespace unspin::cli {
namespace {

struct DetectOptions {
  std::string part = "eval";
  std::string explain;
  std::string models_dir, corpora, markdown, fit_out, dump, dump_words;
  bool fit = false, no_decoder = false, feature_aucs = false;
  double base_rate = 0.1;
  int table_half = -1;  // -1: the part's own half (build 0, eval 1)
  eval::DetectConfig config;
};

// Each feature alone: its AUC for every spinner at >= 300 words (issue 19:
// "each measured alone and kept if it pays").
std::string feature_auc_table(const detect::Detector& detector, const std::vector<eval::DetectSample>& samples) {
  static const char* kNames[] = {"bias",
                                 "length",
                                 "unseen common pairs",
                                 "unseen excess",
                                 "unseen triples",
                                 "low gain",
                                 "tail",
                                 "mean log10",
                                 "oov",
                                 "rare",
                                 "missing top words",
                                 "word mixture LLR per 100 words",
                                 "word mixture LLR"};
  std::map<std::string, std::vector<const eval::DetectSample*>> by_spec;
  std::vector<const eval::DetectSample*> clean;
  for (const auto& s : samples) {
    if (s.length < 300) continue;
    if (s.spun)
      by_spec[s.spec].push_back(&s);
    else
      clean.push_back(&s);
  }
  std::string out = "| feature |";
  std::string rule = "|---|";
  for (const auto& [spec, v] : by_spec) {
    out += " " + spec + " |";
    rule += "---|";
  }
  out += " decoder null z |\n" + rule + "---|\n";
  char buf[64];
  for (int k = detect::kUnseenCommon; k <= detect::kScreenFeatures; ++k) {
    out += std::string("| ") + (k < detect::kScreenFeatures ? kNames[k] : "decoder null z") + " |";
    for (const auto& [spec, v] : by_spec) {
      std::vector<double> pos, neg;
      const auto value = [&](const eval::DetectSample* s) {
        return k < detect::kScreenFeatures ? detector.features(s->counts)[k] : s->null_z;
      };
      for (const auto* s : v) pos.push_back(value(s));
      for (const auto* s : clean) neg.push_back(value(s));
      std::snprintf(buf, sizeof buf, " %.3f |", eval::rank_auc(pos, neg));
      out += buf;
    }
    out += "\n";
  }
  return out;
}

// Every scored word of a file with what the screen sees (development aid).
void explain(const std::string& path, const std::string& models_dir) {
  const ModelPaths paths = harness_model_paths(models_dir);
  const std::unique_ptr<Models> models = Models::load(paths);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const detect::EvidenceModel& evidence = *models->parts->evidence;
  const detect::DetectorParams params = decode::fitted_of(*models).detector;
  const TokenizedText tokens = tokenize(text);
  detect::EvidenceCounts counts;
  std::vector<detect::ScoredWord> positions;
  evidence.count(tokens, 0, tokens.tokens.size(), counts, nullptr, &positions);
  for (const detect::ScoredWord& w : positions) {
    std::printf("%-20s log10 p %+6.2f  n-gram %d  log LR %+.2f\n", std::string(tokens.tokens[w.token].text).c_str(),
                w.log10_p, w.matched, w.log_lr);
  }
  const detect::Detector detector(evidence, params);
  std::printf("word mixture LLR %.2f, screen log LR %.2f\n", detect::word_mixture_llr(counts),
              detector.screen_log_lr(counts));
}

void run_detect_eval(const DetectOptions& o) {
  if (!o.explain.empty()) return explain(o.explain, o.models_dir);
  const eval::Part part = eval::parse_part(o.part);
  if (o.fit && part != eval::Part::kBuild)
    throw Error(ErrorCode::kUsage, "--fit fits on the build part only (--part build)");
  const ModelPaths paths = harness_model_paths(o.models_dir);
  const std::unique_ptr<Models> models = Models::load(paths);
  const eval::SpinnerData spinner_data =
      eval::SpinnerData::load(eval::SpinnerData::default_data_dir(), eval::SpinnerData::default_aiksaurus_dir());
  eval::DetectConfig config = o.config;
  if (config.sources.empty()) config.sources = eval::kFitSources;
  config.decoder = !o.no_decoder;
  config.word_rows = !o.dump_words.empty();
  // Fit with one half of the table's groups, measure with the other.
  config.table_half = o.table_half >= 0 ? o.table_half : part == eval::Part::kBuild ? 0 : 1;
  const std::vector<eval::CorpusDoc> docs = eval::select_part(
      eval::load_corpus(o.corpora.empty() ? eval::default_corpora_dir() : o.corpora, config.sources), part);
  const auto samples = eval::make_detect_samples(*models, spinner_data, docs, config, [](const std::string& line) {
    std::cerr << "unspin-eval: " << line << "\n";
  });
  std::cerr << "unspin-eval: " << samples.size() << " samples\n";
  const detect::EvidenceModel& evidence = *models->parts->evidence;
  detect::DetectorParams params = decode::fitted_of(*models).detector;
  std::string report;
  if (o.fit) {
    std::string summary;
    params = eval::fit_detector(evidence, samples, o.base_rate, decode::fitted_of(*models).detector, &summary);
    std::cerr << summary;
    // The fit's own command, recorded in the section and then the bundle.
    std::string command = "unspin-eval eval detect --part " + o.part + " --fit --docs " +
                          std::to_string(o.config.docs) + " --skip " + std::to_string(o.config.skip) + " --lengths";
    for (std::size_t n : o.config.lengths) command += " " + std::to_string(n);
    if (o.config.table_quarter >= 0) command += " --table-quarter " + std::to_string(o.config.table_quarter);
    if (o.config.seed != 1) command += " --seed " + std::to_string(o.config.seed);
    const std::string source = eval::params_section(params, command);
    if (o.fit_out.empty())
      std::cout << source;
    else
      std::ofstream(o.fit_out) << source;
    report += "Fitted in-sample (build part):\n\n";
  }
  const detect::Detector detector(evidence, params);
  report += eval::detect_report(detector, samples, o.base_rate);
  if (o.feature_aucs) report += "\n" + feature_auc_table(detector, samples);
  if (!o.dump.empty()) {
    std::ofstream dump(o.dump);
    dump << "gold\tsource\tlength\tspec\tspun\twords\tnull_z\tscreen_log_lr\tfull_log_lr";
    for (int k = detect::kUnseenCommon; k < detect::kScreenFeatures; ++k) dump << "\tf" << k;
    dump << "\n";
    for (const auto& s : samples) {
      const auto x = detector.features(s.counts);
      dump << s.gold_edits << '\t' << s.source << '\t' << s.length << '\t' << s.spec << '\t' << s.spun << '\t'
           << s.counts.words << '\t' << s.null_z << '\t' << detector.screen_log_lr(s.counts) << '\t'
           << detector.full_log_lr(s.counts, s.null_z);
      for (int k = detect::kUnseenCommon; k < detect::kScreenFeatures; ++k) dump << '\t' << x[k];
      dump << "\n";
    }
  }
  if (!o.dump_words.empty()) {
    std::ofstream dump(o.dump_words);
    dump << "sample\tsource\tlength\tspec\tword\tlog10_p\tunigram\tmatched\tname\tgold\tlexicon\tsentence_start\tsyn_"
            "gain\tcandidates\n";
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const auto& s = samples[i];
      const std::string prefix =
          std::to_string(i) + '\t' + s.source + '\t' + std::to_string(s.length) + '\t' + s.spec + '\t';
      std::size_t at = 0;
      while (at < s.word_rows.size()) {
        const std::size_t nl = s.word_rows.find('\n', at);
        dump << prefix << std::string_view(s.word_rows).substr(at, nl - at + 1);
        at = nl + 1;
      }
    }
  }
  if (o.markdown.empty())
    std::cout << report;
  else
    std::ofstream(o.markdown) << report;
}

}  // namespace

void add_detect_eval_command(CLI::App& app) {
  CLI::App* ev = app.get_subcommand("eval");
  auto o = std::make_shared<DetectOptions>();
  CLI::App* cmd = ev->add_subcommand(
      "detect", "The document detector: fit it on the build part (--fit) or measure it on the eval part");
  cmd->add_option("--part", o->part, "Corpus part (default eval)")->check(CLI::IsMember({"eval", "build"}));
  cmd->add_flag("--fit", o->fit,
                "Fit the detector on the build part and print its parameters (the model bundle's section file "
                "detector.json: data/fitted/detector.json for the default, then `unspin-eval bundle build`)");
  cmd->add_option("--fit-out", o->fit_out, "With --fit: write the section file here instead of standard output");
  cmd->add_option("--models", o->models_dir, "Folder with en-us.ulm and default.ulex");
  cmd->add_option("--corpora", o->corpora, "npm corpora folder");
  cmd->add_option("--sources", o->config.sources, "Genres (default: every fitting genre)");
  cmd->add_option("--lengths", o->config.lengths, "Excerpt lengths in words (default 100 300 1000 3000)");
  cmd->add_option("--docs", o->config.docs, "Excerpts per genre and length (default 40)");
  cmd->add_option(
      "--skip", o->config.skip,
      "Leave out the first N excerpts of each genre and length (the document-level fit: those the per-word model saw)");
  cmd->add_option("--seed", o->config.seed, "Spinner seed (default 1)");
  cmd->add_option("--threads", o->config.threads, "Threads (default: every core)");
  cmd->add_option("--base-rate", o->base_rate, "Share of spun documents the score assumes (default 0.1)");
  cmd->add_flag("--no-decoder", o->no_decoder, "Screen evidence only (fast)");
  cmd->add_option("--table-half", o->table_half,
                  "Spin the table style with this half of its groups (default: build 0, eval 1; development aid: "
                  "whether a fit memorised its own half)")
      ->check(CLI::Range(0, 1));
  cmd->add_option("--table-quarter", o->config.table_quarter,
                  "Spin the table style with this quarter (0 or 1) of its half only (development aid: validating a "
                  "fit on groups of its own half it never saw)")
      ->check(CLI::Range(0, 1));
  cmd->add_flag("--feature-aucs", o->feature_aucs, "Also each feature's AUC alone");
  cmd->add_option("--dump", o->dump, "Write every sample's features as TSV here");
  cmd->add_option("--dump-words", o->dump_words,
                  "Write every scored word of every sample as TSV here (development aid)");
  cmd->add_option("--markdown", o->markdown, "Write the tables here instead of standard output");
  cmd->add_option("--explain", o->explain, "Instead: print what the screen sees at every word of this file");
  cmd->callback([o] { run_detect_eval(*o); });
}

}  // namespace unspin::cli
