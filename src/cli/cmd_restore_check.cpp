// `unspin restore` and `unspin check`: the product's two main commands.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run.h"
#include "cli/commands.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "common/parallel.h"
#include "html/html.h"
#include "report/report.h"
#include "unspin/engine.h"
#include "unspin/error.h"
#include "unspin/restore.h"

namespace unspin::cli {
namespace {

using nlohmann::json;

struct CommonOptions {
  std::vector<std::string> files{"-"};
  std::string models_dir;
  std::vector<std::string> user_lexicons;
  TableEngine table_engine = TableEngine::kPlugin;
  std::string max_input = "64M";
  bool same_source = false;
  bool no_adapt = false;
  double min_confidence = 0.5;
  double threshold = -1;  // < 0: the default, 0.5
  double base_rate = kDefaultBaseRate;
  double review_threshold = 0.2;
  bool no_screen = false;  // restore: always decode
  bool papers = false;     // unlisted tortured phrases in every document
  std::string allow_file;  // words and phrases never flagged
  std::string offsets = "codepoint";
  bool jsonl = false;
  bool html = false;           // inputs are HTML: check their visible text
  unsigned threads = 0;        // 0: every core
  bool verify_models = false;  // checksum the model bodies before use
  bool uncalibrated = false;   // run with a model bundle fitted for other models
  std::string archive;         // trace: restore by alignment when a source is found
};

void add_common_options(CLI::App* cmd, CommonOptions& o) {
  cmd->add_option("files", o.files, "Input files; - (the default) reads standard input");
  cmd->add_option("--models", o.models_dir,
                  "Folder with en-us.ulm and default.ulex (default: $UNSPIN_MODELS, else the "
                  "folder ./setup.sh fills). Loading checks each file's header and section bounds, "
                  "not its body: a file with flipped bytes may load; see --verify-models");
  cmd->add_flag("--verify-models", o.verify_models,
                "Check the models' body checksums before use, as `unspin lm verify` and `unspin lexicon "
                "verify` do (about 0.4 s for the default models, against 0.01 s to load them)");
  add_uncalibrated_option(cmd, &o.uncalibrated);
  // One value per --lexicon, so that a positional "-" after it still means stdin.
  cmd->add_option("--lexicon", o.user_lexicons,
                  "Extra lexicon stacked on the default: .ulex, TSV (original<TAB>spun[<TAB>prior]), "
                  "a spinner's group table (original|alt1|alt2 per line, or spintax {a|b|c}) or a "
                  "Problematic Paper Screener CSV; repeat the option for several")
      ->allow_extra_args(false)
      ->take_all();
  add_table_engine_option(cmd, &o.table_engine);
  cmd->add_option("--max-input-bytes", o.max_input,
                  "Refuse inputs larger than this (default 64M; suffixes K, M, G); with --jsonl the "
                  "limit applies to each line, and the stream itself may be of any size");
  cmd->add_flag("--same-source", o.same_source,
                "The inputs come from one site or spinner: learn its table across all of them");
  cmd->add_flag("--no-adapt", o.no_adapt, "Do not re-estimate the spinner's table per document");
  cmd->add_option("--min-confidence", o.min_confidence,
                  "Apply only edits at least this likely (0..1, default 0.5); the document score "
                  "does not depend on it")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--threshold", o.threshold,
                  "Score at or above which a document is called spun (default 0.5: the score is a probability)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--base-rate", o.base_rate,
                  "Share of spun documents the score assumes, between 0 and 1 exclusive (default 0.1: a crawl "
                  "where one document in ten is spun; 0.5 for a suspected copy)")
      ->check(CLI::Range(1e-6, 1 - 1e-6));
  cmd->add_option(
         "--review-threshold", o.review_threshold,
         "List suspicious spans at least this likely spun for review (default 0.2; edits need --min-confidence)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_flag("--no-screen", o.no_screen,
                "Decode every document fully, even those the fast screen calls clean (restore always does)");
  cmd->add_flag("--papers", o.papers,
                "Paper screening: look for unlisted tortured phrases in every document, also those the fast screen "
                "calls clean (about 2-3x slower on clean text)");
  cmd->add_option("--allow", o.allow_file, "File of words and phrases never flagged, one per line ('#' comments)");
  cmd->add_option("--offsets", o.offsets, "Offset unit in JSON: codepoint (default) or utf16 (as LanguageTool)")
      ->check(CLI::IsMember({"codepoint", "utf16"}));
  cmd->add_option("--archive", o.archive,
                  "Archive of originals (`unspin archive add`): when the text's source is found with high "
                  "confidence, restore it from the source (rule UNSPIN_SOURCE), else use the decoder");
  cmd->add_flag("--jsonl", o.jsonl,
                "Read one {\"id\", \"text\" (or \"html\"), \"url\"} object per line, write one result per "
                "line (docs/SCHEMA.md); streams input of any size in bounded memory");
  cmd->add_flag("--html", o.html,
                "Inputs are HTML: check the visible text (scripts, styles and markup dropped, block "
                "elements as paragraphs, entities decoded); offsets and restored text refer to that text");
  cmd->add_option("--threads", o.threads,
                  "Documents decoded at once with several files or --jsonl (default 0: every core); "
                  "output is the same, in the same order, for any number")
      ->check(CLI::Range(0u, 1024u));
}

// The engine's options from the command line (the CLI decides nothing of its own).
EngineOptions engine_options(const CommonOptions& o) {
  EngineOptions e;
  e.models = o.models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(o.models_dir);
  e.models.user_lexicons = o.user_lexicons;
  e.models.table_engine = o.table_engine;
  e.verify_models = o.verify_models;
  e.models.uncalibrated = o.uncalibrated;
  e.archive = o.archive;
  e.same_source = o.same_source;
  RestoreOptions& r = e.restore;
  r.max_input_bytes = parse_size(o.max_input);
  r.adapt = !o.no_adapt;
  r.min_confidence = o.min_confidence;
  r.verdict_threshold = o.threshold;
  r.base_rate = o.base_rate;
  r.review_threshold = o.review_threshold;
  r.screen = !o.no_screen;
  r.papers = o.papers;
  r.allow = read_allow_list(o.allow_file);
  e.on_warning = [](const std::string& w) { std::cerr << "unspin: warning: " << w << "\n"; };
  return e;
}

std::string display_name(const std::string& file) { return file == "-" ? "<stdin>" : file; }

// The text a document is checked as: the input itself, or with --html (or
// an "html" line) its visible text. Validates the input first; visible text
// that is blank is Error(kEmptyInput).
std::string document_text(std::string raw, bool html, std::size_t max_bytes) {
  validate_input(raw, max_bytes);
  if (!html) return raw;
  std::string text = html::visible_text(raw);
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    throw Error(ErrorCode::kEmptyInput, "the HTML has no visible text");
  }
  return text;
}

void add_source(nlohmann::json& j, const EngineAnswer& answer) {
  if (answer.source) j["source"] = {{"id", answer.source->id}, {"score", answer.source->score}};
}

// One input file's answer, made on a worker thread, written in input order.
struct FileAnswer {
  std::string name;
  std::optional<Error> error;
  std::string text;     // printed as is (restore, the human report)
  nlohmann::json json;  // check --json
};

// Runs every input on o.threads threads, calling render(name, text,
// engine_answer, answer) on the worker and writing the answers in input order;
// reports per-file errors on stderr and carries on; returns the first error's
// exit status (0 when all succeeded). Inputs in flight are bounded (a few per
// thread), so memory does not grow with the number of files.
template <typename Render, typename Emit>
int run_files(const CommonOptions& o, const Engine& engine, unsigned threads, Render render, Emit emit) {
  int status = 0;
  auto fail = [&](const std::string& name, const Error& e) {
    std::cerr << "unspin: error: " << display_name(name) << ": " << e.what() << "\n";
    if (status == 0) status = static_cast<int>(e.code());
  };
  Progress progress(o.files.size(), 0, "files");
  const std::size_t max_bytes = engine.options().restore.max_input_bytes;
  if (o.same_source && o.files.size() > 1) {
    std::vector<std::string> texts;
    std::vector<std::string> names;
    for (const std::string& file : o.files) {
      try {
        texts.push_back(document_text(read_input(file, max_bytes), o.html, max_bytes));
        names.push_back(file);
      } catch (const Error& e) {
        fail(file, e);
      }
    }
    if (texts.empty()) return status;
    std::vector<std::string_view> views(texts.begin(), texts.end());
    // One source: each restored with the site learner's table learned from
    // the others (SiteLearner::restore, docs/ARCHITECTURE.md).
    std::vector<SiteAnswer> results = engine.run_site(views, {}, threads);
    for (std::size_t i = 0; i < results.size(); ++i) {
      FileAnswer a;
      a.name = names[i];
      if (results[i].error) {
        fail(names[i], *results[i].error);
        continue;
      }
      render(names[i], texts[i], *results[i].answer, a);
      emit(a);
      progress.advance();
    }
    return status;
  }
  std::size_t next = 0;
  threads = resolve_threads(threads);
  ordered_parallel<std::size_t, FileAnswer>(
      threads, 2 * threads, ~std::size_t{0},
      [&]() -> std::optional<std::size_t> {
        if (next == o.files.size()) return std::nullopt;
        return next++;
      },
      [](const std::size_t&) -> std::size_t { return 1; },
      [&](unsigned, std::size_t& i) {
        FileAnswer a;
        a.name = o.files[i];
        try {
          const std::string text = document_text(read_input(a.name, max_bytes), o.html, max_bytes);
          render(a.name, text, engine.run(text), a);
        } catch (const Error& e) {
          a.error = e;
        }
        return a;
      },
      [&](FileAnswer& a) {
        if (a.error)
          fail(a.name, *a.error);
        else
          emit(a);
        progress.advance();
      });
  return status;
}

// 1-based line and column (in code points) of byte offsets. Queries in
// ascending order cost one pass over the text in all (a report with many
// edits on a long text stays linear); a smaller offset restarts the count.
class LineCounter {
 public:
  explicit LineCounter(std::string_view text) : text_(text) {}
  std::pair<std::size_t, std::size_t> at(std::size_t byte) {
    if (byte < byte_) byte_ = 0, line_ = 1, col_ = 1;
    for (; byte_ < byte && byte_ < text_.size(); ++byte_) {
      const unsigned char c = static_cast<unsigned char>(text_[byte_]);
      if ((c & 0xC0) == 0x80) continue;  // continuation byte
      if (c == '\n') {
        ++line_;
        col_ = 1;
      } else {
        ++col_;
      }
    }
    return {line_, col_};
  }

 private:
  std::string_view text_;
  std::size_t byte_ = 0, line_ = 1, col_ = 1;
};

// printf into a string.
template <typename... Args>
void appendf(std::string& out, const char* format, Args... args) {
  const int n = std::snprintf(nullptr, 0, format, args...);
  if (n <= 0) return;
  const std::size_t at = out.size();
  out.resize(at + static_cast<std::size_t>(n) + 1);
  std::snprintf(out.data() + at, static_cast<std::size_t>(n) + 1, format, args...);
  out.resize(at + static_cast<std::size_t>(n));
}

// The human report (docs/SCHEMA.md §6) of one document.
std::string human_report(const std::string& name, std::string_view text, const DocumentResult& r, bool color) {
  std::string out;
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
    appendf(out, "%s%s%s: %s%s%s (score %.3f, threshold %.2f; estimated spin rate %.0f%%; %zu edit%s in %zu words)\n",
            bold, display_name(name).c_str(), reset, r.spun ? red : green, verdict, reset, r.score, r.threshold,
            100.0 * r.spin_rate, r.edits.size(), r.edits.size() == 1 ? "" : "s", r.tokens);
  } else {
    appendf(out, "%s%s%s: %s (%zu edit%s in %zu words)\n", bold, display_name(name).c_str(), reset, verdict,
            r.edits.size(), r.edits.size() == 1 ? "" : "s", r.tokens);
  }
  if (!r.calibrated) {
    appendf(out,
            "  %snot calibrated:%s the model bundle was fitted for other models (--uncalibrated); the score "
            "and confidences are not probabilities\n",
            red, reset);
  }
  for (const Reason& reason : r.reasons) {
    if (reason.kind == "rate") continue;
    appendf(out, "  %swhy:%s %s\n", dim, reset, reason.message.c_str());
  }
  // Edits are in text order: one forward pass finds every line:col.
  LineCounter lines(text);
  std::size_t listed = 0, suspects = 0;
  for (const Edit& e : r.edits) listed += e.rule == "UNSPIN_LISTED";
  for (const ReviewSpan& s : r.review) suspects += !s.applied;
  if (listed > 0 || suspects > 0) {
    appendf(out, "  %sscreening:%s %zu listed tortured phrase%s (Problematic Paper Screener), %zu unlisted suspect%s\n",
            dim, reset, listed, listed == 1 ? "" : "s", suspects, suspects == 1 ? "" : "s");
  }
  // Edits, then the suspects (review spans not applied, marked ?); each list
  // is in text order, so one LineCounter pass each.
  for (const Edit& e : r.edits) {
    auto [line, col] = lines.at(e.byte_begin);
    if (e.rule == "UNSPIN_LISTED") {
      std::string papers = e.papers > 0 ? ", " + std::to_string(e.papers) + (e.papers == 1 ? " paper" : " papers") : "";
      appendf(out, "  %zu:%zu  %s%s%s -> %s%s%s  (listed tortured phrase%s)\n", line, col, red, e.spun.c_str(), reset,
              green, e.original.empty() ? "(term not known)" : e.original.c_str(), reset, papers.c_str());
      continue;
    }
    appendf(out, "  %zu:%zu  %s%s%s -> %s%s%s  (confidence %.2f)\n", line, col, red, e.spun.c_str(), reset, green,
            e.original.c_str(), reset, e.confidence);
  }
  // Review spans that are not edits, marked "?" (SCHEMA §3b).
  LineCounter review_lines(text);
  for (const ReviewSpan& s : r.review) {
    if (s.applied) continue;
    auto [line, col] = review_lines.at(s.byte_begin);
    appendf(out, "  %zu:%zu ? %s%s%s -> %s%s%s  (%s, confidence %.2f)\n", line, col, red, s.spun.c_str(), reset, green,
            s.original.empty() ? "(unusual wording)" : s.original.c_str(), reset,
            s.reason == "unusual"  ? "review: unusual wording"
            : s.reason == "listed" ? "listed"
                                   : "review",
            s.confidence);
  }
  if (r.stage == "screen") appendf(out, "  %s(decided by the fast screen; --no-screen decodes fully)%s\n", dim, reset);
  return out;
}

int run_restore(const CommonOptions& o) {
  const Engine engine(engine_options(o));
  const bool headers = o.files.size() > 1;
  return run_files(
      o, engine, o.threads,
      [&](const std::string&, std::string_view, const EngineAnswer& run, FileAnswer& a) {
        a.text = run.result.restored;
      },
      [&](const FileAnswer& a) {
        if (headers) std::printf("==> %s <==\n", display_name(a.name).c_str());
        std::fwrite(a.text.data(), 1, a.text.size(), stdout);
        if (headers && (a.text.empty() || a.text.back() != '\n')) std::fputc('\n', stdout);
        std::fflush(stdout);
      });
}

int run_check(const CommonOptions& o, bool as_json) {
  const Engine engine(engine_options(o));
  const report::OffsetUnit unit = report::parse_offset_unit(o.offsets);
  const bool color = ::isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
  json all = json::array();
  int status = run_files(
      o, engine, o.threads,
      [&](const std::string& name, std::string_view text, const EngineAnswer& run, FileAnswer& a) {
        if (as_json) {
          a.json = report::document_json(text, run.result, unit, run.provenance.get());
          add_source(a.json, run);
          if (o.html) a.json["text_extracted"] = true;
          a.json["file"] = display_name(name);
        } else {
          a.text = human_report(name, text, run.result, color);
        }
      },
      [&](FileAnswer& a) {
        if (as_json) {
          all.push_back(std::move(a.json));
        } else {
          std::fwrite(a.text.data(), 1, a.text.size(), stdout);
        }
      });
  if (as_json) {
    if (all.empty()) return status;  // every input failed: errors are on stderr only
    if (all.size() == 1)
      std::cout << all[0].dump(2, ' ', false, json::error_handler_t::replace) << "\n";
    else
      std::cout << all.dump(2, ' ', false, json::error_handler_t::replace) << "\n";
  }
  return status;
}

// --jsonl (docs/SCHEMA.md §6): one {"id", "text" | "html", "url"} object per
// input line; output line N answers input line N, with an error object for a
// blank, malformed or too long line. The input is streamed: lines are read as
// they are needed and at most a few per thread (and 16 MiB of them per
// thread, but always one) are in flight, so memory does not grow with the
// size of the stream.
int run_jsonl(const CommonOptions& o, bool restore) {
  const Engine engine(engine_options(o));
  const report::OffsetUnit unit = report::parse_offset_unit(o.offsets);
  const std::size_t max_bytes = engine.options().restore.max_input_bytes;
  const unsigned threads = resolve_threads(o.threads);
  int status = 0;
  for (const std::string& file : o.files) {
    std::optional<LineReader> reader;
    try {
      reader.emplace(file, max_bytes);
    } catch (const Error& e) {
      std::cerr << "unspin: error: " << display_name(file) << ": " << e.what() << "\n";
      if (status == 0) status = static_cast<int>(e.code());
      continue;
    }
    struct Item {
      std::size_t line_no;
      LineReader::Line line;
    };
    struct Answer {
      std::size_t line_no, bytes;
      std::string out;
      std::optional<Error> error;
    };
    Progress progress(0, reader->size_hint(), "lines");
    std::size_t line_no = 0;
    // The provenance's JSON text, made once per worker and Provenance object
    // (the engine's is one object before the models load and another after;
    // neither changes once in use).
    struct ProvenanceText {
      std::shared_ptr<const Provenance> of;
      std::string json;
    };
    std::vector<ProvenanceText> provenance_text(threads);
    try {
      ordered_parallel<Item, Answer>(
          threads, 32 * threads, (std::size_t{16} << 20) * threads,
          [&]() -> std::optional<Item> {
            Item item{line_no + 1, {}};
            if (!reader->next(&item.line)) return std::nullopt;
            ++line_no;
            return item;
          },
          [](const Item& item) { return item.line.text.size(); },
          [&](unsigned worker, Item& item) {
            Answer a{item.line_no, item.line.bytes, {}, std::nullopt};
            report::JsonlAnswer answer;
            std::string restored;                          // check: the result's restored text
            std::string paragraphs_json;                   // check: its "paragraphs", as JSON text
            std::shared_ptr<const Provenance> provenance;  // check: set when a result was made
            if (item.line.too_long) {
              const Error e(ErrorCode::kTooLarge, "the line is larger than the input limit of " +
                                                      std::to_string(max_bytes) +
                                                      " bytes; raise it with --max-input-bytes");
              answer.out = {{"line", item.line_no}, {"error", report::error_json(e)}};
              answer.error = e;
            } else {
              answer = report::answer_jsonl_line(
                  item.line.text, item.line_no, o.html, [&](const std::string& content, bool html) {
                    const std::string text = document_text(content, html, max_bytes);
                    EngineAnswer run = engine.run(text);
                    if (restore) {
                      json res = report::restore_json(text, run.result, unit);
                      add_source(res, run);
                      if (html) res["text_extracted"] = true;
                      return res;
                    }
                    // check: the bulky members, the paragraphs, the restored
                    // text and the provenance, are written as text below, not
                    // built as json.
                    json res = report::document_json(text, run.result, unit, nullptr, {false, false});
                    add_source(res, run);
                    if (html) res["text_extracted"] = true;
                    report::append_paragraphs_json(paragraphs_json, text, run.result, unit);
                    restored = std::move(run.result.restored);
                    provenance = run.provenance;
                    return res;
                  });
            }
            if (provenance && !answer.error) {
              // The bytes of answer.out.dump() with "paragraphs", "provenance" and "restored" in it.
              ProvenanceText& p = provenance_text.at(worker);
              if (p.of.get() != provenance.get()) {
                p.json = report::provenance_json(*provenance).dump(-1, ' ', false, json::error_handler_t::replace);
                p.of = provenance;
              }
              std::string restored_json;
              report::append_json_string(restored_json, restored);
              report::append_object_with_members(
                  a.out, answer.out,
                  {{"paragraphs", paragraphs_json}, {"provenance", p.json}, {"restored", restored_json}});
            } else {
              a.out = answer.out.dump(-1, ' ', false, json::error_handler_t::replace);
            }
            a.out += '\n';
            a.error = std::move(answer.error);
            return a;
          },
          [&](Answer& a) {
            if (a.error) {
              std::cerr << "unspin: error: " << display_name(file) << ":" << a.line_no << ": " << a.error->what()
                        << "\n";
              if (status == 0) status = static_cast<int>(a.error->code());
            }
            std::fwrite(a.out.data(), 1, a.out.size(), stdout);
            progress.advance(a.bytes);
          });
    } catch (const Error& e) {  // a read failure mid-stream: the lines before it are answered
      std::cerr << "unspin: error: " << display_name(file) << ": " << e.what() << "\n";
      if (status == 0) status = static_cast<int>(e.code());
    }
    std::fflush(stdout);
  }
  return status;
}

}  // namespace

// --same-source pools whole documents given as files; a JSON-lines stream is
// decoded line by line (and may mix many sites), so the pair is refused
// rather than silently decoding each line alone.
void refuse_same_source_jsonl(const CommonOptions& o) {
  if (o.same_source && o.jsonl) {
    throw CLI::ValidationError("--same-source and --jsonl",
                               "--same-source pools documents given as files; a JSON-lines stream is decoded line "
                               "by line (python3 -m unspin.dask --same-source groups a crawl's lines by site)");
  }
}

void add_restore_check_commands(CLI::App& app) {
  static CommonOptions restore_options;
  CLI::App* restore = app.add_subcommand("restore", "Print the text with spun wording restored to its likely original");
  add_common_options(restore, restore_options);
  restore->callback([] {
    restore_options.no_screen = true;  // a restoration always decodes
    refuse_same_source_jsonl(restore_options);
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
      throw CLI::ValidationError("--json and --jsonl",
                                 "choose one: --jsonl already writes JSON, one line per input line");
    }
    refuse_same_source_jsonl(check_options);
    int status = check_options.jsonl ? run_jsonl(check_options, false) : run_check(check_options, as_json);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
