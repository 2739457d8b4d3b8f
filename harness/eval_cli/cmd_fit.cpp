// `unspin-eval fit` (also `unspin-eval eval fit`, its name before the harness
// had its own program): fits the decoder's edit and detection models on
// simulated spinning of the BUILD part of the corpora and prints the weights
// to ship.
#include <iostream>
#include <memory>

#include <unistd.h>

#include "eval_cli/commands.h"
#include "eval/corpus.h"
#include "eval/fit.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin::cli {

namespace {

struct FitOptions {
  std::string models_dir;
  std::string corpora_dir;
  eval::FitConfig config;
};

}  // namespace

void add_fit_command(CLI::App& parent) {
  auto o = std::make_shared<FitOptions>();
  CLI::App* fit = parent.add_subcommand(
      "fit", "Fit the decoder's edit and detection models on spun BUILD-part text (never the eval part)");
  fit->add_option("--models", o->models_dir, "Model folder (default: $UNSPIN_MODELS or ./models)");
  fit->add_option("--corpora", o->corpora_dir,
                  "npm corpora folder (default: $UNSPIN_CORPORA or ./corpora/node_modules)");
  fit->add_option("--docs", o->config.docs, "Excerpts per length, each clean and spun (default 40)");
  fit->add_option("--clean-docs", o->config.clean_docs, "Further clean excerpts per length (default 80)");
  fit->add_option("--seed", o->config.seed, "First spinner seed (default 1000; the evaluation uses others)");
  fit->add_flag("--calibrate-only", o->config.calibrate_only,
                "Keep the shipped priors and LM temperature; refit only the two calibrations");
  fit->callback([o] {
    const std::string& models_dir = o->models_dir;
    const std::string& corpora_dir = o->corpora_dir;
    const eval::FitConfig& config = o->config;
    const ModelPaths paths = harness_model_paths(models_dir);
    std::unique_ptr<Models> models = Models::load(paths);
    const eval::SpinnerData spinner_data =
        eval::SpinnerData::load(eval::SpinnerData::default_data_dir(), eval::SpinnerData::default_aiksaurus_dir());
    std::vector<eval::CorpusDoc> docs = eval::select_part(
        eval::load_corpus(corpora_dir.empty() ? eval::default_corpora_dir() : corpora_dir, eval::kFitSources),
        eval::Part::kBuild);
    // The "table given" case: the table style's groups as a user lexicon.
    char table_path[] = "/tmp/unspin-fit-table-XXXXXX";
    const int fd = ::mkstemp(table_path);
    if (fd < 0) throw Error(ErrorCode::kIo, "cannot create a temporary file for the table");
    const std::string table = spinner_data.table.to_text();
    const bool written = ::write(fd, table.data(), table.size()) == static_cast<ssize_t>(table.size());
    ::close(fd);
    std::unique_ptr<Models> table_models;
    if (written) {
      ModelPaths with_table = paths;
      with_table.user_lexicons = {table_path};
      table_models = Models::load(with_table);
    }
    ::unlink(table_path);
    const eval::FitResult result = eval::fit_decoder(*models, table_models.get(), spinner_data, docs, config,
                                                     [](const std::string& line) { std::cerr << line << "\n"; });
    std::cout << result.summary();
  });
}

}  // namespace unspin::cli
