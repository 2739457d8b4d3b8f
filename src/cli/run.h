// Running a CLI11 application with the exit-status contract of the unspin
// programs (`unspin`, and the evaluation harness's `unspin-eval`): the status
// of a command that already reported (CLI::RuntimeError), help (0) or a usage
// error (kUsage), and for every other failure one line on stderr,
// "<program>: error: ..." or "<program>: internal error: ...", with the
// ErrorCode of include/unspin/error.h as the status.
#pragma once

#include <CLI/CLI.hpp>

#include "unspin/restore.h"

namespace unspin::cli {

// --table-engine plugin|rewriter: how a spinner's group table given with
// --lexicon was applied (TableEngine, include/unspin/restore.h).
void add_table_engine_option(CLI::App* cmd, TableEngine* engine);
// --uncalibrated: run with a model bundle fitted for another LM, lexicon or
// feature version instead of refusing it (ModelPaths::uncalibrated).
void add_uncalibrated_option(CLI::App* cmd, bool* uncalibrated);

// Parses argv into `app`, runs the chosen command's callback and returns the
// process exit status. `program` names the program in error messages.
int run_app(CLI::App& app, int argc, char** argv, const char* program);

}  // namespace unspin::cli
