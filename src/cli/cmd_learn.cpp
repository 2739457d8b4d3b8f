// `unspin learn`: the spinner table estimated from documents (the spinner
// model's entry posteriors), or, with --archive, aligned from their sources.
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/learned_table.h"
#include "unspin/archive.h"
#include "unspin/error.h"
#include "unspin/restore.h"
#include "unspin/trace.h"

namespace unspin::cli {

void write_learned_table(const std::string& path, const std::string& header,
                         const std::vector<LearnedPair>& pairs) {
  std::string text = "# " + header + "\n# original<TAB>spun<TAB>prior  # count N\n";
  char prior[32];
  for (const LearnedPair& p : pairs) {
    std::snprintf(prior, sizeof prior, "%.3f", p.prior);
    text += p.original + '\t' + p.spun + '\t' + prior + "  # count " + std::to_string(p.count) + "\n";
  }
  if (path == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return;
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) throw Error(ErrorCode::kIo, "cannot write " + path);
}

namespace {

struct LearnOptions {
  std::vector<std::string> files{"-"};
  std::string out = "-";
  std::string models_dir;
  std::vector<std::string> user_lexicons;
  std::string archive;
  std::string max_input = "64M";
  bool same_source = false;
  double min_prior = 0.5;
};

int run_learn(const LearnOptions& o) {
  const std::size_t max_bytes = parse_size(o.max_input);
  std::vector<std::string> texts;
  int status = 0;
  for (const std::string& file : o.files) {
    try {
      std::string text = read_input(file, max_bytes);
      validate_input(text, max_bytes);
      texts.push_back(std::move(text));
    } catch (const Error& e) {
      std::cerr << "unspin: error: " << (file == "-" ? "<stdin>" : file) << ": " << e.what() << "\n";
      if (status == 0) status = static_cast<int>(e.code());
    }
  }
  if (texts.empty()) return status;
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<LearnedPair> pairs;
  std::string header;
  if (!o.archive.empty()) {
    // Traced pairs: prior = the share of the original's aligned occurrences
    // the spinner replaced by this form.
    const auto archive = open_archive(o.archive, ArchiveAccess::kRead);
    Tracer tracer(*archive, TraceOptions{});
    for (const TracedPair& t : tracer.traced_pairs(views)) {
      const double prior = t.original_seen ? std::min(1.0, static_cast<double>(t.count) / t.original_seen) : 1.0;
      pairs.push_back({t.original, t.spun, prior, t.count});
    }
    header = "spinner table learned by `unspin learn --archive` from " + std::to_string(texts.size()) +
             " text(s) aligned with their sources";
  } else {
    ModelPaths paths = o.models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(o.models_dir);
    paths.user_lexicons = o.user_lexicons;
    const auto models = Models::load(paths);
    RestoreOptions options;
    options.max_input_bytes = max_bytes;
    const Restorer restorer(*models, options);
    pairs = restorer.learn(views, o.same_source, o.min_prior);
    header = "spinner table learned by `unspin learn" + std::string(o.same_source ? " --same-source" : "") +
             "` from " + std::to_string(texts.size()) + " text(s): prior = the spinner model's posterior "
             "that the table holds the pair";
  }
  write_learned_table(o.out, header, pairs);
  return status;
}

}  // namespace

void add_learn_command(CLI::App& app) {
  static LearnOptions o;
  CLI::App* cmd = app.add_subcommand(
      "learn", "Estimate a spinner's table from documents it spun (TSV that --lexicon reads)");
  cmd->add_option("files", o.files, "Input files; - (the default) reads standard input");
  cmd->add_option("-o,--output", o.out, "Write the table here (default: standard output)");
  cmd->add_option("--models", o.models_dir, "Folder with en-us.ulm and default.ulex");
  cmd->add_option("--lexicon", o.user_lexicons, "Extra lexicon (as for restore); repeat for several")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("--archive", o.archive,
                  "Archive of originals: learn from each text's aligned source instead (the strongest signal)");
  cmd->add_flag("--same-source", o.same_source, "The texts come from one spinner: estimate one table across them");
  cmd->add_option("--min-prior", o.min_prior, "Keep pairs at least this probable (default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-input-bytes", o.max_input, "Refuse inputs larger than this (default 64M)");
  cmd->callback([] {
    const int status = run_learn(o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
