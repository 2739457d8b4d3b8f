// unspin-eval: the evaluation harness (simulated spinners, the held-out corpus
// split, the metrics, the fits, the site simulator, the trace benchmark),
// apart from the shipped `unspin` so that the product links none of it.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/run.h"
#include "eval_cli/commands.h"
#include "unspin/restore.h"

namespace unspin::cli {
namespace {
bool g_uncalibrated = false;  // unspin-eval --uncalibrated
}  // namespace

ModelPaths harness_model_paths(const std::string& models_dir) {
  ModelPaths paths = models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(models_dir);
  paths.uncalibrated = g_uncalibrated;
  return paths;
}
}  // namespace unspin::cli

int main(int argc, char** argv) {
  CLI::App app{"unspin-eval: the evaluation harness of unspin (simulated spinners, held-out measurements, fits)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(unspin::version()));
  app.add_flag("--uncalibrated", unspin::cli::g_uncalibrated,
               "Use a model bundle fitted for another LM, lexicon or feature version instead of refusing it "
               "(exit 10): to fit a bundle for new models, starting from the parameters of the one in their folder");
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "unspin-eval " << unspin::version() << "\n";
  });
  unspin::cli::add_eval_commands(app);
  unspin::cli::add_fit_command(app);
  unspin::cli::add_fit_command(*app.get_subcommand("eval"));
  unspin::cli::add_detect_eval_command(app);
  unspin::cli::add_eval_sites_command(app);
  unspin::cli::add_trace_eval_command(app);
  unspin::cli::add_tortured_eval_command(app);
  unspin::cli::add_listed_clean_hits_command(app);
  unspin::cli::add_bundle_command(app);
  return unspin::cli::run_app(app, argc, argv, "unspin-eval");
}
