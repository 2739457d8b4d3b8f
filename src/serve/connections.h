// The service's connection handling around cpp-httplib (Debian's 0.11):
// a request deadline, not only a per-read timeout, and no thread held by a
// client that is still sending its request head (docs/API.md "Slow clients").
//
// httplib gives each accepted connection a thread of its task queue that
// blocks in recv() with a timeout per read: a client that sends one byte
// every few seconds holds that thread for ever, and a few hundred of them
// starve every other client. DeadlineServer keeps httplib's parser, routing
// and response writing (Server::process_request) and replaces what is
// around it (process_and_close_socket and the task queue):
//
//  - One reader thread (epoll) holds every connection that has not yet sent
//    a complete request head, or is idle between keep-alive requests; it
//    costs a buffer and a descriptor, not a thread. A head must be complete
//    by the request's deadline (its first byte + read_timeout; a new
//    connection's starts at accept), else the connection is dropped,
//    however the bytes trickle. At most `max_pending` connections are held
//    so; beyond that the one idle longest, or else the one that has been
//    sending its head longest, is dropped to make room.
//  - A request whose head is complete goes to one of `workers` connection
//    threads, which runs httplib's process_request on a DeadlineStream: the
//    body too must arrive by the same deadline, writes have write_timeout.
//    The connection then returns to the reader for its next request.
//  - Methods other than GET, HEAD and POST are answered by the reader as
//    soon as the request line is in (405 for HTTP's other methods, 501 for
//    unknown ones), as are a request line over kMaxRequestLine bytes (414)
//    and a head over kMaxHead bytes (431). A malformed request line is
//    left to httplib (400).
//  - A connection is closed gracefully: after the answer, shutdown(SHUT_WR)
//    and the reader discards what the client still sends for up to
//    kLingerMs, so a client whose body was refused reads its answer rather
//    than a reset. A client that half-closes after sending still gets its
//    answer (writes only wait for the socket to be writable).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <httplib.h>

namespace unspin::serve {

struct ConnectionLimits {
  unsigned workers = 256;                         // connection threads
  std::size_t max_pending = 1024;                 // connections held by the reader (heads arriving, idle keep-alive)
  std::chrono::milliseconds read_timeout{10000};  // the whole request, from its first byte
  std::chrono::milliseconds write_timeout{10000};
  std::chrono::milliseconds keep_alive{5000};  // idle time between requests
  std::size_t keep_alive_max = 1000;           // requests per connection
};

inline constexpr std::size_t kMaxRequestLine = 8192;  // bytes, with its CRLF (414 beyond)
inline constexpr std::size_t kMaxHead = 65536;        // request line and headers (431 beyond)
inline constexpr int kLingerMs = 1000;

// A request the reader answers itself, before httplib parses it.
struct Refusal {
  int status;          // 405, 414, 431, 501; 408 when dropped at the deadline (nothing is sent)
  std::string method;  // as sent, possibly cut
  std::string target;  // as sent, possibly cut
  std::string remote_addr;
};

// The per-thread state of the request a worker is serving, for handlers.
struct RequestContext {
  bool close_after = false;      // set by a handler: close the connection after this answer
  bool deadline_passed = false;  // set by the stream: a read found the request's deadline passed
};
RequestContext& current_request();

class DeadlineServer : public httplib::Server {
 public:
  // `refuse(r, content_type)` returns the body of the answer to `r` (and
  // records it: metrics, log); for a 408 the body is not sent.
  using RefuseHandler = std::function<std::string(const Refusal& r, std::string& content_type)>;
  DeadlineServer(ConnectionLimits limits, RefuseHandler refuse);
  ~DeadlineServer() override;

  // Connections held by the reader now (for tests and /metrics).
  std::size_t pending_connections() const;

 private:
  bool process_and_close_socket(socket_t sock) override;

  class Pool;
  ConnectionLimits limits_;
  RefuseHandler refuse_;
  Pool* pool_ = nullptr;  // owned by httplib's listen loop (new_task_queue), alive while it runs
  mutable std::mutex pool_mutex_;
};

}  // namespace unspin::serve
