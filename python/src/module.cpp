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
#include "unspin/engine.h"
#include "unspin/error.h"
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
  py::object exc = (*g_error_class)(message, std::string(report::error_code_name(e.code())), static_cast<int>(e.code()),
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

py::object to_python(const std::string& dumped) {
  static py::object* loads = new py::object(py::module_::import("json").attr("loads"));
  return (*loads)(dumped);
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// The Python face of unspin::Engine: converts Python values, releases the
// GIL around the engine's work and formats results with src/report, as the
// CLI does; it decides nothing of its own.
class PyEngine {
 public:
  PyEngine(std::optional<std::filesystem::path> models, std::vector<std::filesystem::path> lexicons,
           std::optional<std::filesystem::path> archive, std::optional<double> threshold, double min_confidence,
           std::size_t max_input_bytes, double base_rate, bool papers, const std::string& table_engine,
           bool uncalibrated)
      : engine_(engine_options(models, lexicons, archive, threshold, min_confidence, max_input_bytes, base_rate, papers,
                               table_engine, uncalibrated, &warnings_)) {
    engine_.load();  // bad models or a missing or foreign archive are reported now
  }

  const std::vector<std::string>& warnings() const { return warnings_; }

  py::object check(const py::handle& text) {
    std::string bytes = text_bytes(text);
    std::string out;
    {
      py::gil_scoped_release release;
      out = check_json(bytes);
    }
    return to_python(out);
  }

  std::string restore(const py::handle& text) {
    std::string bytes = text_bytes(text);
    py::gil_scoped_release release;
    return engine_.run(bytes, restoring()).result.restored;
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
      parallel_for(inputs.size(), static_cast<unsigned>(threads), [&](unsigned, std::size_t i) {
        try {
          outputs[i] = check_json(inputs[i]);
        } catch (const Error& e) {
          errors[i] = e;
        } catch (const std::exception& e) {
          errors[i] = Error(ErrorCode::kInternal, e.what());
        }
      });
    }
    for (std::size_t i = 0; i < errors.size(); ++i) {
      if (errors[i]) throw IndexedError{*errors[i], i};
    }
    py::list result;
    for (const std::string& o : outputs) result.append(to_python(o));
    return result;
  }

  py::object trace(const py::handle& text) {
    if (engine_.options().archive.empty()) {
      throw Error(ErrorCode::kUsage, "trace needs an archive of originals: Engine(archive=PATH)");
    }
    std::string bytes = text_bytes(text);
    std::string out;
    {
      py::gil_scoped_release release;
      validate_input(bytes, engine_.options().restore.max_input_bytes);
      engine_.with_tracer([&](Tracer& tracer) {
        const TraceResult r = tracer.trace(bytes);
        json sources = json::array();
        for (const TracedSource& s : r.sources) sources.push_back(report::traced_source_json(s));
        out = dump(sources);
      });
    }
    return to_python(out);
  }

  std::vector<std::tuple<std::string, std::string, double>> learn(const py::iterable& texts, bool /*same_source*/,
                                                                  double min_prior) {
    std::vector<std::string> inputs = validated_texts(texts);
    if (inputs.empty()) throw Error(ErrorCode::kEmptyInput, "learn needs at least one text");
    std::vector<std::tuple<std::string, std::string, double>> rows;
    py::gil_scoped_release release;
    std::vector<std::string_view> views(inputs.begin(), inputs.end());
    if (!engine_.options().archive.empty()) {  // as `unspin learn --archive`: the aligned sources' substitutions
      engine_.with_tracer([&](Tracer& tracer) {
        for (const LearnedPair& p : unspin::aligned_table(tracer.traced_pairs(views))) {
          rows.emplace_back(p.original, p.spun, p.prior);
        }
      });
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
    std::vector<std::string> inputs = validated_texts(texts);
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

  // The aligned counts (AlignedCounts::serialize) of these pages, each traced
  // to its source in the engine's archive: the partial sums of `unspin learn
  // --archive` that merge across partitions of a crawl (`python3 -m
  // unspin.dask learn --archive`).
  std::string aligned_counts(const py::iterable& texts) {
    std::vector<std::string> inputs = validated_texts(texts);
    py::gil_scoped_release release;
    AlignedCounts counts;
    engine_.with_tracer([&](Tracer& tracer) {
      for (const std::string& text : inputs) counts.merge(tracer.aligned_counts(text));
    });
    return counts.serialize();
  }

  // The learned table (docs/SCHEMA.md §9, method=aligned) of one site's merged
  // aligned counts, its sources read from the engine's archive: the file
  // `unspin learn --archive --jsonl` writes for the site.
  std::string aligned_table(const std::vector<std::string>& counts, const std::string& site, double min_prior) {
    py::gil_scoped_release release;
    AlignedCounts merged;
    for (const std::string& c : counts) merged.merge(AlignedCounts::parse(c));
    std::string table;
    engine_.with_tracer([&](Tracer& tracer) {
      table =
          learned_table_text(unspin::aligned_table(tracer.traced_pairs(merged), min_prior), merged.pages, site, true);
    });
    return table;
  }

  // One JSON-lines batch, answered line by line exactly as `unspin check
  // --jsonl` / `restore --jsonl` answer it (report::answer_jsonl_line: the
  // same result object, the same error object for a blank or malformed line,
  // the same compact dump), so a distributed run's output files equal the
  // CLI's. `line_numbers[i]` is line i's 1-based number in its input file
  // (the `line` field). With `same_source`, the valid texts of the batch are
  // one site's pages, answered as `unspin check|restore --same-source`
  // answers them (Engine::run_site); the archive is then not used, as in the
  // CLI. Returns (answer, status) per line: status is the verdict name
  // ("spun", "clean", "too short", "not English") or "error".
  std::vector<std::pair<std::string, std::string>> answer_jsonl(const py::iterable& lines,
                                                                std::vector<std::size_t> line_numbers, bool restore,
                                                                bool same_source) {
    std::vector<std::string> inputs;
    for (const py::handle& l : lines) inputs.push_back(text_bytes(l));
    if (line_numbers.size() != inputs.size()) {
      throw Error(ErrorCode::kUsage, "answer_jsonl: " + std::to_string(line_numbers.size()) + " line numbers for " +
                                         std::to_string(inputs.size()) + " lines");
    }
    std::vector<std::pair<std::string, std::string>> out(inputs.size());
    py::gil_scoped_release release;
    const RequestOptions request = restore ? restoring() : RequestOptions{};
    auto result_json = [&](const std::string& text, const EngineAnswer& a) {
      json res = restore ? report::restore_json(text, a.result, report::OffsetUnit::kCodePoint)
                         : report::document_json(text, a.result, report::OffsetUnit::kCodePoint, a.provenance.get());
      if (a.source) res["source"] = {{"id", a.source->id}, {"score", a.source->score}};
      return res;
    };
    if (!same_source) {
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::string status = "error";
        report::JsonlAnswer a = report::answer_jsonl_line(inputs[i], line_numbers[i], [&](const std::string& text) {
          const EngineAnswer answer = engine_.run(text, request);
          status = std::string(verdict_name(answer.result.verdict));
          return result_json(text, answer);
        });
        if (a.error) status = "error";
        out[i] = {dump(a.out), std::move(status)};
      }
      return out;
    }
    // Pass 1: parse and validate every line (the answer keeps its place);
    // pass 2: answer the valid texts as one site and merge their results in.
    std::vector<report::JsonlAnswer> answers;
    std::vector<std::string> texts;
    std::vector<std::size_t> owner;  // texts[k] is line owner[k]
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      answers.push_back(report::answer_jsonl_line(inputs[i], line_numbers[i], [&](const std::string& text) {
        validate_input(text, engine_.options().restore.max_input_bytes);
        texts.push_back(text);
        owner.push_back(i);
        return json::object();
      }));
    }
    const std::vector<std::string_view> views(texts.begin(), texts.end());
    std::vector<SiteAnswer> site = views.empty() ? std::vector<SiteAnswer>{} : engine_.run_site(views, request, 0);
    for (std::size_t k = 0; k < site.size(); ++k) {
      if (site[k].error) throw *site[k].error;  // validated above: not expected
      json res = result_json(texts[k], *site[k].answer);
      json& o = answers[owner[k]].out;
      for (auto it = res.begin(); it != res.end(); ++it) o[it.key()] = it.value();
      out[owner[k]].second = std::string(verdict_name(site[k].answer->result.verdict));
    }
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      out[i].first = dump(answers[i].out);
      if (answers[i].error) out[i].second = "error";
    }
    return out;
  }

  py::object provenance() const { return to_python(dump(report::provenance_json(*engine_.provenance()))); }

 private:
  static EngineOptions engine_options(const std::optional<std::filesystem::path>& models,
                                      const std::vector<std::filesystem::path>& lexicons,
                                      const std::optional<std::filesystem::path>& archive,
                                      std::optional<double> threshold, double min_confidence,
                                      std::size_t max_input_bytes, double base_rate, bool papers,
                                      const std::string& table_engine, bool uncalibrated,
                                      std::vector<std::string>* warnings) {
    EngineOptions e;
    e.models = models ? ModelPaths::in_folder(models->string()) : ModelPaths::defaults();
    e.models.uncalibrated = uncalibrated;
    for (const auto& l : lexicons) e.models.user_lexicons.push_back(l.string());
    if (table_engine == "rewriter") {
      e.models.table_engine = TableEngine::kRewriter;
    } else if (table_engine != "plugin") {
      throw Error(ErrorCode::kUsage, "table_engine must be \"plugin\" or \"rewriter\", got \"" + table_engine + "\"");
    }
    if (archive) e.archive = archive->string();
    e.restore.max_input_bytes = max_input_bytes;
    e.restore.min_confidence = min_confidence;
    if (threshold && !(*threshold >= 0 && *threshold <= 1)) {
      throw Error(ErrorCode::kUsage, "threshold must be between 0 and 1");
    }
    e.restore.verdict_threshold = threshold ? *threshold : -1;
    e.restore.base_rate = base_rate;
    e.restore.papers = papers;
    e.on_warning = [warnings](const std::string& w) { warnings->push_back(w); };
    return e;
  }
  static RequestOptions restoring() {
    RequestOptions r;
    r.restore = true;
    return r;
  }

  std::vector<std::string> validated_texts(const py::iterable& texts) const {
    std::vector<std::string> inputs;
    for (const py::handle& t : texts) {
      try {
        std::string bytes = text_bytes(t);
        validate_input(bytes, engine_.options().restore.max_input_bytes);
        inputs.push_back(std::move(bytes));
      } catch (const Error& e) {
        throw IndexedError{e, inputs.size()};
      }
    }
    return inputs;
  }

  std::string check_json(const std::string& text) const {
    const EngineAnswer a = engine_.run(text);
    json j = report::document_json(text, a.result, report::OffsetUnit::kCodePoint, a.provenance.get());
    if (a.source) j["source"] = {{"id", a.source->id}, {"score", a.source->score}};
    return dump(j);
  }

  const SiteLearner& learner() {
    std::call_once(learner_once_,
                   [&] { learner_ = std::make_unique<SiteLearner>(engine_.models(), engine_.options().restore); });
    return *learner_;
  }
  SiteCounts observe_all(const std::vector<std::string_view>& views, const std::vector<std::string>& keys) {
    const SiteLearner& l = learner();
    SiteCounts site;
    for (std::size_t i = 0; i < views.size(); ++i) site.merge(l.observe(views[i], keys.empty() ? "" : keys[i]));
    return site;
  }

  std::vector<std::string> warnings_;  // declared before engine_: loading it appends here
  Engine engine_;
  std::once_flag learner_once_;
  std::unique_ptr<SiteLearner> learner_;
};

}  // namespace
}  // namespace unspin::python

PYBIND11_MODULE(_unspin, m) {
  using unspin::python::PyEngine;
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

  py::class_<PyEngine>(m, "Engine")
      .def(py::init<std::optional<std::filesystem::path>, std::vector<std::filesystem::path>,
                    std::optional<std::filesystem::path>, std::optional<double>, double, std::size_t, double, bool,
                    const std::string&, bool>(),
           py::arg("models") = py::none(), py::arg("lexicons") = std::vector<std::filesystem::path>{},
           py::arg("archive") = py::none(), py::arg("threshold") = py::none(), py::arg("min_confidence") = 0.5,
           py::arg("max_input_bytes") = std::size_t{64} << 20, py::arg("base_rate") = unspin::kDefaultBaseRate,
           py::arg("papers") = false, py::arg("table_engine") = "plugin", py::arg("uncalibrated") = false,
           py::call_guard<py::gil_scoped_release>())
      .def_property_readonly("warnings", &PyEngine::warnings)
      .def_property_readonly("provenance", &PyEngine::provenance)
      .def("check", &PyEngine::check, py::arg("text"))
      .def("restore", &PyEngine::restore, py::arg("text"))
      .def("check_many", &PyEngine::check_many, py::arg("texts"), py::arg("threads") = 0)
      .def("trace", &PyEngine::trace, py::arg("text"))
      .def("answer_jsonl", &PyEngine::answer_jsonl, py::arg("lines"), py::arg("line_numbers"),
           py::arg("restore") = false, py::arg("same_source") = false)
      .def("learn", &PyEngine::learn, py::arg("texts"), py::arg("same_source") = false, py::arg("min_prior") = 0.5)
      .def("learn_counts", &PyEngine::learn_counts, py::arg("texts"), py::arg("keys") = std::vector<std::string>{})
      .def("learned_table", &PyEngine::learned_table, py::arg("counts"), py::arg("site") = "",
           py::arg("min_prior") = 0.5)
      .def("aligned_counts", &PyEngine::aligned_counts, py::arg("texts"))
      .def("aligned_table", &PyEngine::aligned_table, py::arg("counts"), py::arg("site") = "",
           py::arg("min_prior") = 0.0);
  m.def(
      "site_of_url", [](const std::string& url) { return unspin::site_of_url(url); }, py::arg("url"));
}
