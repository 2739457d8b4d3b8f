// unspin._unspin: the Python binding of the library (python/unspin/__init__.py
// wraps it). The check dict is report::document_json, the one function that
// makes the CLI's `check --json` object, so both interfaces keep one contract.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <tuple>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/parallel.h"
#include "report/report.h"
#include "unspin/error.h"
#include "unspin/learn.h"
#include "unspin/restore.h"
#include "unspin/trace.h"

namespace py = pybind11;
using nlohmann::json;

namespace unspin::python {
namespace {

// unspin.Error, set by __init__.py; never destroyed (the interpreter may be
// gone when static destructors run).
py::object* g_error_class = nullptr;

// An unspin::Error for texts[index] of a batch.
struct IndexedError {
  Error error;
  std::size_t index;
};

void raise_error(const Error& e, std::optional<std::size_t> index = std::nullopt) {
  std::string message = e.what();
  if (index) message = "texts[" + std::to_string(*index) + "]: " + message;
  if (!g_error_class) {
    PyErr_SetString(PyExc_RuntimeError, message.c_str());
    return;
  }
  py::object exc = (*g_error_class)(message, std::string(report::error_code_name(e.code())),
                                    static_cast<int>(e.code()),
                                    index ? py::object(py::int_(*index)) : py::object(py::none()));
  PyErr_SetObject(g_error_class->ptr(), exc.ptr());
}

// A Python str (UTF-8 encoded) or bytes (taken as they are, validated later).
std::string text_bytes(const py::handle& obj) {
  if (PyBytes_Check(obj.ptr())) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    PyBytes_AsStringAndSize(obj.ptr(), &data, &size);
    return std::string(data, static_cast<std::size_t>(size));
  }
  if (PyUnicode_Check(obj.ptr())) {
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
    if (!data) {  // lone surrogates: not encodable as UTF-8
      PyErr_Clear();
      throw Error(ErrorCode::kInvalidUtf8, "input is not valid UTF-8 (the str holds a lone surrogate)");
    }
    return std::string(data, static_cast<std::size_t>(size));
  }
  throw py::type_error("text must be str or bytes, not " +
                       std::string(py::str(py::type::handle_of(obj).attr("__name__"))));
}

json source_json(const TracedSource& s) {  // as `unspin trace --json`
  json subs = json::array();
  for (const TracedSubstitution& t : s.substitutions) {
    subs.push_back({{"offset", t.offset}, {"length", t.length}, {"spun", t.spun}, {"original", t.original},
                    {"source_offset", t.source_offset}, {"source_length", t.source_length}});
  }
  return {{"id", s.id}, {"score", s.score}, {"aligned", s.aligned}, {"substitutions", std::move(subs)}};
}

py::object to_python(const std::string& dumped) {
  static py::object* loads = new py::object(py::module_::import("json").attr("loads"));
  return (*loads)(dumped);
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

class Engine {
 public:
  Engine(std::optional<std::filesystem::path> models, std::vector<std::filesystem::path> lexicons,
         std::optional<std::filesystem::path> archive, std::optional<double> threshold, double min_confidence,
         std::size_t max_input_bytes, double base_rate, bool papers) {
    if (!(base_rate > 0 && base_rate < 1)) throw Error(ErrorCode::kUsage, "base_rate must be between 0 and 1 exclusive");
    if (!(min_confidence >= 0 && min_confidence <= 1)) {
      throw Error(ErrorCode::kUsage, "min_confidence must be between 0 and 1");
    }
    if (threshold && !(*threshold >= 0 && *threshold <= 1)) {
      throw Error(ErrorCode::kUsage, "threshold must be between 0 and 1");
    }
    options_.max_input_bytes = max_input_bytes;
    options_.min_confidence = min_confidence;
    options_.verdict_threshold = threshold ? *threshold : -1;
    options_.base_rate = base_rate;
    options_.papers = papers;
    ModelPaths paths = models ? ModelPaths::in_folder(models->string()) : ModelPaths::defaults();
    for (const auto& l : lexicons) paths.user_lexicons.push_back(l.string());
    std::vector<UserLexiconReport> reports;
    models_ = Models::load(paths, &reports);
    for (std::size_t i = 0; i < reports.size(); ++i) {
      for (const std::string& w : reports[i].warnings) warnings_.push_back(w);
      if (reports[i].skipped > reports[i].warnings.size()) {
        warnings_.push_back(paths.user_lexicons[i] + ": " +
                            std::to_string(reports[i].skipped - reports[i].warnings.size()) + " more lines skipped");
      }
    }
    restorer_ = std::make_unique<Restorer>(*models_, options_);
    RestoreOptions decode_all = options_;
    decode_all.screen = false;  // a restoration always decodes (as `unspin restore`)
    restore_restorer_ = std::make_unique<Restorer>(*models_, decode_all);
    provenance_ = report::make_provenance(*models_, options_, false);
    provenance_same_source_ = report::make_provenance(*models_, options_, true);
    if (archive) {
      archive_path_ = archive->string();
      tracer_ = open_tracer();  // reports a missing or foreign archive now
    }
  }

  const std::vector<std::string>& warnings() const { return warnings_; }

  py::object check(const py::handle& text) {
    std::string bytes = text_bytes(text);
    std::string out;
    {
      py::gil_scoped_release release;
      auto lock = lock_tracer();
      out = check_json(bytes, tracer_.get());
    }
    return to_python(out);
  }

  std::string restore(const py::handle& text) {
    std::string bytes = text_bytes(text);
    py::gil_scoped_release release;
    auto lock = lock_tracer();
    return run(bytes, tracer_.get(), nullptr, true).restored;
  }

  py::list check_many(const py::iterable& texts, std::size_t threads) {
    std::vector<std::string> inputs;
    for (const py::handle& t : texts) {
      try {
        inputs.push_back(text_bytes(t));
      } catch (const Error& e) {
        throw IndexedError{e, inputs.size()};
      }
    }
    threads = std::min<std::size_t>(resolve_threads(static_cast<unsigned>(std::min<std::size_t>(threads, 1024))),
                                    std::max<std::size_t>(1, inputs.size()));
    std::vector<std::string> outputs(inputs.size());
    std::vector<std::optional<Error>> errors(inputs.size());
    {
      py::gil_scoped_release release;
      auto guarded = [&](std::size_t i, const std::function<void()>& fn) {
        try {
          fn();
        } catch (const Error& e) {
          errors[i] = e;
        } catch (const std::exception& e) {
          errors[i] = Error(ErrorCode::kInternal, e.what());
        } catch (...) {
          errors[i] = Error(ErrorCode::kInternal, "unknown exception");
        }
      };
      if (archive_path_.empty()) {
        // The library's batch call decodes on every thread; the JSON of
        // each result is then made in input order.
        const std::vector<std::string_view> views(inputs.begin(), inputs.end());
        std::vector<BatchResult> results = restorer_->run_many(views, static_cast<unsigned>(threads));
        for (std::size_t i = 0; i < results.size(); ++i) {
          if (results[i].error) {
            errors[i] = *results[i].error;
            continue;
          }
          guarded(i, [&] {
            outputs[i] = dump(report::document_json(inputs[i], *results[i].result, report::OffsetUnit::kCodePoint,
                                                    &provenance_));
          });
        }
      } else {
        // A Tracer is one connection to the archive: one per worker.
        std::vector<std::unique_ptr<archive::ArchiveStore>> stores;
        std::vector<std::unique_ptr<Tracer>> tracers;
        for (std::size_t t = 0; t < threads; ++t) {
          stores.push_back(open_archive(archive_path_, ArchiveAccess::kRead));
          tracers.push_back(std::make_unique<Tracer>(*stores.back(), TraceOptions{}));
        }
        parallel_for(inputs.size(), static_cast<unsigned>(threads), [&](unsigned worker, std::size_t i) {
          guarded(i, [&] { outputs[i] = check_json(inputs[i], tracers[worker].get()); });
        });
      }
    }
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (errors[i]) throw IndexedError{*errors[i], i};
    }
    py::list result;
    for (const std::string& o : outputs) result.append(to_python(o));
    return result;
  }

  py::object trace(const py::handle& text) {
    if (archive_path_.empty()) {
      throw Error(ErrorCode::kUsage, "trace needs an archive of originals: Engine(archive=PATH)");
    }
    std::string bytes = text_bytes(text);
    std::string out;
    {
      py::gil_scoped_release release;
      std::lock_guard<std::mutex> lock(tracer_mutex_);
      validate_input(bytes, options_.max_input_bytes);
      const TraceResult r = tracer_->trace(bytes);
      json sources = json::array();
      for (const TracedSource& s : r.sources) sources.push_back(source_json(s));
      out = dump(sources);
    }
    return to_python(out);
  }

  std::vector<std::tuple<std::string, std::string, double>> learn(const py::iterable& texts, bool /*same_source*/,
                                                                  double min_prior) {
    std::vector<std::string> inputs;
    for (const py::handle& t : texts) {
      try {
        std::string bytes = text_bytes(t);
        validate_input(bytes, options_.max_input_bytes);
        inputs.push_back(std::move(bytes));
      } catch (const Error& e) {
        throw IndexedError{e, inputs.size()};
      }
    }
    if (inputs.empty()) throw Error(ErrorCode::kEmptyInput, "learn needs at least one text");
    std::vector<std::tuple<std::string, std::string, double>> rows;
    py::gil_scoped_release release;
    std::vector<std::string_view> views(inputs.begin(), inputs.end());
    if (!archive_path_.empty()) {  // as `unspin learn --archive`: the aligned sources' substitutions
      std::lock_guard<std::mutex> lock(tracer_mutex_);
      for (const TracedPair& t : tracer_->traced_pairs(views)) {
        const double prior = t.original_seen ? std::min(1.0, static_cast<double>(t.count) / t.original_seen) : 1.0;
        rows.emplace_back(t.original, t.spun, prior);
      }
    } else {
      // The texts are one site's pages (same_source is implied): the site learner, as `unspin learn`.
      const SiteCounts site = observe_all(views, {});
      for (const LearnedPair& p : learner().table(site, min_prior)) rows.emplace_back(p.original, p.spun, p.prior);
    }
    return rows;
  }

  // One site's counts from these pages (SiteCounts::serialize), `keys[i]`
  // fixing page i's fold (its URL or id; empty: the text): the partial sums
  // that merge across partitions of a crawl (`python3 -m unspin.dask learn`).
  std::string learn_counts(const py::iterable& texts, std::vector<std::string> keys) {
    std::vector<std::string> inputs;
    for (const py::handle& t : texts) {
      try {
        std::string bytes = text_bytes(t);
        validate_input(bytes, options_.max_input_bytes);
        inputs.push_back(std::move(bytes));
      } catch (const Error& e) {
        throw IndexedError{e, inputs.size()};
      }
    }
    if (!keys.empty() && keys.size() != inputs.size()) {
      throw Error(ErrorCode::kUsage, "learn_counts: keys must be empty or one per text");
    }
    py::gil_scoped_release release;
    std::vector<std::string_view> views(inputs.begin(), inputs.end());
    return observe_all(views, keys).serialize();
  }

  // The learned table (docs/SCHEMA.md §9 text) of the merged counts.
  std::string learned_table(const std::vector<std::string>& counts, const std::string& site, double min_prior) {
    py::gil_scoped_release release;
    SiteCounts merged;
    for (const std::string& c : counts) merged.merge(SiteCounts::parse(c));
    return learned_table_text(learner().table(merged, min_prior), merged.pages(), site);
  }

  const SiteLearner& learner() {
    std::call_once(learner_once_, [&] { learner_ = std::make_unique<SiteLearner>(*models_, options_); });
    return *learner_;
  }
  SiteCounts observe_all(const std::vector<std::string_view>& views, const std::vector<std::string>& keys) {
    const SiteLearner& l = learner();
    SiteCounts site;
    for (std::size_t i = 0; i < views.size(); ++i) site.merge(l.observe(views[i], keys.empty() ? "" : keys[i]));
    return site;
  }

  // One JSON-lines batch, answered line by line exactly as `unspin check
  // --jsonl` / `restore --jsonl` answer it (report::answer_jsonl_line: the
  // same result object, the same error object for a blank or malformed line,
  // the same compact dump), so a distributed run's output files equal the
  // CLI's. `line_numbers[i]` is line i's 1-based number in its input file
  // (the `line` field). With `same_source`, every valid text of the batch
  // shares one spinner table, decoded together as `unspin check|restore
  // --same-source` does (Restorer::run_same_source; provenance records
  // same_source); the archive is then not used, as in the CLI.
  // Returns (answer, status) per line: status is the verdict name ("spun",
  // "clean", "too short", "not English") or "error".
  std::vector<std::pair<std::string, std::string>> answer_jsonl(const py::iterable& lines,
                                                                std::vector<std::size_t> line_numbers,
                                                                bool restore, bool same_source) {
    std::vector<std::string> inputs;
    for (const py::handle& l : lines) inputs.push_back(text_bytes(l));
    if (line_numbers.size() != inputs.size()) {
      throw Error(ErrorCode::kUsage, "answer_jsonl: " + std::to_string(line_numbers.size()) +
                                         " line numbers for " + std::to_string(inputs.size()) + " lines");
    }
    std::vector<std::pair<std::string, std::string>> out(inputs.size());
    py::gil_scoped_release release;
    auto result_json = [&](const std::string& text, const DocumentResult& r, const report::Provenance& prov) {
      return restore ? report::restore_json(text, r, report::OffsetUnit::kCodePoint)
                     : report::document_json(text, r, report::OffsetUnit::kCodePoint, &prov);
    };
    if (!same_source) {
      auto lock = lock_tracer();
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::string status = "error";
        report::JsonlAnswer a = report::answer_jsonl_line(inputs[i], line_numbers[i], [&](const std::string& text) {
          std::optional<std::pair<std::string, double>> source;
          const DocumentResult r = run(text, tracer_.get(), &source, restore);
          json res = result_json(text, r, provenance_);
          if (source) res["source"] = {{"id", source->first}, {"score", source->second}};
          status = std::string(verdict_name(r.verdict));
          return res;
        });
        if (a.error) status = "error";
        out[i] = {dump(a.out), std::move(status)};
      }
      return out;
    }
    // Pass 1: parse and validate every line (the answer keeps its place);
    // pass 2: decode the valid texts together and merge their results in.
    std::vector<report::JsonlAnswer> answers;
    std::vector<std::string> texts;
    std::vector<std::size_t> owner;  // texts[k] is line owner[k]
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      answers.push_back(report::answer_jsonl_line(inputs[i], line_numbers[i], [&](const std::string& text) {
        validate_input(text, options_.max_input_bytes);
        texts.push_back(text);
        owner.push_back(i);
        return json::object();
      }));
    }
    std::vector<std::string_view> views(texts.begin(), texts.end());
    // As the CLI's --same-source: each text restored with the site learner's
    // table learned from the others (SiteLearner::restore; alone when
    // nothing was learned).
    std::vector<DocumentResult> results;
    report::Provenance site_provenance = provenance_same_source_;
    if (!views.empty()) {
      SiteLearner::SiteRestoration site = learner().restore(views, {}, options_, kLearnMinPrior, 0);
      site_provenance = report::make_site_provenance(*models_, options_, site.learned());
      for (BatchResult& b : site.results) {
        if (b.error) throw *b.error;  // validated above: not expected
        results.push_back(std::move(*b.result));
      }
    }
    for (std::size_t k = 0; k < results.size(); ++k) {
      json res = result_json(texts[k], results[k], site_provenance);
      json& o = answers[owner[k]].out;
      for (auto it = res.begin(); it != res.end(); ++it) o[it.key()] = it.value();
      out[owner[k]].second = std::string(verdict_name(results[k].verdict));
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      out[i].first = dump(answers[i].out);
      if (answers[i].error) out[i].second = "error";
    }
    return out;
  }

  py::object provenance() const { return to_python(dump({{"version", provenance_.version},
                                                         {"models", provenance_.models},
                                                         {"options", provenance_.options}})); }

 private:
  // The Tracer is one archive connection, not thread-safe: calls that use it
  // take turns; without an archive, calls run in parallel.
  std::unique_lock<std::mutex> lock_tracer() {
    return tracer_ ? std::unique_lock<std::mutex>(tracer_mutex_) : std::unique_lock<std::mutex>();
  }

  std::unique_ptr<Tracer> open_tracer() {
    stores_.push_back(open_archive(archive_path_, ArchiveAccess::kRead));
    return std::make_unique<Tracer>(*stores_.back(), TraceOptions{});
  }

  // As the CLI's Engine::run: restore from a source found in the archive,
  // else decode. `source` receives the source when one was used.
  DocumentResult run(const std::string& text, Tracer* tracer,
                     std::optional<std::pair<std::string, double>>* source = nullptr, bool restoring = false) const {
    validate_input(text, options_.max_input_bytes);
    if (tracer) {
      if (auto found = tracer->restore_from_source(text)) {
        if (source) source->emplace(found->source_id, found->source_score);
        return std::move(found->result);
      }
    }
    return (restoring ? restore_restorer_ : restorer_)->run(text);
  }

  std::string check_json(const std::string& text, Tracer* tracer) const {
    std::optional<std::pair<std::string, double>> source;
    const DocumentResult r = run(text, tracer, &source);
    json j = report::document_json(text, r, report::OffsetUnit::kCodePoint, &provenance_);
    if (source) j["source"] = {{"id", source->first}, {"score", source->second}};
    return dump(j);
  }

  RestoreOptions options_;
  std::unique_ptr<Models> models_;
  std::unique_ptr<Restorer> restorer_;
  std::unique_ptr<Restorer> restore_restorer_;
  std::once_flag learner_once_;
  std::unique_ptr<SiteLearner> learner_;
  report::Provenance provenance_;
  report::Provenance provenance_same_source_;  // answer_jsonl(same_source=true), as the CLI's --same-source
  std::vector<std::string> warnings_;
  std::string archive_path_;
  std::vector<std::unique_ptr<archive::ArchiveStore>> stores_;
  std::unique_ptr<Tracer> tracer_;
  std::mutex tracer_mutex_;
};

}  // namespace
}  // namespace unspin::python

PYBIND11_MODULE(_unspin, m) {
  using unspin::python::Engine;
  m.doc() = "The compiled core of the unspin package; use `unspin.Engine`.";
  m.attr("__version__") = std::string(unspin::version());

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const unspin::python::IndexedError& e) {
      unspin::python::raise_error(e.error, e.index);
    } catch (const unspin::Error& e) {
      unspin::python::raise_error(e);
    }
  });

  m.def("_set_error_class", [](py::object cls) {
    delete unspin::python::g_error_class;
    unspin::python::g_error_class = new py::object(std::move(cls));
  });

  py::class_<Engine>(m, "Engine")
      .def(py::init<std::optional<std::filesystem::path>, std::vector<std::filesystem::path>,
                    std::optional<std::filesystem::path>, std::optional<double>, double, std::size_t, double, bool>(),
           py::arg("models") = py::none(), py::arg("lexicons") = std::vector<std::filesystem::path>{},
           py::arg("archive") = py::none(), py::arg("threshold") = py::none(), py::arg("min_confidence") = 0.5,
           py::arg("max_input_bytes") = std::size_t{64} << 20, py::arg("base_rate") = unspin::kDefaultBaseRate,
           py::arg("papers") = false, py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("warnings", &Engine::warnings)
      .def_property_readonly("provenance", &Engine::provenance)
      .def("check", &Engine::check, py::arg("text"))
      .def("restore", &Engine::restore, py::arg("text"))
      .def("check_many", &Engine::check_many, py::arg("texts"), py::arg("threads") = 0)
      .def("trace", &Engine::trace, py::arg("text"))
      .def("answer_jsonl", &Engine::answer_jsonl, py::arg("lines"), py::arg("line_numbers"),
           py::arg("restore") = false, py::arg("same_source") = false)
      .def("learn", &Engine::learn, py::arg("texts"), py::arg("same_source") = false, py::arg("min_prior") = 0.5)
      .def("learn_counts", &Engine::learn_counts, py::arg("texts"), py::arg("keys") = std::vector<std::string>{})
      .def("learned_table", &Engine::learned_table, py::arg("counts"), py::arg("site") = "",
           py::arg("min_prior") = 0.5);
  m.def("site_of_url", [](const std::string& url) { return unspin::site_of_url(url); }, py::arg("url"));
}
