// unspin: find machine-spun English, restore its words, score documents.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "unspin/error.h"
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
  unspin::cli::add_eval_commands(app);
  unspin::cli::add_fit_command(app);
  unspin::cli::add_detect_eval_command(app);
  unspin::cli::add_eval_sites_command(app);
  unspin::cli::add_archive_commands(app);
  unspin::cli::add_trace_command(app);
  unspin::cli::add_trace_eval_command(app);
  unspin::cli::add_tortured_eval_command(app);
  unspin::cli::add_listed_commands(app);
  unspin::cli::add_serve_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command finished with a status it already reported
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the usage error
    return code == 0 ? 0 : static_cast<int>(unspin::ErrorCode::kUsage);
  } catch (const unspin::Error& e) {
    std::fflush(stdout);
    std::cerr << "unspin: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << "unspin: error: out of memory; try a smaller input or --max-input-bytes\n";
    return static_cast<int>(unspin::ErrorCode::kTooLarge);
  } catch (const std::exception& e) {
    std::cerr << "unspin: internal error: " << e.what() << "\n";
    return static_cast<int>(unspin::ErrorCode::kInternal);
  }
  return 0;
}
