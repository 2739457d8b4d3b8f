// `unspin archive add|stats|verify|remove`: the archive of originals that
// `trace`, `restore --archive` and `check --archive` search.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/input.h"
#include "cli/progress.h"
#include "trace/documents_input.h"
#include "unspin/error.h"
#include "unspin/trace.h"

namespace unspin::cli {
namespace {

struct AddOptions {
  std::string archive;
  std::string id_from = "auto";
  std::string id;
  std::vector<std::string> files{"-"};
  std::string max_input = "64M";
  std::size_t batch = 10000;
};

// Adds documents in batches (one transaction each), reporting replaced ids
// on stdout and bad documents on stderr. Returns the first failure's status.
int run_add(const AddOptions& o) {
  const std::size_t max_bytes = parse_size(o.max_input);
  if (o.id_from != "auto" && o.id_from != "path" && o.id_from != "jsonl") {
    throw Error(ErrorCode::kUsage, "--id-from must be auto, path or jsonl, not " + o.id_from);
  }
  if (!o.id.empty() && (o.id_from == "jsonl" || o.files.size() != 1)) {
    throw Error(ErrorCode::kUsage, "--id names a single document: give one file (or -) without --id-from jsonl");
  }
  // auto: a file named *.jsonl or *.ndjson holds JSON lines (a feed stored
  // as one document would be silent garbage); anything else is one document.
  const auto reads_lines = [&](const std::string& file) {
    if (o.id_from != "auto") return o.id_from == "jsonl";
    if (!o.id.empty()) return false;
    const auto ends_with = [&](std::string_view suffix) {
      return file.size() >= suffix.size() && file.compare(file.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    return ends_with(".jsonl") || ends_with(".ndjson");
  };
  auto store = open_archive(o.archive, ArchiveAccess::kCreateOrWrite);
  int status = 0;
  std::size_t added = 0, replaced = 0;
  auto fail = [&](const std::string& where, ErrorCode code, const std::string& message) {
    std::cerr << "unspin: error: " << where << ": " << message << "\n";
    if (status == 0) status = static_cast<int>(code);
  };
  std::vector<ArchiveDocument> batch;
  auto flush = [&] {
    if (batch.empty()) return;
    const std::vector<bool> was_replaced = add_to_archive(*store, batch, max_bytes);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (was_replaced[i]) {
        std::printf("replaced %s\n", batch[i].id.c_str());
        ++replaced;
      }
    }
    added += batch.size();
    batch.clear();
  };
  const auto start = std::chrono::steady_clock::now();
  Progress progress(o.files.size(), 0, "files");
  for (const std::string& file : o.files) {
    const std::string name = file == "-" ? "<stdin>" : file;
    const bool lines = reads_lines(file);
    std::string data;
    try {
      data = read_input(file, lines ? max_bytes * 64 : max_bytes);
    } catch (const Error& e) {
      fail(name, e.code(), e.what());
      progress.advance();
      continue;
    }
    if (lines) {
      for (trace::DocumentLine& line : trace::parse_document_lines(data, max_bytes)) {
        if (!line.document) {
          fail(name + ":" + std::to_string(line.line), line.error_code, line.error);
          continue;
        }
        batch.push_back(std::move(*line.document));
        if (batch.size() >= o.batch) flush();
      }
    } else {
      if (file == "-" && o.id.empty()) {
        fail(name, ErrorCode::kUsage, "standard input has no path to use as its id; give --id ID or --id-from jsonl");
        progress.advance();
        continue;
      }
      try {
        validate_input(data, max_bytes);
        batch.push_back(ArchiveDocument{o.id.empty() ? file : o.id, std::move(data)});
        if (batch.size() >= o.batch) flush();
      } catch (const Error& e) {
        fail(name, e.code(), e.what());
      }
    }
    progress.advance();
  }
  flush();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "unspin: added %zu document%s to %s (%zu replaced) in %.2f s (%.0f documents/s)\n", added,
               added == 1 ? "" : "s", o.archive.c_str(), replaced, seconds, seconds > 0 ? added / seconds : 0.0);
  return status;
}

void run_stats(const std::string& path, bool as_json) {
  auto store = open_archive(path, ArchiveAccess::kRead);
  const archive::ArchiveStats s = store->stats();
  const double per_doc = s.documents ? static_cast<double>(s.file_bytes) / static_cast<double>(s.documents) : 0.0;
  if (as_json) {
    nlohmann::json j = {{"documents", s.documents},           {"words", s.words},
                        {"text_bytes", s.text_bytes},         {"postings", s.postings},
                        {"file_bytes", s.file_bytes},         {"bytes_per_document", per_doc},
                        {"schema_version", s.schema_version}, {"index_parameters", s.index_parameters}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("archive          %s\n", path.c_str());
  std::printf("documents        %lld\n", static_cast<long long>(s.documents));
  std::printf("words            %lld\n", static_cast<long long>(s.words));
  std::printf("text bytes       %lld\n", static_cast<long long>(s.text_bytes));
  std::printf("index postings   %lld\n", static_cast<long long>(s.postings));
  std::printf("file bytes       %lld (%.0f per document)\n", static_cast<long long>(s.file_bytes), per_doc);
  std::printf("schema version   %lld\n", static_cast<long long>(s.schema_version));
  std::printf("index            %s\n", s.index_parameters.c_str());
}

int run_verify(const std::string& path) {
  auto store = open_archive(path, ArchiveAccess::kRead);
  const archive::VerifyReport report = store->verify();
  if (report.ok) {
    std::printf("%s: ok (%lld documents)\n", path.c_str(), static_cast<long long>(store->document_count()));
    return 0;
  }
  for (const std::string& p : report.problems) std::fprintf(stderr, "unspin: %s: %s\n", path.c_str(), p.c_str());
  std::fprintf(stderr, "unspin: %s is damaged; rebuild it from the originals with `unspin archive add`\n",
               path.c_str());
  return static_cast<int>(ErrorCode::kBadModel);
}

int run_remove(const std::string& path, const std::vector<std::string>& ids) {
  auto store = open_archive(path, ArchiveAccess::kWrite);
  const std::vector<bool> existed = store->remove(ids);
  int status = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (existed[i]) {
      std::printf("removed %s\n", ids[i].c_str());
    } else {
      std::fprintf(stderr, "unspin: error: %s: no document with id %s\n", path.c_str(), ids[i].c_str());
      status = static_cast<int>(ErrorCode::kUsage);
    }
  }
  return status;
}

}  // namespace

void add_archive_commands(CLI::App& app) {
  CLI::App* arch = app.add_subcommand(
      "archive", "Build and inspect the archive of originals that trace searches (add, stats, verify, get, remove)");
  arch->require_subcommand(1);

  static AddOptions add_options;
  CLI::App* add = arch->add_subcommand(
      "add", "Add documents (plain files, or JSON lines {\"id\",\"text\"}); an existing id is replaced");
  add->add_option("--archive", add_options.archive, "The archive file (SQLite; created when missing)")->required();
  add->add_option("--id-from", add_options.id_from,
                  "auto (default): files named *.jsonl or *.ndjson are read as jsonl, others as path; "
                  "path: each file is one document, its id the path as given; jsonl: each line of each "
                  "file is {\"id\": ..., \"text\": ...}")
      ->check(CLI::IsMember({"auto", "path", "jsonl"}));
  add->add_option("--id", add_options.id, "Id of the single document read from one file or standard input");
  add->add_option("--batch", add_options.batch, "Documents per transaction (default 10000)")
      ->check(CLI::Range(1, 1000000));
  add->add_option("--max-input-bytes", add_options.max_input,
                  "Refuse documents larger than this (default 64M; a JSON-lines file may be 64 times it)");
  add->add_option("files", add_options.files, "Input files; - (the default) reads standard input");
  add->callback([] {
    const int status = run_add(add_options);
    if (status != 0) throw CLI::RuntimeError(status);
  });

  static std::string stats_archive;
  static bool stats_json = false;
  CLI::App* stats = arch->add_subcommand("stats", "Documents, words, index size and bytes per document");
  stats->add_option("--archive", stats_archive, "The archive file")->required();
  stats->add_flag("--json", stats_json, "Print a JSON object");
  stats->callback([] { run_stats(stats_archive, stats_json); });

  static std::string verify_archive;
  CLI::App* verify =
      arch->add_subcommand("verify", "Check the file (SQLite integrity_check) and the index against the documents");
  verify->add_option("--archive", verify_archive, "The archive file")->required();
  verify->callback([] {
    const int status = run_verify(verify_archive);
    if (status != 0) throw CLI::RuntimeError(status);
  });

  static std::string get_archive, get_id;
  CLI::App* get = arch->add_subcommand("get", "Print the text of the document with this id");
  get->add_option("--archive", get_archive, "The archive file")->required();
  get->add_option("id", get_id, "The document's id")->required();
  get->callback([] {
    auto store = open_archive(get_archive, ArchiveAccess::kRead);
    const auto doc = store->document_by_id(get_id);
    if (!doc) {
      std::fprintf(stderr, "unspin: error: %s: no document with id %s\n", get_archive.c_str(), get_id.c_str());
      throw CLI::RuntimeError(static_cast<int>(ErrorCode::kUsage));
    }
    std::fwrite(doc->text.data(), 1, doc->text.size(), stdout);
  });

  static std::string remove_archive;
  static std::vector<std::string> remove_ids;
  CLI::App* remove = arch->add_subcommand("remove", "Remove documents by id (one transaction)");
  remove->add_option("--archive", remove_archive, "The archive file")->required();
  remove->add_option("ids", remove_ids, "Ids to remove")->required();
  remove->callback([] {
    const int status = run_remove(remove_archive, remove_ids);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
