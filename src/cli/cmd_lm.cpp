#include "cli/commands.h"
namespace unspin::cli {
void add_lm_commands(CLI::App& app) { app.add_subcommand("lm", "Language model tools"); }
}  // namespace unspin::cli
