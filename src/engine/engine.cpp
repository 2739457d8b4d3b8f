// The engine (include/unspin/engine.h): archive first, then the decoder, with
// the provenance of each result. The front ends (src/cli, src/serve, python/)
// parse their input, call it and format what it returns.
#include "unspin/engine.h"

#include <atomic>
#include <mutex>
#include <utility>

#include "common/parallel.h"
#include "lexicon/ulex_reader.h"
#include "lm/ulm_file.h"
#include "unspin/restore.h"
#include "unspin/trace.h"

namespace unspin {
namespace {

// Tracers are not thread-safe (one SQLite connection each): a pool of them,
// one checked out per call, opened on demand.
class TracerPool {
 public:
  explicit TracerPool(std::string path) : path_(std::move(path)) {}

  void with_tracer(const std::function<void(Tracer&)>& use) {
    std::unique_ptr<Entry> entry;
    {
      std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        entry = std::move(free_.back());
        free_.pop_back();
      }
    }
    if (!entry) {
      entry = std::make_unique<Entry>();
      entry->store = open_archive(path_, ArchiveAccess::kRead);
      entry->tracer = std::make_unique<Tracer>(*entry->store, TraceOptions{});
    }
    // The connection goes back to the pool whether `use` returns or throws.
    struct GiveBack {
      TracerPool* pool;
      std::unique_ptr<Entry>* entry;
      ~GiveBack() {
        std::lock_guard lock(pool->mutex_);
        pool->free_.push_back(std::move(*entry));
      }
    } give_back{this, &entry};
    use(*entry->tracer);
  }

 private:
  struct Entry {
    std::unique_ptr<archive::ArchiveStore> store;
    std::unique_ptr<Tracer> tracer;
  };
  std::string path_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> free_;
};

void check_probability(double value, const char* name) {
  if (!(value >= 0 && value <= 1)) throw Error(ErrorCode::kUsage, std::string(name) + " must be between 0 and 1");
}

// Checks the model bodies' checksums, as `unspin lm verify` and `unspin
// lexicon verify` do; throws Error(kBadModel) naming the file.
void verify_model_files(const ModelPaths& paths) {
  lm::verify_ulm(paths.lm);
  std::vector<std::string> lexicons{paths.lexicon};
  for (const std::string& u : paths.user_lexicons) {
    if (u.ends_with(".ulex")) lexicons.push_back(u);
  }
  for (const std::string& lex : lexicons) {
    auto file = lexicon::UlexLexicon::from_file(lex, "rebuild it (./setup.sh or unspin lexicon build)");
    const std::string problem = lexicon::verify_ulex(*file);
    if (!problem.empty()) throw Error(ErrorCode::kBadModel, lex + ": " + problem + "; rebuild it");
  }
}

}  // namespace

struct Engine::Impl {
  EngineOptions options;
  std::once_flag load_once;
  std::atomic<bool> loaded{false};
  std::unique_ptr<Models> models;
  std::unique_ptr<Restorer> checking;                        // the engine's options
  std::unique_ptr<Restorer> restoring;                       // the same, never screened (a restoration always decodes)
  std::shared_ptr<const Provenance> provenance;              // with the models
  std::shared_ptr<const Provenance> provenance_before_load;  // without: archive restorations only
  std::unique_ptr<TracerPool> tracers;

  // The models' and the archive's entries, in that order; `learned_table`:
  // a site's pages restored with the tables learned from them (run_site).
  Provenance make_provenance(const RestoreOptions& restore, bool learned_table, bool same_source) const {
    Provenance p;
    p.version = std::string(version());
    p.models_loaded = true;
    p.models = models->info;
    if (learned_table) p.models.push_back({"learned_lexicon", "same-source", ""});
    add_archive(p);
    p.options = restore;
    p.same_source = same_source;
    return p;
  }
  void add_archive(Provenance& p) const {
    if (!options.archive.empty()) p.models.push_back({"archive", options.archive, ""});
  }

  void load() {
    std::call_once(load_once, [&] {
      ModelPaths paths = options.models;
      if (paths.lm.empty()) {
        paths = ModelPaths::defaults();
        paths.user_lexicons = options.models.user_lexicons;
        paths.table_engine = options.models.table_engine;
      }
      if (options.verify_models) verify_model_files(paths);
      std::vector<UserLexiconReport> reports;
      models = Models::load(paths, &reports);
      if (options.on_warning) {
        for (std::size_t i = 0; i < reports.size(); ++i) {
          for (const std::string& w : reports[i].warnings) options.on_warning(w);
          if (reports[i].skipped > reports[i].warnings.size()) {
            options.on_warning(paths.user_lexicons[i] + ": " +
                               std::to_string(reports[i].skipped - reports[i].warnings.size()) + " more lines skipped");
          }
        }
      }
      checking = std::make_unique<Restorer>(*models, options.restore);
      RestoreOptions decode_all = options.restore;
      decode_all.screen = false;
      restoring = std::make_unique<Restorer>(*models, decode_all);
      provenance = std::make_shared<const Provenance>(make_provenance(options.restore, false, options.same_source));
      loaded.store(true, std::memory_order_release);
    });
  }
};

Engine::Engine(EngineOptions options) : impl_(std::make_unique<Impl>()) {
  const RestoreOptions& r = options.restore;
  check_probability(r.min_confidence, "min_confidence");
  check_probability(r.review_threshold, "review_threshold");
  if (r.verdict_threshold >= 0) check_probability(r.verdict_threshold, "threshold");
  if (!(r.base_rate > 0 && r.base_rate < 1)) {
    throw Error(ErrorCode::kUsage, "base_rate must be between 0 and 1 exclusive");
  }
  impl_->options = std::move(options);
  Provenance before;
  before.version = std::string(version());
  impl_->add_archive(before);
  before.options = impl_->options.restore;
  before.same_source = impl_->options.same_source;
  impl_->provenance_before_load = std::make_shared<const Provenance>(std::move(before));
  if (!impl_->options.archive.empty()) impl_->tracers = std::make_unique<TracerPool>(impl_->options.archive);
}

Engine::~Engine() = default;

void Engine::load() const {
  impl_->load();
  if (impl_->tracers) impl_->tracers->with_tracer([](Tracer&) {});  // a bad archive fails now
}

const Models& Engine::models() const {
  impl_->load();
  return *impl_->models;
}

const EngineOptions& Engine::options() const { return impl_->options; }

std::shared_ptr<const Provenance> Engine::provenance() const {
  return impl_->loaded.load(std::memory_order_acquire) ? impl_->provenance : impl_->provenance_before_load;
}

void Engine::with_tracer(const std::function<void(Tracer&)>& use) const {
  if (!impl_->tracers) throw Error(ErrorCode::kUsage, "no archive of originals was given");
  impl_->tracers->with_tracer(use);
}

EngineAnswer Engine::run(std::string_view text, const RequestOptions& request) const {
  validate_input(text, impl_->options.restore.max_input_bytes);
  EngineAnswer answer;
  if (impl_->tracers) {
    std::optional<SourceRestoration> found;
    impl_->tracers->with_tracer([&](Tracer& t) { found = t.restore_from_source(text); });
    if (found) {
      answer.result = std::move(found->result);
      answer.source = SourceMatch{std::move(found->source_id), found->source_score};
      answer.provenance = provenance();
      return answer;
    }
  }
  impl_->load();
  if (!request.overrides()) {
    answer.result = (request.restore ? impl_->restoring : impl_->checking)->run(text);
    answer.provenance = impl_->provenance;
    return answer;
  }
  // The request's options: a Restorer over the same models holds only options.
  RestoreOptions r = impl_->options.restore;
  if (request.verdict_threshold) r.verdict_threshold = *request.verdict_threshold;
  if (request.min_confidence) r.min_confidence = *request.min_confidence;
  if (request.base_rate) r.base_rate = *request.base_rate;
  if (request.papers) r.papers = *request.papers;
  r.allow.insert(r.allow.end(), request.allow.begin(), request.allow.end());
  answer.provenance = std::make_shared<const Provenance>(impl_->make_provenance(r, false, impl_->options.same_source));
  if (request.restore) r.screen = false;
  answer.result = Restorer(*impl_->models, r).run(text);
  return answer;
}

std::vector<SiteAnswer> Engine::run_site(const std::vector<std::string_view>& pages, const RequestOptions& request,
                                         unsigned threads) const {
  impl_->load();
  RestoreOptions r = impl_->options.restore;
  if (request.restore) r.screen = false;
  const SiteLearner learner(*impl_->models, r);
  SiteLearner::SiteRestoration site = learner.restore(pages, {}, r, kLearnMinPrior, threads);
  const auto provenance = std::make_shared<const Provenance>(impl_->make_provenance(r, site.learned(), true));
  std::vector<SiteAnswer> out(site.results.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (site.results[i].error) {
      out[i].error = std::move(site.results[i].error);
      continue;
    }
    out[i].answer = EngineAnswer{std::move(*site.results[i].result), std::nullopt, provenance};
  }
  return out;
}

}  // namespace unspin
