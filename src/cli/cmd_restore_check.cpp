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
#include "unspin/error.h"
#include "unspin/restore.h"

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
                  "Apply only edits at least this likely (0..1, default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
}

// Models are loaded on first use, so bad input is reported before (and
// without) touching the models, and a run over unreadable files is instant.
class Engine {
 public:
  explicit Engine(const CommonOptions& o) : common_(o) {
    options_.max_input_bytes = parse_size(o.max_input);
    options_.adapt = !o.no_adapt;
    options_.min_confidence = o.min_confidence;
  }
  const RestoreOptions& options() const { return options_; }
  const Restorer& restorer() {
    if (!restorer_) {
      ModelPaths paths = common_.models_dir.empty() ? ModelPaths::defaults()
                                                    : ModelPaths::in_folder(common_.models_dir);
      paths.user_lexicons = common_.user_lexicons;
      models_ = Models::load(paths);
      restorer_ = std::make_unique<Restorer>(*models_, options_);
    }
    return *restorer_;
  }

 private:
  const CommonOptions& common_;
  RestoreOptions options_;
  std::unique_ptr<Models> models_;
  std::unique_ptr<Restorer> restorer_;
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
      DocumentResult result = engine.restorer().run(text);
      emit(file, text, result);
    } catch (const Error& e) {
      fail(file, e);
    }
    progress.advance();
  }
  return status;
}


json result_json(std::string_view text, const DocumentResult& r, double threshold) {
  json matches = json::array();
  for (const Edit& e : r.edits) {
    json m;
    m["offset"] = e.cp_begin;
    m["length"] = e.cp_end - e.cp_begin;
    m["byteOffset"] = e.byte_begin;
    m["byteLength"] = e.byte_end - e.byte_begin;
    m["message"] = "Likely spun wording: \"" + e.spun + "\" probably replaced \"" + e.original + "\".";
    m["shortMessage"] = "spun wording";
    m["replacements"] = json::array({json{{"value", e.original}}});
    m["rule"] = {{"id", "UNSPIN_SUBSTITUTION"},
                 {"description", "Synonym substitution typical of article spinners"},
                 {"category", {{"id", "SPUN_TEXT"}, {"name", "Spun text"}}}};
    m["confidence"] = e.confidence;
    matches.push_back(std::move(m));
  }
  json out;
  out["software"] = {{"name", "unspin"}, {"version", std::string(version())}};
  out["score"] = r.score;
  out["verdict"] = r.spun ? "spun" : "clean";
  out["threshold"] = threshold;
  out["spin_rate"] = r.spin_rate;
  out["tokens"] = r.tokens;
  out["offset_unit"] = "codepoint";
  out["matches"] = std::move(matches);
  out["restored"] = r.restored;
  (void)text;
  return out;
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
  const char* reset = color ? "\033[0m" : "";
  std::printf("%s%s%s: %s%s%s (score %.3f, estimated spin rate %.0f%%, %zu edit%s in %zu words)\n",
              bold, display_name(name).c_str(), reset, r.spun ? red : green,
              r.spun ? "SPUN" : "CLEAN", reset, r.score, 100.0 * r.spin_rate, r.edits.size(),
              r.edits.size() == 1 ? "" : "s", r.tokens);
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
  const bool color = ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  json all = json::array();
  int status = run_files(o, engine, [&](const std::string& name, std::string_view text,
                                        const DocumentResult& r) {
    if (as_json) {
      json j = result_json(text, r, engine.options().verdict_threshold);
      j["file"] = display_name(name);
      all.push_back(std::move(j));
    } else {
      print_report(name, text, r, color);
    }
  });
  if (as_json) {
    if (all.empty()) return status;  // every input failed: errors are on stderr only
    if (all.size() == 1) std::cout << all[0].dump(2) << "\n";
    else std::cout << all.dump(2) << "\n";
  }
  return status;
}

// --jsonl: one {"id":..., "text":...} object per input line, one result per output line.
int run_check_jsonl(const CommonOptions& o) {
  Engine engine(o);
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
      if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
      json out;
      try {
        json in = json::parse(line);
        if (!in.is_object() || !in.contains("text") || !in["text"].is_string()) {
          throw Error(ErrorCode::kUsage, "expected an object with a string \"text\"");
        }
        if (in.contains("id")) out["id"] = in["id"];
        const std::string text = in["text"].get<std::string>();
        DocumentResult r = engine.restorer().run(text);
        json res = result_json(text, r, engine.options().verdict_threshold);
        for (auto it = res.begin(); it != res.end(); ++it) out[it.key()] = it.value();
      } catch (const json::exception& e) {
        std::cerr << "unspin: error: " << display_name(file) << ":" << line_no
                  << ": not a JSON object: " << e.what() << "\n";
        out["error"] = {{"code", static_cast<int>(ErrorCode::kUsage)}, {"message", e.what()}, {"line", line_no}};
        if (status == 0) status = static_cast<int>(ErrorCode::kUsage);
      } catch (const Error& e) {
        std::cerr << "unspin: error: " << display_name(file) << ":" << line_no << ": " << e.what() << "\n";
        out["error"] = {{"code", static_cast<int>(e.code())}, {"message", e.what()}, {"line", line_no}};
        if (status == 0) status = static_cast<int>(e.code());
      }
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
    int status = run_restore(restore_options);
    if (status != 0) throw CLI::RuntimeError(status);
  });

  static CommonOptions check_options;
  static bool as_json = false;
  static bool as_jsonl = false;
  CLI::App* check = app.add_subcommand(
      "check", "Report how likely each document is spun, with each spun span and its original");
  add_common_options(check, check_options);
  check->add_flag("--json", as_json,
                  "Print a JSON object (LanguageTool-shaped matches; offsets in code points)");
  check->add_flag("--jsonl", as_jsonl,
                  "Read one {\"id\":..., \"text\":...} object per line, write one result per line");
  check->callback([] {
    int status = as_jsonl ? run_check_jsonl(check_options) : run_check(check_options, as_json);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
