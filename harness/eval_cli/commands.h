// Registration of unspin-eval's subcommands (the evaluation harness's own
// program; the product's commands are src/cli/commands.h). Each file adds its
// subcommands; callbacks throw unspin::Error and main() maps the error code to
// the exit status (cli/run.h), as `unspin` does.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "unspin/restore.h"

namespace unspin::cli {

// The models of a harness command: `models_dir`, or the default folder, with
// `unspin-eval --uncalibrated` applied (a bundle fitted for other models is
// then used instead of refused: fitting a bundle for a new LM starts from
// the default sections' parameters; docs/LM.md).
ModelPaths harness_model_paths(const std::string& models_dir);

void add_eval_commands(CLI::App& app);  // spin, eval, eval corpus, eval genres
// fit under `parent`: the program (`fit`) and `eval` (`eval fit`, the name it
// had when the harness lived in `unspin`).
void add_fit_command(CLI::App& parent);
void add_detect_eval_command(CLI::App& app);        // eval detect (after add_eval_commands)
void add_eval_sites_command(CLI::App& app);         // eval sites (after add_eval_commands)
void add_trace_eval_command(CLI::App& app);         // eval trace (after add_eval_commands)
void add_tortured_eval_command(CLI::App& app);      // eval tortured (after add_eval_commands)
void add_listed_clean_hits_command(CLI::App& app);  // listed clean-hits
void add_bundle_command(CLI::App& app);             // bundle build, bundle show

}  // namespace unspin::cli
