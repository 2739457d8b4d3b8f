#include "serve/service.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "report/languagetool.h"
#include "report/report.h"
#include "serve/connections.h"
#include "serve/metrics.h"
#include "serve/request.h"
#include "serve/web_assets.h"
#include "unspin/engine.h"
#include "unspin/error.h"

namespace unspin::serve {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// At most `slots` documents decoded at once, at most `max_waiting` waiting.
// A freed slot is handed to the longest waiter directly (first come, first
// served, one wake-up per slot): under load no request starves, and 200
// waiters cost no more than one.
class DecodeSlots {
 public:
  DecodeSlots(unsigned slots, std::size_t max_waiting, Metrics& metrics)
      : free_(slots), max_waiting_(max_waiting), metrics_(metrics) {}

  // Holds a slot for its lifetime.
  class Ticket {
   public:
    explicit Ticket(DecodeSlots* owner) : owner_(owner) {}
    Ticket(Ticket&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
    Ticket& operator=(Ticket&&) = delete;
    ~Ticket() {
      if (owner_) owner_->release();
    }

   private:
    DecodeSlots* owner_;
  };

  // A slot, or nullopt when `max_waiting` documents already wait or none
  // was handed over within `timeout`. `admitted`: the request was already
  // admitted (a batch's later lines): wait as long as it takes, whatever the queue.
  std::optional<Ticket> acquire(Clock::duration timeout, bool admitted = false) {
    std::unique_lock lock(mutex_);
    if (free_ > 0 && waiters_.empty()) {
      --free_;
    } else {
      if (waiters_.size() >= max_waiting_ && !admitted) return std::nullopt;
      Waiter me;
      waiters_.push_back(&me);
      metrics_.waiting.store(static_cast<long>(waiters_.size()));
      if (admitted)
        me.handed.wait(lock, [&] { return me.granted; });
      else
        me.handed.wait_for(lock, timeout, [&] { return me.granted; });
      if (!me.granted) {  // timed out: leave the line
        waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &me));
        metrics_.waiting.store(static_cast<long>(waiters_.size()));
        return std::nullopt;
      }
    }
    metrics_.decoding.fetch_add(1);
    return Ticket(this);
  }

 private:
  struct Waiter {
    std::condition_variable handed;
    bool granted = false;
  };
  void release() {
    metrics_.decoding.fetch_sub(1);
    std::lock_guard lock(mutex_);
    if (waiters_.empty()) {
      ++free_;
      return;
    }
    Waiter* next = waiters_.front();  // the slot goes straight to it
    waiters_.pop_front();
    metrics_.waiting.store(static_cast<long>(waiters_.size()));
    next->granted = true;
    next->handed.notify_one();
  }
  std::mutex mutex_;
  unsigned free_;
  std::deque<Waiter*> waiters_;  // arrival order
  const std::size_t max_waiting_;
  Metrics& metrics_;
};

// The route name used in metrics and logs: fixed names, never a raw path.
std::string route_of(const std::string& path) {
  static const char* const kRoutes[] = {"/v1/check",     "/v1/restore", "/v1/batch", "/v2/check",
                                        "/v2/languages", "/healthz",    "/metrics"};
  for (const char* r : kRoutes) {
    if (path == r) return r;
  }
  if (find_web_asset(path)) return "/ (page)";
  return "other";
}

bool is_languagetool_path(const std::string& path) { return path.rfind("/v2/", 0) == 0; }

int exit_code_of(const std::string& code) {
  if (code == "invalid_utf8") return static_cast<int>(ErrorCode::kInvalidUtf8);
  if (code == "binary") return static_cast<int>(ErrorCode::kBinaryInput);
  if (code == "too_large") return static_cast<int>(ErrorCode::kTooLarge);
  if (code == "empty") return static_cast<int>(ErrorCode::kEmptyInput);
  if (code == "bad_model") return static_cast<int>(ErrorCode::kBadModel);
  if (code == "bad_data") return static_cast<int>(ErrorCode::kBadData);
  if (code == "model_mismatch") return static_cast<int>(ErrorCode::kModelMismatch);
  if (code == "io") return static_cast<int>(ErrorCode::kIo);
  if (code == "internal") return static_cast<int>(ErrorCode::kInternal);
  if (code == "overloaded") return 75;         // EX_TEMPFAIL: try again later
  return static_cast<int>(ErrorCode::kUsage);  // usage, malformed_json, unknown_field, not_found, ...
}

std::string http_code_name(int status) {
  switch (status) {
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 408: return "timeout";
    case 413: return "too_large";
    case 414: return "too_large";
    case 431: return "too_large";
    case 501: return "not_implemented";
    case 503: return "overloaded";
    default: return status >= 500 ? "internal" : "usage";
  }
}

thread_local Clock::time_point t_request_start;
thread_local bool t_request_started = false;
thread_local std::size_t t_request_bytes = 0;
thread_local std::size_t t_streamed_bytes = 0;  // a chunked answer's bytes (res.body is empty)
thread_local std::string t_error_code;

std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Every connection the reader holds is a descriptor (ServeOptions.max_pending
// plus max_connections of them): raise the soft limit to the hard one.
void raise_descriptor_limit() {
  rlimit lim{};
  if (::getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &lim);
  }
}

}  // namespace

struct Service::Impl {
  ServeOptions options;
  // The models, the server-wide options and the archive (declared after `options`).
  Engine engine{engine_options(options)};
  Metrics metrics;
  DecodeSlots slots;
  DeadlineServer server{connection_limits(options),
                        [this](const Refusal& r, std::string& content_type) { return refusal(r, content_type); }};
  std::mutex log_mutex;
  int port = -1;
  int listen_fd = -1;  // the listening socket, to raise httplib's listen backlog of 5

  static EngineOptions engine_options(const ServeOptions& o) {
    EngineOptions e;
    e.models = o.models;
    e.restore = o.restore;
    e.archive = o.archive;
    return e;
  }

  static ConnectionLimits connection_limits(const ServeOptions& o) {
    ConnectionLimits l;
    l.workers = std::max(1u, o.max_connections);
    l.max_pending = std::max<std::size_t>(1, o.max_pending);
    l.read_timeout = std::chrono::seconds(o.read_timeout_seconds);
    l.write_timeout = std::chrono::seconds(o.write_timeout_seconds);
    l.keep_alive = std::chrono::seconds(o.keep_alive_seconds);
    l.keep_alive_max = 1000;
    return l;
  }

  explicit Impl(ServeOptions o)
      : options(std::move(o)),
        slots(options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency()), options.queue,
              metrics) {
    raise_descriptor_limit();
    engine.load();  // bad models or a bad archive fail at start
    setup();
  }

  // A document answered by the engine, with the request's overrides. Only
  // decode slots call the engine, so the CPU work stays at --threads.
  // `admitted`: never refused for a full queue (a batch's lines after the first).
  EngineAnswer decode(const std::string& text, const NativeOptions* overrides, bool restore, bool admitted = false) {
    std::optional<DecodeSlots::Ticket> ticket = slots.acquire(
        std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(options.queue_timeout_seconds)),
        admitted);
    if (!ticket) {
      metrics.record_rejected();
      throw RequestError(503, "overloaded",
                         "the server is busy: every decode thread is taken and the queue is full; retry later");
    }
    RequestOptions request;
    request.restore = restore;
    if (overrides) {
      request.verdict_threshold = overrides->threshold;
      request.min_confidence = overrides->min_confidence;
      request.base_rate = overrides->base_rate;
      request.papers = overrides->papers;
      request.allow = overrides->allow;
    }
    return engine.run(text, request);
  }

  // --- answers ---------------------------------------------------------

  void send_json(httplib::Response& res, const json& j, int status = 200) {
    res.status = status;
    res.set_content(j.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
  }

  // The error answer: LanguageTool's plain text on /v2, else SCHEMA's error
  // object {"error": {code, exit_code, message}}.
  void send_error(const httplib::Request& req, httplib::Response& res, int status, const std::string& code,
                  const std::string& message) {
    t_error_code = code;
    res.status = status;
    if (status == 503) res.set_header("Retry-After", "1");
    if (is_languagetool_path(req.path)) {
      res.set_content("Error: " + message + "\n", "text/plain; charset=utf-8");
    } else {
      send_json(res, {{"error", {{"code", code}, {"exit_code", exit_code_of(code)}, {"message", message}}}}, status);
    }
  }

  // Reads the body; false (and the error answered) when it is too large.
  bool read_body(const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader,
                 std::string& body) {
    bool too_large = false;
    const bool ok = reader([&](const char* data, std::size_t length) {
      if (body.size() + length > options.max_body) {
        too_large = true;
        return false;
      }
      body.append(data, length);
      return true;
    });
    t_request_bytes = body.size();
    if (ok && !too_large) return true;
    current_request().close_after = true;  // the rest of the body is not read
    if (current_request().deadline_passed) {
      send_error(req, res, 408, "timeout",
                 "the request was not received within " + std::to_string(options.read_timeout_seconds) +
                     " s (--read-timeout)");
    } else if (too_large || res.status == 413) {
      send_error(
          req, res, 413, "too_large",
          "the request body is larger than the limit of " + std::to_string(options.max_body) + " bytes (--max-body)");
    } else {
      send_error(req, res, 400, "usage", "could not read the request body");
    }
    res.set_header("Connection", "close");
    return false;
  }

  // Runs `handle`, answering RequestError, unspin::Error and anything else
  // as errors of the route's kind.
  template <typename Fn>
  void guarded(const httplib::Request& req, httplib::Response& res, Fn handle) {
    try {
      handle();
    } catch (const RequestError& e) {
      send_error(req, res, e.status(), e.code(), e.what());
    } catch (const Error& e) {
      const RequestError mapped = request_error_from(e);
      send_error(req, res, mapped.status(), mapped.code(), mapped.what());
    } catch (const std::bad_alloc&) {
      send_error(req, res, 503, "overloaded", "out of memory for this request; retry later or send less text");
    } catch (const std::exception& e) {
      send_error(req, res, 500, "internal", std::string("internal error: ") + e.what());
    }
  }

  // --- routes ------------------------------------------------------------

  void languagetool_check(const httplib::Request& /*req*/, httplib::Response& res, const Params& params) {
    const LanguageToolRequest lt = parse_languagetool_request(params);
    require_utf8(lt.text, "the text");
    if (lt.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      send_json(res, report::languagetool_empty_json(lt.language));
      return;
    }
    validate_input(lt.text, options.max_body);
    EngineAnswer o = decode(lt.text, nullptr, /*restore=*/false);
    report::OffsetMap map;
    if (lt.annotation) {
      const AnnotatedText& a = *lt.annotation;
      map = [&a](std::uint32_t offset, bool is_end) { return a.document_offset(offset, is_end); };
    }
    send_json(res, report::languagetool_json(lt.text, o.result, lt.language, map));
  }

  void native_check(const httplib::Request& /*req*/, httplib::Response& res, const std::string& body, bool restore) {
    NativeRequest in = parse_native_request(body, options.max_body);
    EngineAnswer o = decode(in.text, &in.options, restore);
    json out = restore ? report::restore_json(in.text, o.result, in.options.unit)
                       : report::document_json(in.text, o.result, in.options.unit, o.provenance.get());
    if (o.source) out["source"] = {{"id", o.source->id}, {"score", o.source->score}};
    if (!in.id.is_null()) out["id"] = in.id;
    if (!in.url.is_null()) out["url"] = in.url;
    send_json(res, out);
  }

  // JSON lines in, JSON lines out, streamed: line N answers line N (SCHEMA
  // §6), by report::answer_jsonl_line as `check --jsonl` answers them: a
  // line that is blank, not UTF-8, not JSON or nested too deep gets its
  // error object and the other lines are answered.
  void batch(const httplib::Request& req, httplib::Response& res, std::string body) {
    const Params query = parse_urlencoded(req.target.find('?') == std::string::npos
                                              ? std::string_view()
                                              : std::string_view(req.target).substr(req.target.find('?') + 1));
    const NativeOptions batch_options = parse_batch_options(query);
    if (body.find_first_not_of(" \t\r\n") == std::string::npos) {
      throw RequestError(400, "empty", "the body has no lines; send one {\"id\", \"text\"} JSON object per line");
    }
    auto data = std::make_shared<std::string>(std::move(body));
    auto position = std::make_shared<std::size_t>(0);
    auto line_number = std::make_shared<std::size_t>(0);
    res.status = 200;
    res.set_chunked_content_provider("application/x-ndjson", [this, data, position, line_number, batch_options](
                                                                 std::size_t, httplib::DataSink& sink) {
      try {
        if (*position >= data->size()) {
          sink.done();
          return true;
        }
        std::size_t end = data->find('\n', *position);
        if (end == std::string::npos) end = data->size();
        const std::string_view line(data->data() + *position, end - *position);
        *position = end + 1;
        ++*line_number;
        report::JsonlAnswer answer = report::answer_jsonl_line(line, *line_number, [&](const std::string& text) {
          validate_input(text, options.max_body);
          EngineAnswer o = decode(text, &batch_options, /*restore=*/false, /*admitted=*/true);
          json r = report::document_json(text, o.result, batch_options.unit, o.provenance.get());
          if (o.source) r["source"] = {{"id", o.source->id}, {"score", o.source->score}};
          return r;
        });
        const std::string out = answer.out.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
        t_request_bytes = data->size();
        t_streamed_bytes += out.size();
        return sink.write(out.data(), out.size());
      } catch (const std::exception& e) {  // out of memory mid-stream: end the answer short
        std::fprintf(stderr, "unspin serve: /v1/batch stopped at line %zu: %s\n", *line_number, e.what());
        return false;
      }
    });
  }

  void healthz(httplib::Response& res) {
    send_json(res, {{"status", "ok"},
                    {"version", std::string(version())},
                    {"models", report::provenance_json(*engine.provenance())["models"]}});
  }

  // --- wiring --------------------------------------------------------------

  // The answer to a request the connection reader refused before httplib
  // parsed it (serve/connections.h): recorded like any other; the body
  // returned (a 408 is only recorded: the client is dropped).
  std::string refusal(const Refusal& r, std::string& content_type) {
    std::string code = http_code_name(r.status), message;
    switch (r.status) {
      case 405:
        code = "method_not_allowed";
        message = r.method + " is not a method of this service: it answers GET, HEAD and POST (docs/API.md)";
        break;
      case 501: message = "unknown HTTP method \"" + r.method + "\"; this service answers GET, HEAD and POST"; break;
      case 414:
        message = "the request line (method, URL and version) is longer than the limit of " +
                  std::to_string(kMaxRequestLine) + " bytes; send long parameters in a POST body";
        break;
      case 431:
        message = "the request head (request line and headers) is larger than the limit of " +
                  std::to_string(kMaxHead) + " bytes";
        break;
      default:
        message = "the request was not received within " + std::to_string(options.read_timeout_seconds) +
                  " s (--read-timeout)";
    }
    const std::string route = route_of(r.target.substr(0, r.target.find('?')));
    metrics.record_request(route, r.status, 0.0, 0, 0);
    metrics.record_error(route, code);
    if (options.access_log) log_line(r.remote_addr, route, r.method, r.target, r.status, 0, 0, 0.0);
    if (r.target.rfind("/v2/", 0) == 0) {
      content_type = "text/plain; charset=utf-8";
      return "Error: " + message + "\n";
    }
    content_type = "application/json";
    return json{{"error", {{"code", code}, {"exit_code", exit_code_of(code)}, {"message", message}}}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
  }

  // The error for a Content-Length over --max-body, answered before the
  // body is read; the connection closes after it.
  bool body_too_large(const httplib::Request& req) const {
    if (!req.has_header("Content-Length")) return false;
    const std::string& value = req.get_header_value("Content-Length");
    return value.size() > 19 || value.find_first_not_of("0123456789") != std::string::npos ||
           std::stoull(value) > options.max_body;
  }
  void send_too_large(const httplib::Request& req, httplib::Response& res) {
    current_request().close_after = true;
    res.set_header("Connection", "close");
    send_error(
        req, res, 413, "too_large",
        "the request body is larger than the limit of " + std::to_string(options.max_body) + " bytes (--max-body)");
  }

  void setup() {
    server.set_payload_max_length(options.max_body);
    // httplib listens with a backlog of 5: under a burst of connections the
    // kernel drops SYNs and clients retry after 1, 3, 7 s. Keep its
    // SO_REUSEADDR and remember the socket; bind() raises the backlog.
    server.set_socket_options([this](int fd) {
      int yes = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_fd = fd;
    });
    // Timeouts, keep-alive and connection threads: DeadlineServer's
    // ConnectionLimits (connection_limits()), not httplib's per-read ones.
    server.set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!body_too_large(req)) return 100;
      send_too_large(req, res);
      return 413;  // answered at once, instead of "100 Continue"
    });
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      t_request_start = Clock::now();
      t_request_started = true;
      t_request_bytes = 0;
      t_streamed_bytes = 0;
      t_error_code.clear();
      if (body_too_large(req)) {  // 413 at once, not after reading (or waiting for) the body
        send_too_large(req, res);
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    // Errors httplib itself answers (404, 413, malformed requests) get our bodies too.
    server.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      const std::string code = http_code_name(res.status);
      std::string message =
          code == "not_found" ? "no such endpoint: " + req.method + " " + req.path + " (see docs/API.md)"
          : res.status == 414 ? "the request line (method, URL and version) is longer than the limit of " +
                                    std::to_string(kMaxRequestLine) + " bytes; send long parameters in a POST body"
          : res.status == 413 ? "the request body is larger than the limit of " + std::to_string(options.max_body) +
                                    " bytes (--max-body)"
          : res.status == 431 ? "the request head is larger than the limit of " + std::to_string(kMaxHead) + " bytes"
                              : "malformed HTTP request";
      if (res.status == 413) {
        current_request().close_after = true;
        res.set_header("Connection", "close");
      }
      send_error(req, res, res.status, code, message);
    });
    server.set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
      send_error(req, res, 500, "internal", "internal error");
    });
    server.set_logger([this](const httplib::Request& req, const httplib::Response& res) { log(req, res); });

    for (const char* path : {"/", "/index.html", "/app.js", "/style.css"}) {
      server.Get(path, [](const httplib::Request& req, httplib::Response& res) {
        const WebAsset* asset = find_web_asset(req.path);
        res.set_content(std::string(asset->body), std::string(asset->content_type).c_str());
        res.set_header("Cache-Control", "no-cache");
        res.set_header("Content-Security-Policy", "default-src 'self'");
      });
    }
    server.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) { healthz(res); });
    server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
    });
    server.Get("/v2/languages", [this](const httplib::Request&, httplib::Response& res) {
      send_json(res, report::languagetool_languages_json());
    });
    server.Get("/v2/check", [this](const httplib::Request& req, httplib::Response& res) {
      guarded(req, res, [&] {
        const std::size_t q = req.target.find('?');
        const Params params =
            parse_urlencoded(q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1));
        languagetool_check(req, res, params);
      });
    });
    server.Post(
        "/v2/check", [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
          std::string body;
          if (!read_body(req, res, reader, body)) return;
          guarded(req, res, [&] {
            const std::string type = req.get_header_value("Content-Type");
            if (type.rfind("multipart/", 0) == 0) {
              throw RequestError(400, "usage", "send the parameters as application/x-www-form-urlencoded, not " + type);
            }
            Params params = parse_urlencoded(body);
            const std::size_t q = req.target.find('?');
            if (q != std::string::npos) {
              for (auto& p : parse_urlencoded(std::string_view(req.target).substr(q + 1)))
                params.push_back(std::move(p));
            }
            languagetool_check(req, res, params);
          });
        });
    server.Post("/v1/check",
                [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
                  std::string body;
                  if (!read_body(req, res, reader, body)) return;
                  guarded(req, res, [&] { native_check(req, res, body, false); });
                });
    server.Post("/v1/restore",
                [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
                  std::string body;
                  if (!read_body(req, res, reader, body)) return;
                  guarded(req, res, [&] { native_check(req, res, body, true); });
                });
    server.Post("/v1/batch",
                [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
                  std::string body;
                  if (!read_body(req, res, reader, body)) return;
                  guarded(req, res, [&] { batch(req, res, std::move(body)); });
                });
    for (const char* path : {"/v1/check", "/v1/restore", "/v1/batch"}) {
      server.Get(path, [this](const httplib::Request& req, httplib::Response& res) {
        res.set_header("Allow", "POST");
        send_error(req, res, 405, "method_not_allowed", req.path + " takes POST with a JSON body (docs/API.md)");
      });
    }
  }

  void log(const httplib::Request& req, const httplib::Response& res) {
    const double seconds =
        t_request_started ? std::chrono::duration<double>(Clock::now() - t_request_start).count() : 0.0;
    t_request_started = false;
    const std::string route = route_of(req.path);
    const std::size_t bytes_in = t_request_bytes ? t_request_bytes : req.body.size();
    const std::size_t bytes_out = res.body.empty() ? t_streamed_bytes : res.body.size();
    metrics.record_request(route, res.status, seconds, bytes_in, bytes_out);
    if (res.status >= 400)
      metrics.record_error(route, t_error_code.empty() ? http_code_name(res.status) : t_error_code);
    if (!options.access_log) return;
    log_line(req.remote_addr, route, req.method, req.path, res.status, bytes_in, bytes_out, seconds);
  }

  // One access-log line. The client's method and path are cut and anything
  // but printable ASCII (or a quote) replaced: one line per request,
  // whatever was sent.
  void log_line(const std::string& remote, const std::string& route, const std::string& method, const std::string& path,
                int status, std::size_t bytes_in, std::size_t bytes_out, double seconds) {
    auto printable = [](const std::string& s, std::size_t max) {
      std::string out = s.substr(0, max);
      for (char& c : out) {
        if (c < 0x21 || c > 0x7E || c == '"') c = '?';
      }
      return out;
    };
    char line[512];
    std::snprintf(line, sizeof line, "%s %s %s \"%s %s\" %d %zu %zu %.1fms\n", timestamp().c_str(), remote.c_str(),
                  route.c_str(), printable(method, 16).c_str(), printable(path, 200).c_str(), status, bytes_in,
                  bytes_out, seconds * 1000);
    std::lock_guard lock(log_mutex);
    std::fputs(line, stderr);
  }
};

constexpr int kListenBacklog = 1024;

Service::Service(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
Service::~Service() = default;

int Service::bind() {
  const ServeOptions& o = impl_->options;
  const int port =
      o.port == 0 ? impl_->server.bind_to_any_port(o.host) : (impl_->server.bind_to_port(o.host, o.port) ? o.port : -1);
  if (port < 0) {
    throw Error(ErrorCode::kIo, "cannot listen on " + o.host + ":" + std::to_string(o.port) +
                                    " (in use, or not an address of this machine); choose another --port or --host");
  }
  impl_->port = port;
  if (impl_->listen_fd >= 0) ::listen(impl_->listen_fd, kListenBacklog);  // Linux: updates the backlog
  return port;
}

void Service::serve() { impl_->server.listen_after_bind(); }

void Service::stop() { impl_->server.stop(); }

int run_service(const ServeOptions& options, const std::function<void(int port)>& on_listening) {
  // SIGTERM and SIGINT are taken by a thread of our own (sigwait): blocked
  // here, before any thread starts, so every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Service service(options);
  const int port = service.bind();
  std::thread signal_thread([&] {
    int signal = 0;
    sigwait(&signals, &signal);
    if (signal != 0) {
      std::fprintf(stderr, "unspin serve: %s received, finishing in-flight requests\n",
                   signal == SIGTERM ? "SIGTERM" : "SIGINT");
    }
    service.stop();
  });
  if (on_listening) on_listening(port);
  service.serve();
  // serve() can only return after stop(); wake the signal thread if it did not call it.
  pthread_kill(signal_thread.native_handle(), SIGTERM);
  signal_thread.join();
  return 0;
}

}  // namespace unspin::serve
