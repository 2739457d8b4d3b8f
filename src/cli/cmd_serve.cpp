// `unspin serve`: the HTTP service and web page (docs/API.md, src/serve/).
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "cli/run.h"
#include "cli/commands.h"
#include "cli/input.h"
#include "serve/service.h"

namespace unspin::cli {

void add_serve_command(CLI::App& app) {
  static serve::ServeOptions options;
  static std::string models_dir;
  static std::vector<std::string> user_lexicons;
  static std::string max_body = "1M";
  static std::string allow_file;
  static bool quiet = false;
  CLI::App* cmd = app.add_subcommand(
      "serve", "HTTP service: LanguageTool-compatible /v2/check, the native /v1 API and a web page at /");
  cmd->add_option("--host", options.host, "Address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)");
  cmd->add_option("--port", options.port, "Port (default 8010; 0 picks a free one, named in the log)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", options.threads, "Documents decoded at once (default: one per core)");
  cmd->add_option("--max-connections", options.max_connections,
                  "Requests served at once (connection threads, default 256); more wait, holding no thread")
      ->check(CLI::Range(1u, 4096u));
  cmd->add_option("--max-pending", options.max_pending,
                  "Connections held while their request arrives or between requests (default 1024); "
                  "beyond, the one idle or sending longest is dropped")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
  cmd->add_option("--queue", options.queue,
                  "Documents that may wait for a decode thread (default 256); beyond, 503 with Retry-After");
  cmd->add_option("--queue-timeout", options.queue_timeout_seconds,
                  "Seconds a document may wait for a decode thread before 503 (default 30)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--max-body", max_body, "Largest request body (default 1M; suffixes K, M, G); 413 beyond");
  cmd->add_option("--read-timeout", options.read_timeout_seconds,
                  "Seconds a client may take to send a whole request, from its first byte (default 10)")
      ->check(CLI::Range(1, 3600));
  cmd->add_option("--models", models_dir,
                  "Folder with en-us.ulm and default.ulex (default: $UNSPIN_MODELS, else the folder ./setup.sh fills)");
  cmd->add_option("--lexicon", user_lexicons, "Extra lexicon stacked on the default (as for check); repeat for several")
      ->allow_extra_args(false)
      ->take_all();
  static TableEngine table_engine = TableEngine::kPlugin;
  add_table_engine_option(cmd, &table_engine);
  static bool uncalibrated = false;
  add_uncalibrated_option(cmd, &uncalibrated);
  cmd->add_option("--archive", options.archive,
                  "Archive of originals: restore from the source when found (as check --archive)");
  cmd->add_option("--threshold", options.restore.verdict_threshold,
                  "Default score at or above which a document is called spun (requests may override)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option(
         "--base-rate", options.restore.base_rate,
         "Default share of spun documents the score assumes (default 0.1; requests may override with base_rate)")
      ->check(CLI::Range(1e-6, 1 - 1e-6));
  cmd->add_flag("--papers", options.restore.papers,
                "Paper screening by default: unlisted tortured phrases in every document, also those the screen "
                "calls clean (requests may override with papers)");
  cmd->add_option("--review-threshold", options.restore.review_threshold,
                  "Confidence at or above which suspicious spans are listed for review (default 0.2)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--min-confidence", options.restore.min_confidence,
                  "Default confidence an edit needs to be applied (0..1, default 0.5)")
      ->check(CLI::Range(0.0, 1.0));
  cmd->add_option("--allow", allow_file, "File of words and phrases never flagged, one per line");
  cmd->add_flag("--quiet", quiet, "No access log (one line per request on stderr otherwise)");
  cmd->callback([] {
    options.max_body = parse_size(max_body);
    options.restore.max_input_bytes = std::max(options.restore.max_input_bytes, options.max_body);
    options.restore.allow = read_allow_list(allow_file);
    options.access_log = !quiet;
    options.models = models_dir.empty() ? ModelPaths::defaults() : ModelPaths::in_folder(models_dir);
    options.models.user_lexicons = user_lexicons;
    options.models.table_engine = table_engine;
    options.models.uncalibrated = uncalibrated;
    serve::run_service(options, [](int port) {
      const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
      std::fprintf(stderr, "unspin serve: listening on http://%s:%d/ (%u decode threads; SIGTERM or Ctrl-C stops)\n",
                   options.host.c_str(), port, threads);
      std::fflush(stderr);
    });
  });
}

}  // namespace unspin::cli
