// `unspin learn`: a site's spinner table learned from its pages (the site
// learner, include/unspin/restore.h), or, with --archive, aligned from their
// sources. Every table is written in the learned-table format of
// docs/SCHEMA.md §9, which `--lexicon` recognises by its header line.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/run.h"
#include "cli/commands.h"
#include "cli/input.h"
#include "cli/learned_table.h"
#include "cli/progress.h"
#include "common/parallel.h"
#include "unspin/error.h"
#include "unspin/restore.h"
#include "unspin/trace.h"

namespace unspin::cli {

void write_learned_table(const std::string& path, const std::string& text) {
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

std::string site_file_name(const std::string& site) {
  std::string name;
  for (char c : site) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    name += ok ? c : '_';
  }
  if (name.empty() || name[0] == '.') name.insert(0, "_");
  return name;
}

namespace {

namespace fs = std::filesystem;

struct LearnOptions {
  std::vector<std::string> files{"-"};
  std::string out = "-";
  std::string models_dir;
  std::vector<std::string> user_lexicons;
  TableEngine table_engine = TableEngine::kPlugin;
  std::string archive;
  std::string max_input = "64M";
  std::string site;
  bool same_source = false;  // accepted: the files are always one site's pages
  bool jsonl = false, counts = false, from_counts = false;
  unsigned threads = 0;
  double min_prior = 0.5;
  bool min_prior_given = false;  // --archive keeps every proven pair unless --min-prior is given
};

std::unique_ptr<Models> load_models(const LearnOptions& o) {
  ModelPaths paths = o.models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(o.models_dir);
  paths.user_lexicons = o.user_lexicons;
  paths.table_engine = o.table_engine;
  return Models::load(paths);
}

RestoreOptions restore_options(const LearnOptions& o) {
  RestoreOptions options;
  options.max_input_bytes = parse_size(o.max_input);
  return options;
}

// DIR/<site>.tsv, or DIR/<site>.counts, for -o DIR.
std::string site_path(const LearnOptions& o, const std::string& site, bool counts) {
  return (fs::path(o.out) / (site_file_name(site) + (counts ? ".counts" : ".tsv"))).string();
}

// Writes one site's table (or counts) to `o.out`: a file, "-", or with
// several sites DIR/<site>.tsv (DIR/<site>.counts).
// Returns the pairs written (0 for counts).
std::size_t write_site(const LearnOptions& o, const SiteLearner* learner, const std::string& site,
                       const SiteCounts& counts, bool many) {
  std::string text;
  std::size_t pairs = 0;
  if (o.counts) {
    text = counts.serialize();
  } else {
    const std::vector<LearnedPair> table = learner->table(counts, o.min_prior);
    pairs = table.size();
    text = learned_table_text(table, counts.pages(), site);
  }
  write_learned_table(many ? site_path(o, site, o.counts) : o.out, text);
  return pairs;
}

void prepare_out_dir(const LearnOptions& o) {
  if (o.out == "-") {
    throw Error(ErrorCode::kUsage, "--jsonl and --from-counts write one table per site: give -o DIR");
  }
  std::error_code ec;
  fs::create_directories(o.out, ec);
  if (ec || !fs::is_directory(o.out)) throw Error(ErrorCode::kIo, "cannot create the folder " + o.out);
}

// What a --jsonl stream taught, site by site: any mergeable counts (the site
// learner's SiteCounts, or AlignedCounts with --archive).
template <typename Counts>
struct JsonlSites {
  std::map<std::string, Counts> sites;
  std::size_t skipped = 0, bad = 0;
  int status = 0;  // the first error's exit code
};

// --jsonl: lines {"text", "url" | "site", "id"} of any number of sites,
// streamed (a few lines per thread in flight); each site's counts merge as
// its pages are observed, so memory is the counts, not the pages.
// observe(worker, text, key) counts one page on worker `worker` (in [0,
// threads), one call at a time per worker); its unspin::Error marks the line
// bad (file:line on stderr, the first one's code the exit status).
template <typename Counts>
JsonlSites<Counts> observe_jsonl(
    const LearnOptions& o, std::size_t max_input_bytes, unsigned threads,
    const std::function<Counts(unsigned worker, const std::string& text, const std::string& key)>& observe) {
  JsonlSites<Counts> out;
  for (const std::string& file : o.files) {
    std::optional<LineReader> reader;
    try {
      reader.emplace(file, max_input_bytes);
    } catch (const Error& e) {
      std::cerr << "unspin: error: " << (file == "-" ? "<stdin>" : file) << ": " << e.what() << "\n";
      if (out.status == 0) out.status = static_cast<int>(e.code());
      continue;
    }
    struct Item {
      std::size_t line_no;
      LineReader::Line line;
    };
    struct Seen {
      std::string site, error;
      ErrorCode code = ErrorCode::kUsage;  // a malformed line, as check --jsonl answers it
      std::size_t bytes = 0, line_no = 0;
      std::optional<Counts> counts;
    };
    Progress progress(0, reader->size_hint(), "lines");
    std::size_t line_no = 0;
    try {
      ordered_parallel<Item, Seen>(
          threads, 32 * threads, (std::size_t{16} << 20) * threads,
          [&]() -> std::optional<Item> {
            Item item{line_no + 1, {}};
            if (!reader->next(&item.line)) return std::nullopt;
            ++line_no;
            return item;
          },
          [](const Item& item) { return item.line.text.size(); },
          [&](unsigned worker, Item& item) {
            Seen seen;
            seen.bytes = item.line.bytes;
            seen.line_no = item.line_no;
            if (item.line.too_long) {
              seen.error = "the line is larger than the input limit; raise it with --max-input-bytes";
              seen.code = ErrorCode::kTooLarge;
              return seen;
            }
            const std::size_t first = item.line.text.find_first_not_of(" \t\r");
            if (first == std::string::npos) return seen;  // a blank line
            nlohmann::json j;
            try {
              j = nlohmann::json::parse(item.line.text);
            } catch (const nlohmann::json::exception&) {
              seen.error = "not a JSON object";
              return seen;
            }
            if (!j.is_object() || !j.contains("text") || !j["text"].is_string()) {
              seen.error = "expected an object with a \"text\" string";
              return seen;
            }
            std::string key = j.contains("id") && j["id"].is_string() ? j["id"].get<std::string>() : "";
            if (j.contains("site") && j["site"].is_string()) seen.site = j["site"].get<std::string>();
            if (j.contains("url") && j["url"].is_string()) {
              if (seen.site.empty()) seen.site = site_of_url(j["url"].get<std::string>());
              if (key.empty()) key = j["url"].get<std::string>();
            }
            if (seen.site.empty()) seen.site = o.site;
            if (seen.site.empty()) return seen;  // no site: counted as skipped
            try {
              seen.counts = observe(worker, j["text"].get<std::string>(), key);
            } catch (const Error& e) {
              seen.error = e.what();
              seen.code = e.code();
            }
            return seen;
          },
          [&](Seen& seen) {
            progress.advance(seen.bytes);
            if (!seen.error.empty()) {
              ++out.bad;
              std::cerr << "unspin: error: " << (file == "-" ? "<stdin>" : file) << ":" << seen.line_no << ": "
                        << seen.error << "\n";
              if (out.status == 0) out.status = static_cast<int>(seen.code);
              return;
            }
            if (!seen.counts) {
              out.skipped += !seen.site.empty() ? 0 : 1;
              return;
            }
            out.sites[seen.site].merge(*seen.counts);
          });
    } catch (const Error& e) {
      std::cerr << "unspin: error: " << (file == "-" ? "<stdin>" : file) << ": " << e.what() << "\n";
      if (out.status == 0) out.status = static_cast<int>(e.code());
    }
  }
  return out;
}

template <typename Counts>
void report_jsonl(const LearnOptions& o, const JsonlSites<Counts>& seen, std::size_t pairs) {
  std::cerr << "unspin: learned " << seen.sites.size() << " site(s) into " << o.out;
  if (!o.counts) std::cerr << " (" << pairs << " pairs)";
  if (seen.skipped) {
    std::cerr << "; " << seen.skipped << " line(s) without a site (no \"site\", no URL host, no --site) skipped";
  }
  if (seen.bad) std::cerr << "; " << seen.bad << " bad line(s)";
  std::cerr << "\n";
}

int run_jsonl(const LearnOptions& o) {
  prepare_out_dir(o);
  const std::unique_ptr<Models> models = load_models(o);
  const RestoreOptions options = restore_options(o);
  const SiteLearner learner(*models, options);
  const JsonlSites<SiteCounts> seen = observe_jsonl<SiteCounts>(
      o, options.max_input_bytes, resolve_threads(o.threads),
      [&](unsigned, const std::string& text, const std::string& key) { return learner.observe(text, key); });
  std::size_t pairs = 0;
  for (const auto& [site, counts] : seen.sites) pairs += write_site(o, &learner, site, counts, true);
  report_jsonl(o, seen, pairs);
  return seen.status;
}

// --archive: a site's table (or, with --counts, its aligned counts) as text.
// Returns the pairs of the table (0 for counts).
std::size_t aligned_site_text(const LearnOptions& o, Tracer& tracer, const std::string& site,
                              const AlignedCounts& counts, std::string* text) {
  if (o.counts) {
    *text = counts.serialize();
    return 0;
  }
  const std::vector<LearnedPair> pairs =
      aligned_table(tracer.traced_pairs(counts), o.min_prior_given ? o.min_prior : 0.0);
  *text = learned_table_text(pairs, counts.pages, site, true);
  return pairs.size();
}

// --archive --jsonl: each page traced to its source on its worker's own
// Tracer (a Tracer holds its connection's prepared statements: one per
// thread), the aligned counts merged per site, then one table per site.
int run_aligned_jsonl(const LearnOptions& o) {
  prepare_out_dir(o);
  const std::size_t max_input_bytes = parse_size(o.max_input);
  const unsigned threads = resolve_threads(o.threads);
  TraceOptions trace_options;
  trace_options.max_input_bytes = max_input_bytes;
  std::vector<std::unique_ptr<archive::ArchiveStore>> archives;
  std::vector<std::unique_ptr<Tracer>> tracers;
  for (unsigned t = 0; t < threads; ++t) {
    archives.push_back(open_archive(o.archive, ArchiveAccess::kRead));
    tracers.push_back(std::make_unique<Tracer>(*archives.back(), trace_options));
  }
  const JsonlSites<AlignedCounts> seen = observe_jsonl<AlignedCounts>(
      o, max_input_bytes, threads, [&](unsigned worker, const std::string& text, const std::string&) {
        return tracers[worker]->aligned_counts(text);
      });
  std::size_t pairs = 0;
  std::string text;
  for (const auto& [site, counts] : seen.sites) {
    pairs += aligned_site_text(o, *tracers[0], site, counts, &text);
    write_learned_table(site_path(o, site, o.counts), text);
  }
  report_jsonl(o, seen, pairs);
  return seen.status;
}

// Count files grouped by site: SITE.counts, or SITE.part-N.counts (one
// partition of the site).
std::map<std::string, std::vector<std::string>> count_files_by_site(const std::vector<std::string>& files) {
  std::map<std::string, std::vector<std::string>> sites;
  for (const std::string& file : files) {
    std::string site = fs::path(file).filename().string();
    if (site.size() > 7 && site.ends_with(".counts")) site.resize(site.size() - 7);
    const std::size_t dot = site.find(".part-");
    if (dot != std::string::npos) site.resize(dot);
    sites[site].push_back(file);
  }
  return sites;
}

// A site's count files merged; a file's error names the file.
template <typename Counts>
Counts read_counts(const std::vector<std::string>& files) {
  Counts counts;
  for (const std::string& file : files) {
    try {
      counts.merge(Counts::parse(read_input(file, std::size_t{1} << 32)));
    } catch (const Error& e) {
      throw Error(e.code(), file + ": " + e.what());
    }
  }
  return counts;
}

// --from-counts: count files (`--counts` output, any number per site, e.g.
// one per partition of a crawl), merged per site, then one table per site.
int run_from_counts(const LearnOptions& o) {
  // Files grouped by site first, then one site at a time is read, merged and
  // learned: memory is the largest site's counts, not the crawl's.
  const std::map<std::string, std::vector<std::string>> sites = count_files_by_site(o.files);
  // Every file is checked before anything is written (a bad file fails the
  // run with no partial output).
  for (const auto& [site, files] : sites) (void)read_counts<SiteCounts>(files);
  const std::unique_ptr<Models> models = load_models(o);
  const SiteLearner learner(*models, restore_options(o));
  const bool many = sites.size() > 1 || (o.out != "-" && fs::is_directory(o.out));
  if (many) prepare_out_dir(o);
  for (const auto& [site, files] : sites) write_site(o, &learner, site, read_counts<SiteCounts>(files), many);
  return 0;
}

// --archive --from-counts: aligned count files merged per site, each site's
// table from its sources in the archive. All or nothing: every file is
// parsed before a table is made, and the tables are written under temporary
// names and renamed only when every site succeeded (a source removed from
// the archive since the counting fails the run, naming it).
int run_aligned_from_counts(const LearnOptions& o) {
  const std::map<std::string, std::vector<std::string>> sites = count_files_by_site(o.files);
  for (const auto& [site, files] : sites) (void)read_counts<AlignedCounts>(files);
  const auto archive = open_archive(o.archive, ArchiveAccess::kRead);
  Tracer tracer(*archive, TraceOptions{});
  const bool many = sites.size() > 1 || (o.out != "-" && fs::is_directory(o.out));
  if (!many) {
    std::string text;
    for (const auto& [site, files] : sites)
      aligned_site_text(o, tracer, site, read_counts<AlignedCounts>(files), &text);
    write_learned_table(o.out, text);
    return 0;
  }
  prepare_out_dir(o);
  std::vector<std::pair<std::string, std::string>> written;  // (temporary, final) paths
  const auto remove_temporaries = [&] {
    std::error_code ignored;
    for (const auto& [temporary, path] : written) fs::remove(temporary, ignored);
  };
  try {
    std::string text;
    for (const auto& [site, files] : sites) {
      aligned_site_text(o, tracer, site, read_counts<AlignedCounts>(files), &text);
      const std::string path = site_path(o, site, o.counts);
      const std::string temporary = (fs::path(o.out) / ("." + fs::path(path).filename().string() + ".tmp")).string();
      written.emplace_back(temporary, path);
      write_learned_table(temporary, text);
    }
    for (const auto& [temporary, path] : written) fs::rename(temporary, path);
  } catch (...) {
    remove_temporaries();
    throw;
  }
  return 0;
}

int run_learn(const LearnOptions& o) {
  if (o.jsonl) return o.archive.empty() ? run_jsonl(o) : run_aligned_jsonl(o);
  if (o.from_counts) return o.archive.empty() ? run_from_counts(o) : run_aligned_from_counts(o);
  const std::size_t max_bytes = parse_size(o.max_input);
  std::vector<std::string> texts, names;
  int status = 0;
  for (const std::string& file : o.files) {
    try {
      std::string text = read_input(file, max_bytes);
      validate_input(text, max_bytes);
      texts.push_back(std::move(text));
      names.push_back(file);
    } catch (const Error& e) {
      std::cerr << "unspin: error: " << (file == "-" ? "<stdin>" : file) << ": " << e.what() << "\n";
      if (status == 0) status = static_cast<int>(e.code());
    }
  }
  if (texts.empty()) return status;
  const std::vector<std::string_view> views(texts.begin(), texts.end());
  if (!o.archive.empty()) {
    // Traced pairs: prior = the share of the original's occurrences in the
    // traced sources the spinner replaced by this form (alignment with the
    // source is near-certain evidence that the pair is in the table).
    const auto archive = open_archive(o.archive, ArchiveAccess::kRead);
    Tracer tracer(*archive, TraceOptions{});
    AlignedCounts counts;
    for (std::string_view text : views) counts.merge(tracer.aligned_counts(text));
    std::string text;
    aligned_site_text(o, tracer, o.site, counts, &text);
    write_learned_table(o.out, text);
    return status;
  }
  const std::unique_ptr<Models> models = load_models(o);
  const SiteLearner learner(*models, restore_options(o));
  std::vector<SiteCounts> pages(views.size());
  Progress progress(views.size(), 0, "files");
  std::mutex progress_mutex;
  parallel_for(views.size(), o.threads, [&](unsigned, std::size_t i) {
    pages[i] = learner.observe(views[i], "");  // the fold by content, as Engine.learn and --same-source
    std::lock_guard<std::mutex> lock(progress_mutex);
    progress.advance(views[i].size());
  });
  SiteCounts site;
  for (const SiteCounts& p : pages) site.merge(p);
  write_site(o, &learner, o.site, site, false);
  return status;
}

}  // namespace

void add_learn_command(CLI::App& app) {
  static LearnOptions o;
  CLI::App* cmd =
      app.add_subcommand("learn", "Learn a site's spinner table from its pages (a learned table that --lexicon reads)");
  cmd->add_option("files", o.files,
                  "Pages of one site (files; - reads standard input); with --jsonl, JSON-lines streams of many "
                  "sites; with --from-counts, count files");
  cmd->add_option(
      "-o,--output", o.out,
      "Write the table here (default: standard output); with --jsonl, a folder: one DIR/<site>.tsv per site");
  cmd->add_option("--models", o.models_dir, "Folder with en-us.ulm and default.ulex");
  add_table_engine_option(cmd, &o.table_engine);
  cmd->add_option("--lexicon", o.user_lexicons, "Extra lexicon (as for restore); repeat for several")
      ->allow_extra_args(false)
      ->take_all();
  cmd->add_option("--archive", o.archive,
                  "Archive of originals: learn from each text's aligned source instead (the strongest signal); "
                  "works with --jsonl, --counts (aligned counts) and --from-counts");
  cmd->add_flag("--same-source", o.same_source,
                "The texts come from one site or spinner (always so for files; kept for compatibility)");
  cmd->add_flag("--jsonl", o.jsonl,
                "Input is JSON lines {\"text\", \"url\" | \"site\", \"id\"} of any number of sites, streamed; "
                "one table per site (URL host or \"site\") in the -o folder");
  cmd->add_flag("--counts", o.counts,
                "Write each site's counts (mergeable sums; with --archive, aligned counts) instead of its table: "
                "DIR/<site>.counts");
  cmd->add_flag("--from-counts", o.from_counts,
                "Inputs are count files (SITE.counts or SITE.part-N.counts): merge them per site and write the tables "
                "(aligned counts with --archive: the archive they were counted against)");
  cmd->add_option("--site", o.site, "The site's name in the table's header (and for --jsonl lines without one)");
  cmd->add_option("--threads", o.threads,
                  "Pages observed (or, with --archive, traced) at once (default 0: every core)");
  CLI::Option* min_prior = cmd->add_option("--min-prior", o.min_prior,
                                           "Keep pairs at least this probable (default 0.5; with --archive, every "
                                           "pair the alignment proves)")
                               ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--max-input-bytes", o.max_input, "Refuse inputs (or --jsonl lines) larger than this (default 64M)");
  cmd->callback([min_prior] {
    if (o.jsonl && o.from_counts) throw CLI::ValidationError("--jsonl and --from-counts", "choose one");
    o.min_prior_given = min_prior->count() > 0;
    const int status = run_learn(o);
    if (status != 0) throw CLI::RuntimeError(status);
  });
}

}  // namespace unspin::cli
