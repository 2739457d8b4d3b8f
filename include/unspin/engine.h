// The engine: the one way a text becomes a result, behind every front end
// (the CLI, the HTTP service, the Python module).
//
//   unspin::Engine engine({});            // default models, loaded on first use
//   unspin::EngineAnswer a = engine.run(text);
//   // a.result: score, verdict, edits, restored text; a.provenance: what made it
//
// A request is a text and what it may change of the engine's options
// (RequestOptions). The engine answers it archive first (a source found in the
// archive restores the text by alignment, rule UNSPIN_SOURCE), else with the
// decoder (the screen first, unless the request restores), and says which
// models, options and archive made the result (Provenance, docs/SCHEMA.md §2).
//
// Thread-safety: every const member may be called from many threads at once.
// The models are loaded once (on first use, or by load()) and are immutable;
// each call to the archive takes one of a pool of connections.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "unspin/restore.h"

namespace unspin {

class Tracer;  // unspin/trace.h

struct EngineOptions {
  // The model files; an empty `lm` means ModelPaths::defaults() (with these user lexicons).
  ModelPaths models;
  bool verify_models = false;  // check the model bodies' checksums before use
  std::string archive;         // archive of originals; empty: none
  RestoreOptions restore;      // every request's options, unless it overrides them
  bool same_source = false;    // recorded in the provenance (the CLI's --same-source)
  // Receives each warning of loading the models (skipped user-lexicon lines).
  std::function<void(const std::string&)> on_warning;
};

// What one request may change of the engine's options.
struct RequestOptions {
  std::optional<double> verdict_threshold, min_confidence, base_rate;
  std::optional<bool> papers;
  std::vector<std::string> allow;  // added to the engine's allow list
  bool restore = false;            // a restoration: always decoded (no screen)
  bool overrides() const { return verdict_threshold || min_confidence || base_rate || papers || !allow.empty(); }
};

// What made a result (docs/SCHEMA.md §2).
struct Provenance {
  std::string version;
  // The model files in use ("lm", "lexicon", "user_lexicon",
  // "learned_lexicon", "listed_phrases"), then the archive (role "archive",
  // no checksum). Empty, with models_loaded false, when no document needed
  // them (every one so far was restored from an archive source).
  std::vector<ModelInfo> models;
  bool models_loaded = false;
  RestoreOptions options;
  bool same_source = false;
};

// The archive source a result was restored from.
struct SourceMatch {
  std::string id;
  double score = 0;
};

struct EngineAnswer {
  DocumentResult result;
  std::optional<SourceMatch> source;
  // Shared by every answer made with the same models and options.
  std::shared_ptr<const Provenance> provenance;
};

// One page of Engine::run_site: its answer, or the Error that refused it.
struct SiteAnswer {
  std::optional<EngineAnswer> answer;
  std::optional<Error> error;
};

class Engine {
 public:
  // Throws Error(kUsage) for options out of range; opens nothing yet.
  explicit Engine(EngineOptions options);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Loads the models (and opens the archive) now: a bad model file or
  // archive is reported here rather than at the first request.
  void load() const;
  const Models& models() const;  // loads them
  const EngineOptions& options() const;

  // One document (validated first: Error for invalid UTF-8, binary, empty or
  // oversized input). The models are loaded only when the archive has no
  // source for it.
  EngineAnswer run(std::string_view text, const RequestOptions& request = {}) const;
  // One site's pages (`--same-source`): each restored with the table the
  // site learner learns from the other pages (SiteLearner::restore,
  // cross-fitted), or alone when nothing was learned; on `threads` threads
  // (0: every core). The archive is not used; of `request`, only `restore`
  // is (a site's options are the engine's).
  std::vector<SiteAnswer> run_site(const std::vector<std::string_view>& pages, const RequestOptions& request = {},
                                   unsigned threads = 0) const;
  // The provenance of results made with the engine's own options: without
  // models before they are loaded.
  std::shared_ptr<const Provenance> provenance() const;
  // Runs `use` with one of the archive's connections (Tracer), which no
  // other call uses meanwhile. Error(kUsage) without an archive.
  void with_tracer(const std::function<void(Tracer&)>& use) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace unspin
