// unspin: find machine-spun English, restore its words, score documents.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/run.h"
#include "unspin/restore.h"

int main(int argc, char** argv) {
  CLI::App app{"unspin: find machine-spun English text and restore its original wording"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(unspin::version()));
  app.add_subcommand("version", "Print the version")->callback([] {
    std::cout << "unspin " << unspin::version() << "\n";
  });
  unspin::cli::add_restore_check_commands(app);
  unspin::cli::add_learn_command(app);
  unspin::cli::add_lm_commands(app);
  unspin::cli::add_lexicon_commands(app);
  unspin::cli::add_archive_commands(app);
  unspin::cli::add_trace_command(app);
  unspin::cli::add_listed_commands(app);
  unspin::cli::add_serve_command(app);
  return unspin::cli::run_app(app, argc, argv, "unspin");
}
