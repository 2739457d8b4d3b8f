// `unspin trace`: find the source of a spun copy in the archive, with the
// substitutions the spinner made; --learn-table writes them as a spinner table.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/learned_table.h"
#include "unspin/restore.h"
#include "cli/progress.h"
#include "unspin/error.h"
#include "report/report.h"
#include "unspin/trace.h"

namespace unspin::cli {
namespace {

using nlohmann::json;

struct TraceCliOptions {
  std::string archive;
  std::vector<std::string> files{"-"};
  bool as_json = false;
  std::size_t top = 3;
  std::string learn_table;
  std::string max_input = "64M";
  std::size_t candidates = TraceOptions{}.candidates;
};

std::string display(const std::string& file) { return file == "-" ? "<stdin>" : file; }

void print_human(const std::string& file, const TraceResult& r, double threshold) {
  if (r.sources.empty() || r.sources[0].score < threshold) {
    std::printf("%s: no source found (%zu candidates examined", display(file).c_str(), r.candidates);
    if (!r.sources.empty()) std::printf("; best %s, score %.3f", r.sources[0].id.c_str(), r.sources[0].score);
    std::printf(")\n");
    return;
  }
  for (std::size_t i = 0; i < r.sources.size(); ++i) {
    const TracedSource& s = r.sources[i];
    std::printf("%s: %s %s (score %.3f, %.0f%% of the words aligned, %zu substitution%s)\n", display(file).c_str(),
                i == 0 ? "source" : "also", s.id.c_str(), s.score, 100.0 * s.aligned, s.substitutions.size(),
                s.substitutions.size() == 1 ? "" : "s");
    if (i != 0) continue;
    for (const TracedSubstitution& t : s.substitutions) {
      std::printf("  @%u  %s -> %s\n", t.offset, t.spun.c_str(), t.original.c_str());
    }
  }
}

// The learned table `unspin learn --archive` writes (docs/SCHEMA.md §9).
void write_learn_table(const std::string& path, const std::vector<TracedPair>& traced, std::size_t texts) {
  write_learned_table(path, learned_table_text(aligned_table(traced), texts, "", true));
}

int run_trace(const TraceCliOptions& o) {
  TraceOptions options;
  options.max_input_bytes = parse_size(o.max_input);
  options.max_sources = o.top;
  options.candidates = std::max(o.candidates, o.top);
  int status = 0;
  auto fail = [&](const std::string& file, const Error& e) {
    std::cerr << "unspin: error: " << display(file) << ": " << e.what() << "\n";
    if (status == 0) status = static_cast<int>(e.code());
  };
  // Read and check every input before opening the archive, as restore does
  // before loading models.
  std::vector<std::pair<std::string, std::string>> inputs;
  for (const std::string& file : o.files) {
    try {
      std::string text = read_input(file, options.max_input_bytes);
      validate_input(text, options.max_input_bytes);
      inputs.emplace_back(file, std::move(text));
    } catch (const Error& e) {
      fail(file, e);
    }
  }
  if (inputs.empty()) return status;
  auto store = open_archive(o.archive, ArchiveAccess::kRead);
  Tracer tracer(*store, options);
  json all = json::array();
  Progress progress(inputs.size(), 0, "documents");
  for (const auto& [file, text] : inputs) {
    const TraceResult r = tracer.trace(text);
    if (o.as_json) {
      json j;
      j["sources"] = json::array();
      for (const TracedSource& s : r.sources) j["sources"].push_back(report::traced_source_json(s));
      if (inputs.size() > 1) j["file"] = display(file);
      all.push_back(std::move(j));
    } else {
      print_human(file, r, options.source_threshold);
    }
    progress.advance();
  }
  if (o.as_json) {
    const auto dump = [](const json& j) { return j.dump(2, ' ', false, json::error_handler_t::replace); };
    std::cout << (all.size() == 1 ? dump(all[0]) : dump(all)) << "\n";
  }
  if (!o.learn_table.empty()) {
    std::vector<std::string_view> texts;
    for (const auto& input : inputs) texts.emplace_back(input.second);
    write_learn_table(o.learn_table, tracer.traced_pairs(texts), texts.size());
  }
  return status;
}

}  // namespace

void add_trace_command(CLI::App& app) {
  static TraceCliOptions o;
  CLI::App* cmd = app.add_subcommand("trace", "Find the source of a spun copy in an archive of originals");
  cmd->add_option("--archive", o.archive, "The archive (built with `unspin archive add`)")->required();
  cmd->add_flag("--json", o.as_json,
                "Print {\"sources\":[{id, score, aligned, substitutions[]}]} (offsets in code points)");
  cmd->add_option("--top", o.top, "Sources reported per input (default 3)")->check(CLI::Range(1, 100));
  cmd->add_option("--candidates", o.candidates, "Documents re-ranked by alignment per input (default 12)")
      ->check(CLI::Range(1, 1000));
  cmd->add_option("--learn-table", o.learn_table,
                  "Also write the substitutions of every input whose source was found as a spinner table "
                  "(TSV original<TAB>spun<TAB>prior, as `unspin learn` writes)");
  cmd->add_option("--max-input-bytes", o.max_input, "Refuse inputs larger than this (default 64M)");
  cmd->add_option("files", o.files, "Input files; - (the default) reads standard input");
  cmd->callback([] {
    const int status = run_trace(o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
