#include "cli/commands.h"
namespace unspin::cli {
void add_lexicon_commands(CLI::App& app) { app.add_subcommand("lexicon", "Lexicon tools"); }
}  // namespace unspin::cli
