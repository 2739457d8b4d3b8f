#include "cli/run.h"

#include <cstdio>
#include <iostream>
#include <string>
#include <new>

#include "unspin/error.h"

namespace unspin::cli {

void add_table_engine_option(CLI::App* cmd, TableEngine* engine) {
  cmd->add_option_function<std::string>(
         "--table-engine",
         [engine](const std::string& name) {
           *engine = name == "rewriter" ? TableEngine::kRewriter : TableEngine::kPlugin;
         },
         "How the spinner's group table given with --lexicon was applied: plugin (the default: original -> one of "
         "its alternatives) or rewriter (the article rewriter: any member of a line -> any other member; each line "
         "read both ways)")
      ->check(CLI::IsMember({"plugin", "rewriter"}));
}

void add_uncalibrated_option(CLI::App* cmd, bool* uncalibrated) {
  cmd->add_flag("--uncalibrated", *uncalibrated,
                "Run even when the model bundle (fitted.ubundle) was fitted for another LM, lexicon or feature "
                "version (otherwise exit 10): every result then says \"calibrated\": false, its score and "
                "confidences not being probabilities (docs/LM.md, \"The model bundle\")");
}

int run_app(CLI::App& app, int argc, char** argv, const char* program) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::RuntimeError& e) {
    return e.get_exit_code();  // a command finished with a status it already reported
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the usage error
    return code == 0 ? 0 : static_cast<int>(ErrorCode::kUsage);
  } catch (const Error& e) {
    std::fflush(stdout);
    std::cerr << program << ": error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::cerr << program << ": error: out of memory; try a smaller input or --max-input-bytes\n";
    return static_cast<int>(ErrorCode::kTooLarge);
  } catch (const std::exception& e) {
    std::cerr << program << ": internal error: " << e.what() << "\n";
    return static_cast<int>(ErrorCode::kInternal);
  }
  return 0;
}

}  // namespace unspin::cli
