// `unspin restore` and `unspin check`: the product's two main commands.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "report/report.h"
#include "unspin/error.h"
#include "unspin/restore.h"
#include "unspin/trace.h"

namespace unspin::cli {
namespace {

using nlohmann::json;

struct CommonOptions {
  std::vector<std::string> files{"-"};
  std::string models_dir;
  std::vector<std::string> user_lexicons;
  std::string max_input = "64M";
  bool same_source = false;
  bool no_adapt = false;
  double min_confidence = 0.5;
  double threshold = -1;          // < 0: the calibrated default
  std::string allow_file;         // words and phrases never flagged
  std::string offsets = "codepoint";
  bool jsonl = false;
  std::string archive;  // trace: restore by alignment when a source is found
};

void add_common_options(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("files", o.files, "Input files; - (the default) reads standard input");
  cmd->add_option("--models", o.models_dir,
                  "Folder with en-us.ulm and default.ulex (default: $UNSPIN_MODELS, else the "
                  "folder ./setup.sh fills)");
  // One value per --lexicon, so that a positional "-" after it still means stdin.
  cmd->add_option("--lexicon", o.user_lexicons,
                  "Extra lexicon stacked on the default: .ulex, TSV (original<TAB>spun[<TAB>prior]), "
                  "a spinner's group table (original|alt1|alt2 per line, or spintax {a|b|c}) or a "
                  "Problematic Paper Screener CSV; repeat the option for several")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("--max-input-bytes", o.max_input,
                  "Refuse inputs larger than this (default 64M; suffixes K, M, G)");
  cmd->add_flag("--same-source", o.same_source,
                "The inputs come from one site or spinner: learn its table across all of them");
  cmd->add_flag("--no-adapt", o.no_adapt, "Do not re-estimate the spinner's table per document");
  cmd->add_option("--min-confidence", o.min_confidence,
                  "Apply only edits at least this likely (0..1, default 0.5); the document score "
                  "does not depend on it")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threshold", o.threshold,
                  "Score at or above which a document is called spun (default: the calibrated one)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--allow", o.allow_file,
                  "File of words and phrases never flagged, one per line ('#' comments)");
  cmd->add_option("--offsets", o.offsets,
                  "Offset unit in JSON: codepoint (default) or utf16 (as LanguageTool)")
      ->check(CLI::IsMember({"codepoint", "utf16"}));
  cmd->add_option("--archive", o.archive,
                  "Archive of originals (`unspin archive add`): when the text's source is found with high "
                  "confidence, restore it from the source (rule UNSPIN_SOURCE), else use the decoder");
  cmd->add_flag("--jsonl", o.jsonl,
                "Read one {\"id\", \"text\", \"url\"} object per line, write one result per line "
                "(docs/SCHEMA.md)");
}

// Models are loaded on first use, so bad input is reported before (and
// without) touching the models, and a run over unreadable files is instant.
class Engine {
 public:
  explicit Engine(const CommonOptions& o) : common_(o) {
    options_.max_input_bytes = parse_size(o.max_input);
    options_.adapt = !o.no_adapt;
    options_.min_confidence = o.min_confidence;
    options_.verdict_threshold = o.threshold;
    options_.allow = read_allow_list(o.allow_file);
  }
  const RestoreOptions& options() const { return options_; }
  const Restorer& restorer() {
    if (!restorer_) {
      ModelPaths paths = common_.models_dir.empty() ? ModelPaths::defaults()
                                                    : ModelPaths::in_folder(common_.models_dir);
      paths.user_lexicons = common_.user_lexicons;
      std::vector<UserLexiconReport> reports;
      models_ = Models::load(paths, &reports);
      for (std::size_t i = 0; i < reports.size(); ++i) {
        for (const std::string& w : reports[i].warnings) std::cerr << "unspin: warning: " << w << "\n";
        if (reports[i].skipped > reports[i].warnings.size()) {
          std::cerr << "unspin: warning: " << paths.user_lexicons[i] << ": "
                    << reports[i].skipped - reports[i].warnings.size() << " more lines skipped\n";
        }
      }
      restorer_ = std::make_unique<Restorer>(*models_, options_);
      provenance_ = report::make_provenance(*models_, options_, common_.same_source);
    }
    return *restorer_;
  }
  const report::Provenance& provenance() const { return provenance_; }
  // The archive path when a source is found, else the decoder; source()
  // then names the source of the last document run.
  DocumentResult run(std::string_view text) {
    source_.reset();
    if (!common_.archive.empty()) {
      if (!tracer_) {
        archive_ = open_archive(common_.archive, ArchiveAccess::kRead);
        tracer_ = std::make_unique<Tracer>(*archive_, TraceOptions{});
      }
      if (auto found = tracer_->restore_from_source(text)) {
        source_.emplace(found->source_id, found->source_score);
        return std::move(found->result);
      }
    }
    return restorer().run(text);
  }
  const std::optional<std::pair<std::string, double>>& source() const { return source_; }

 private:
  const CommonOptions& common_;
  RestoreOptions options_;
  std::unique_ptr<Models> models_;
  std::unique_ptr<Restorer> restorer_;
  report::Provenance provenance_;
  std::unique_ptr<archive::ArchiveStore> archive_;
  std::unique_ptr<Tracer> tracer_;
  std::optional<std::pair<std::string, double>> source_;
};

std::string display_name(const std::string& file) { return file == "-" ? "<stdin>" : file; }

// Runs every input, reporting per-file errors on stderr and carrying on;
// returns the first error's exit status (0 when all succeeded).
template <typename Emit>
int run_files(const CommonOptions& o, Engine& engine, Emit emit) {
  int status = 0;
  auto fail = [&](const std::string& name, const Error& e) {
    std::cerr << "unspin: error: " << display_name(name) << ": " << e.what() << "\n";
    if (status == 0) status = static_cast<int>(e.code());
  };
  Progress progress(o.files.size());
  if (o.same_source && o.files.size() > 1) {
    std::vector<std::string> texts;
    std::vector<std::string> names;
    for (const std::string& file : o.files) {
      try {
        std::string text = read_input(file, engine.options().max_input_bytes);
        validate_input(text, engine.options().max_input_bytes);
        texts.push_back(std::move(text));
        names.push_back(file);
      } catch (const Error& e) {
        fail(file, e);
      }
    }
    if (texts.empty()) return status;
    std::vector<std::string_view> views(texts.begin(), texts.end());
    std::vector<DocumentResult> results = engine.restorer().run_same_source(views);
    for (std::size_t i = 0; i < results.size(); ++i) {
      emit(names[i], texts[i], results[i]);
      progress.advance();
    }
    return status;
  }
  for (const std::string& file : o.files) {
    try {
      std::string text = read_input(file, engine.options().max_input_bytes);
      validate_input(text, engine.options().max_input_bytes);
      DocumentResult result = engine.run(text);
      emit(file, text, result);
    } catch (const Error& e) {
      fail(file, e);
    }
    progress.advance();
  }
  return status;
}


// 1-based line and column (in code points) of a code-point offset.
std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::uint32_t cp_offset) {
  std::size_t line = 1, col = 1, cp = 0;
  for (std::size_t i = 0; i < text.size() && cp < cp_offset; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    ++cp;
    if (c == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

void print_report(const std::string& name, std::string_view text, const DocumentResult& r,
                  bool color) {
  const char* red = color ? "\033[1;31m" : "";
  const char* green = color ? "\033[1;32m" : "";
  const char* bold = color ? "\033[1m" : "";
  const char* dim = color ? "\033[2m" : "";
  const char* reset = color ? "\033[0m" : "";
  const char* verdict = r.verdict == Verdict::kSpun       ? "LIKELY SPUN"
                        : r.verdict == Verdict::kClean    ? "no sign of spinning"
                        : r.verdict == Verdict::kTooShort ? "too short for a verdict"
                                                          : "not English";
  if (r.has_score) {
    std::printf("%s%s%s: %s%s%s (score %.3f, threshold %.2f; estimated spin rate %.0f%%; %zu edit%s in %zu words)\n",
                bold, display_name(name).c_str(), reset, r.spun ? red : green, verdict, reset, r.score,
                r.threshold, 100.0 * r.spin_rate, r.edits.size(), r.edits.size() == 1 ? "" : "s", r.tokens);
  } else {
    std::printf("%s%s%s: %s (%zu edit%s in %zu words)\n", bold, display_name(name).c_str(), reset, verdict,
                r.edits.size(), r.edits.size() == 1 ? "" : "s", r.tokens);
  }
  for (const Reason& reason : r.reasons) {
    if (reason.kind == "rate") continue;
    std::printf("  %swhy:%s %s\n", dim, reset, reason.message.c_str());
  }
  for (const Edit& e : r.edits) {
    auto [line, col] = line_col(text, e.cp_begin);
    std::printf("  %zu:%zu  %s%s%s -> %s%s%s  (confidence %.2f)\n", line, col, red,
                e.spun.c_str(), reset, green, e.original.c_str(), reset, e.confidence);
  }
}

int run_restore(const CommonOptions& o) {
  Engine engine(o);
  const bool headers = o.files.size() > 1;
  return run_files(o, engine, [&](const std::string& name, std::string_view, const DocumentResult& r) {
    if (headers) std::printf("==> %s <==\n", display_name(name).c_str());
    std::fwrite(r.restored.data(), 1, r.restored.size(), stdout);
    if (headers && (r.restored.empty() || r.restored.back() != '\n')) std::fputc('\n', stdout);
    std::fflush(stdout);
  });
}

int run_check(const CommonOptions& o, bool as_json) {
  Engine engine(o);
  const report::OffsetUnit unit = report::parse_offset_unit(o.offsets);
  const bool color = ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  json all = json::array();
  int status = run_files(o, engine, [&](const std::string& name, std::string_view text,
                                        const DocumentResult& r) {
    if (as_json) {
      json j = report::document_json(text, r, unit, &engine.provenance());
      if (engine.source()) j["source"] = {{"id", engine.source()->first}, {"score", engine.source()->second}};
      j["file"] = display_name(name);
      all.push_back(std::move(j));
    } else {
      print_report(name, text, r, color);
    }
  });
  if (as_json) {
    if (all.empty()) return status;  // every input failed: errors are on stderr only
    if (all.size() == 1) std::cout << all[0].dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    else std::cout << all.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  }
  return status;
}

// --jsonl (docs/SCHEMA.md §6): one {"id", "text", "url"} object per input
// line; output line N answers input line N, with an error object for a blank
// or malformed line.
int run_jsonl(const CommonOptions& o, bool restore) {
  Engine engine(o);
  const report::OffsetUnit unit = report::parse_offset_unit(o.offsets);
  int status = 0;
  for (const std::string& file : o.files) {
    std::string data;
    try {
      data = read_input(file, engine.options().max_input_bytes);
    } catch (const Error& e) {
      std::cerr << "unspin: error: " << display_name(file) << ": " << e.what() << "\n";
      if (status == 0) status = static_cast<int>(e.code());
      continue;
    }
    std::size_t total_lines = 0;
    for (char c : data) total_lines += c == '\n';
    Progress progress(total_lines);
    std::size_t line_no = 0, start = 0;
    while (start < data.size()) {
      std::size_t end = data.find('\n', start);
      if (end == std::string::npos) end = data.size();
      std::string_view line(data.data() + start, end - start);
      start = end + 1;
      ++line_no;
      report::JsonlAnswer answer = report::answer_jsonl_line(line, line_no, [&](const std::string& text) {
        validate_input(text, engine.options().max_input_bytes);
        DocumentResult r = engine.run(text);
        json res = restore ? report::restore_json(text, r, unit)
                           : report::document_json(text, r, unit, &engine.provenance());
        if (engine.source()) res["source"] = {{"id", engine.source()->first}, {"score", engine.source()->second}};
        return res;
      });
      if (answer.error) {
        std::cerr << "unspin: error: " << display_name(file) << ":" << line_no << ": " << answer.error->what() << "\n";
        if (status == 0) status = static_cast<int>(answer.error->code());
      }
      const json& out = answer.out;
      std::cout << out.dump(-1, ' ', false, json::error_handler_t::replace) << "\n";
      progress.advance();
    }
  }
  return status;
}

}  // namespace

void add_restore_check_commands(CLI::App& app) {
  static CommonOptions restore_options;
  CLI::App* restore = app.add_subcommand(
      "restore", "Print the text with spun wording restored to its likely original");
  add_common_options(restore, restore_options);
  restore->callback([] {
    int status = restore_options.jsonl ? run_jsonl(restore_options, true) : run_restore(restore_options);
    if (status != 0) throw CLI::RuntimeError(status);
  });

  static CommonOptions check_options;
  static bool as_json = false;
  CLI::App* check = app.add_subcommand(
      "check", "Report how likely each document is spun, with the evidence and each spun span's original");
  add_common_options(check, check_options);
  check->add_flag("--json", as_json,
                  "Print a JSON object (docs/SCHEMA.md: LanguageTool-shaped matches, reasons, paragraphs)");
  check->callback([] {
    if (as_json && check_options.jsonl) {
      throw CLI::ValidationError("--json and --jsonl", "choose one: --jsonl already writes JSON, one line per input line");
    }
    int status = check_options.jsonl ? run_jsonl(check_options, false) : run_check(check_options, as_json);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
