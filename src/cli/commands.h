// Registration of the CLI's subcommands. Each stage owns one file that adds
// its subcommands; callbacks throw unspin::Error and main() maps the error
// code to the exit status (cli/run.h). The evaluation harness's commands
// (spin, eval, fit) belong to its own program, unspin-eval (harness/eval_cli).
#pragma once

#include <CLI/CLI.hpp>

namespace unspin::cli {

void add_restore_check_commands(CLI::App& app);  // restore, check
void add_learn_command(CLI::App& app);           // learn
void add_lm_commands(CLI::App& app);             // lm ...
void add_lexicon_commands(CLI::App& app);        // lexicon ...
void add_archive_commands(CLI::App& app);        // archive add|stats|verify|remove
void add_trace_command(CLI::App& app);           // trace
void add_listed_commands(CLI::App& app);         // listed stats|scan
void add_serve_command(CLI::App& app);           // serve

}  // namespace unspin::cli
