// `unspin-eval eval tortured`: listed and unlisted tortured phrases (issue 21;
// harness/eval/tortured.h, docs/EVALUATION.md "Tortured phrases").
#include <fstream>
#include <iostream>

#include "eval_cli/commands.h"
#include "eval/corpus.h"
#include "eval/report.h"
#include "eval/tortured.h"
#include "unspin/error.h"

namespace unspin::cli {
namespace {

struct TorturedEvalOptions {
  eval::TorturedConfig config;
  std::string json_out, markdown_out, floors;
};

void run_tortured_eval(TorturedEvalOptions& o) {
  if (o.config.corpora_dir.empty()) o.config.corpora_dir = eval::default_corpora_dir();
  if (!o.config.dump_candidates.empty() && !o.config.fit_part) {
    throw Error(ErrorCode::kUsage, "--dump-candidates fits weights: it needs --fit-part (never the eval part)");
  }
  nlohmann::json floors;
  if (!o.floors.empty()) {
    std::ifstream in(o.floors);
    if (!in) throw Error(ErrorCode::kIo, "cannot read " + o.floors);
    try {
      floors = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
      throw Error(ErrorCode::kBadData, o.floors + ": " + e.what());
    }
    eval::check_floors(nlohmann::json::object(), floors, "tortured");  // validates the format
  }
  const eval::TorturedReport r =
      eval::run_tortured(o.config, [](const std::string& m) { std::cerr << "eval tortured: " << m << "\n"; });
  const std::string md = r.markdown();
  std::cout << md;
  const nlohmann::json summary = r.summary();
  if (!o.markdown_out.empty()) {
    std::ofstream out(o.markdown_out);
    out << md;
    if (!out) throw Error(ErrorCode::kIo, "cannot write " + o.markdown_out);
  }
  if (!o.json_out.empty()) {
    std::ofstream out(o.json_out);
    out << nlohmann::json{{"summary", summary}}.dump(2) << "\n";
    if (!out) throw Error(ErrorCode::kIo, "cannot write " + o.json_out);
  }
  if (!o.floors.empty()) {
    const auto failures = eval::check_floors(summary, floors, "tortured");
    for (const std::string& f : failures) std::cerr << "floor: " << f << "\n";
    if (!failures.empty())
      throw Error(ErrorCode::kInternal, std::to_string(failures.size()) + " tortured floor(s) failed");
    std::cerr << "eval tortured: every floor holds\n";
  }
}

}  // namespace

void add_tortured_eval_command(CLI::App& app) {
  CLI::App* ev = app.get_subcommand("eval");
  static TorturedEvalOptions o;
  CLI::App* cmd =
      ev->add_subcommand("tortured", "Listed and unlisted tortured phrases in scientific prose; clean false hits");
  cmd->add_option("--phrases", o.config.phrases, "Phrases per set, listed and unlisted (default 400)");
  cmd->add_option("--per-doc", o.config.per_doc, "Phrases inserted per excerpt (default 2)");
  cmd->add_option("--clean-docs", o.config.clean_docs, "Clean excerpts per genre source (default 60)");
  cmd->add_option("--seed", o.config.seed, "Seed of the phrase choice and inflection");
  cmd->add_option("--models", o.config.models_dir, "Model folder (default: the one setup.sh fills)");
  cmd->add_option("--corpora", o.config.corpora_dir, "npm corpora folder (default: the one setup.sh fills)");
  cmd->add_flag("--fit-part", o.config.fit_part,
                "Fitting mode: split the list's fitting part again, build-part text (never the eval part)");
  cmd->add_option("--review-threshold", o.config.review_threshold,
                  "Review spans at or above this confidence (default 0.2)");
  cmd->add_option(
      "--dump-candidates", o.config.dump_candidates,
      "Write the unlisted finder's candidate windows of the unlisted set, with labels, as TSV (needs --fit-part)");
  cmd->add_option("--json", o.json_out, "Write {\"summary\": {...}} here");
  cmd->add_option("--markdown", o.markdown_out, "Write the tables here");
  cmd->add_option("--check-floors", o.floors, "Check the floors of suite \"tortured\" in this file");
  cmd->callback([] { run_tortured_eval(o); });
}

}  // namespace unspin::cli
