// `unspin serve`: the HTTP service (docs/API.md). Models are loaded once and
// shared by every request (a Restorer is immutable and thread-safe).
//
// Threads: one reader thread holds every connection still sending its
// request head or idle between requests (at most `max_pending`; each request
// must be complete within `read_timeout_seconds` of its first byte), and
// `max_connections` connection threads serve complete requests
// (serve/connections.h); at most `threads` documents are decoded at once, and
// at most `queue` more wait for a decode thread (503 with Retry-After beyond
// that, or after waiting `queue_timeout_seconds`).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "unspin/restore.h"

namespace unspin::serve {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8010;                    // 0: any free port (the log line names it)
  unsigned threads = 0;               // decode threads; 0: one per core
  unsigned max_connections = 256;     // connection threads (requests served at once)
  std::size_t max_pending = 1024;     // connections held while their request head arrives, or idle
  std::size_t queue = 256;            // documents waiting for a decode thread before 503
  double queue_timeout_seconds = 30;  // longest wait for a decode thread before 503
  std::size_t max_body = 1u << 20;    // request body limit (413 beyond)
  int read_timeout_seconds = 10;      // a request not received whole this long after its first byte is dropped
  int write_timeout_seconds = 10;
  int keep_alive_seconds = 5;  // idle keep-alive connection lifetime
  bool access_log = true;      // one line per request on stderr
  // What the service checks with: models, server-wide restore options, and
  // an optional archive of originals (`--archive`, restore from a source).
  ModelPaths models;
  RestoreOptions restore;
  std::string archive;
};

// The service object, for embedding and in-process tests; run_service()
// is the command.
class Service {
 public:
  // Loads the models (and opens the archive); throws unspin::Error.
  explicit Service(ServeOptions options);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;
  // Binds options.host:options.port (0: any free port) and returns the port;
  // throws Error(kIo) when the address cannot be bound.
  int bind();
  // Serves until stop(); returns after in-flight requests have finished.
  void serve();
  // Stops accepting; safe from any thread, also before serve().
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Loads the models, listens and serves until SIGTERM or SIGINT, then lets
// in-flight requests finish. `on_listening(port)` is called once the socket
// listens. Returns 0 after a clean shutdown; throws unspin::Error when the
// models or the archive cannot be opened or the address cannot be bound.
int run_service(const ServeOptions& options, const std::function<void(int port)>& on_listening = {});

}  // namespace unspin::serve
