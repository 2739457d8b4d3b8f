#include "cli/commands.h"
namespace unspin::cli {
void add_eval_commands(CLI::App& app) {}
}  // namespace unspin::cli
