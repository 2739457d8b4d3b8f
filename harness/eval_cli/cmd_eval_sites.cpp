// `unspin-eval eval sites`: the site simulator's learning curves (harness/eval/sites.h),
// and with --samples the pairs the site learner's prior is fitted on (build part).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "eval_cli/commands.h"
#include "cli/input.h"
#include "eval/corpus.h"
#include "eval/report.h"
#include "eval/sites.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin::cli {
namespace {

struct SitesOptions {
  std::string part = "eval";
  std::vector<std::size_t> sizes{10, 50, 200, 1000};
  std::vector<std::uint64_t> seeds{1};
  std::size_t heldout = 100, page_words = 300;
  double intensity = 1.0, min_prior = 0.5, table_prior = 0.5;
  std::string style = "table";
  unsigned threads = 0;
  bool quick = false;
  std::string models_dir, corpora, json_out, markdown_out, plot, floors, write_pages, samples;
  std::vector<std::string> sources = eval::kAllSources;
};

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(ErrorCode::kIo, "cannot write " + path);
}

int run_sites(const SitesOptions& o) {
  if (!o.samples.empty() && o.part != "build") {
    throw Error(ErrorCode::kUsage, "eval sites --samples writes fitting data of the build part only: add --part build");
  }
  nlohmann::json floors;
  if (!o.floors.empty()) {
    try {
      floors = nlohmann::json::parse(read_input(o.floors, kDefaultMaxInputBytes));
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::kBadData, o.floors + ": not JSON: " + e.what());
    }
    if (!floors.contains("site_floors")) throw Error(ErrorCode::kBadData, o.floors + ": no \"site_floors\" list");
    floors = nlohmann::json{{"floors", floors["site_floors"]}};
    eval::check_floors(nlohmann::json::object(), floors);  // validates the format
  }
  eval::SiteConfig config;
  config.part = eval::parse_part(o.part);
  config.sizes = o.sizes;
  config.heldout = o.heldout;
  config.page_words = o.page_words;
  config.intensity = o.intensity;
  config.style = eval::parse_style(o.style);
  if (!eval::is_table_style(config.style))
    throw Error(ErrorCode::kUsage, "eval sites --style: a table style (table or symmetric)");
  config.min_prior = o.min_prior;
  config.table_prior = o.table_prior;
  config.threads = o.threads;
  config.write_pages = o.write_pages;
  config.samples = o.samples;
  if (o.quick) {
    config.sizes = {10, 50, 200};
    config.heldout = 50;
  }
  const eval::SpinnerData data =
      eval::SpinnerData::load(eval::SpinnerData::default_data_dir(), eval::SpinnerData::default_aiksaurus_dir());
  const std::vector<eval::CorpusDoc> docs = eval::select_part(
      eval::load_corpus(o.corpora.empty() ? eval::default_corpora_dir() : o.corpora, o.sources), config.part);
  const ModelPaths paths = harness_model_paths(o.models_dir);
  const std::unique_ptr<Models> models = Models::load(paths);
  SiteLearner learner(*models);
  std::vector<eval::SiteResults> results;
  for (std::uint64_t seed : o.seeds) {
    config.seed = seed;
    std::cerr << "unspin-eval: site seed " << seed << " (" << o.part << " part)\n";
    results.push_back(eval::run_site(config, data, docs, *models, learner,
                                     [](const std::string& line) { std::cerr << "unspin-eval:   " << line << "\n"; }));
  }
  if (!o.write_pages.empty()) {
    std::cerr << "unspin-eval: wrote the learning pages to " << o.write_pages << "\n";
    return 0;
  }
  if (!o.json_out.empty()) write_text(o.json_out, eval::sites_json(results));
  if (!o.plot.empty()) write_text(o.plot, eval::sites_svg(results));
  const std::string md = eval::sites_markdown(results);
  if (!o.markdown_out.empty())
    write_text(o.markdown_out, md);
  else
    std::cout << md;
  if (!o.floors.empty()) {
    // Summary metrics of the first site: sites/<pages>/<metric>.
    nlohmann::json summary = nlohmann::json::object();
    bool never_hurts = true;
    for (const eval::SitePoint& p : results.front().points) {
      const std::string k = "sites/" + std::to_string(p.pages) + "/";
      summary[k + "heldout_recall"] = p.heldout_learned.recall();
      summary[k + "heldout_precision"] = p.heldout_learned.precision();
      summary[k + "pair_precision"] = p.pair_precision();
      // Learning never hurts: over every site of this size (SitePoint::sites).
      never_hurts = never_hurts && p.sites_heldout_learned.recall() >= p.sites_heldout_alone.recall() &&
                    p.sites_heldout_learned.precision() >= p.sites_heldout_alone.precision() &&
                    p.sites_learning_learned.recall() >= p.sites_learning_alone.recall() &&
                    p.sites_learning_learned.precision() >= p.sites_learning_alone.precision();
    }
    summary["sites/never_hurts"] = never_hurts ? 1.0 : 0.0;
    const auto failures = eval::check_floors(summary, floors);
    for (const std::string& f : failures) std::cerr << "unspin-eval: floor: " << f << "\n";
    if (!failures.empty()) return 1;
    std::cerr << "unspin-eval: all " << floors["floors"].size() << " site floors hold\n";
  }
  return 0;
}

}  // namespace

void add_eval_sites_command(CLI::App& app) {
  CLI::App* eval = app.get_subcommand("eval");
  auto o = std::make_shared<SitesOptions>();
  CLI::App* cmd = eval->add_subcommand(
      "sites", "Learning curves of the site learner: N pages of one site spun by one table, learned and restored");
  cmd->add_option("--part", o->part, "eval (default; half 1 of the table's groups) or build (half 0)")
      ->check(CLI::IsMember({"eval", "build"}));
  cmd->add_option("--sizes", o->sizes, "Learning pages, each a prefix of the next (default 10 50 200 1000)");
  cmd->add_option("--heldout", o->heldout, "Held-out pages of the same site (default 100)");
  cmd->add_option("--page-words", o->page_words, "Words per page (default 300)");
  cmd->add_option("--seeds", o->seeds, "One site per seed (default 1)");
  cmd->add_option("--intensity", o->intensity, "Table style intensity (default 1)")->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--style", o->style,
                  "The engine that spins the site: table (default) or symmetric (the article rewriter)");
  cmd->add_option("--min-prior", o->min_prior, "Pairs kept in the learned table (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option(
         "--table-prior", o->table_prior,
         "Pairs written to the learned table the pages are restored with (default 0.5, as unspin learn writes)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threads", o->threads, "Threads (default: every core)");
  cmd->add_option("--samples", o->samples,
                  "Build part: append every scored pair (features, sums, in the true table) here, "
                  "for harness/fit/fit_site_learner.py");
  cmd->add_flag("--quick", o->quick, "Small run for CI: sizes 10 50 200, 50 held-out pages");
  cmd->add_option("--models", o->models_dir, "Folder with en-us.ulm and default.ulex");
  cmd->add_option("--corpora", o->corpora, "npm corpora folder");
  cmd->add_option("--sources", o->sources, "Corpus sources (default: brown-press sotu nlp-corpus)");
  cmd->add_option("--json", o->json_out, "Write the results as JSON here");
  cmd->add_option("--markdown", o->markdown_out, "Write the tables here instead of standard output");
  cmd->add_option("--plot", o->plot, "Write the learning curves as SVG here");
  cmd->add_option("--write-pages", o->write_pages,
                  "Instead: write the (first seed's) spun learning pages as JSON lines here (for learn --jsonl)");
  cmd->add_option("--check-floors", o->floors,
                  "Exit 1 when a figure falls below the \"site_floors\" of this JSON file");
  cmd->callback([o] {
    const int status = run_sites(*o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
