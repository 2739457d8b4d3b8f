#include "serve/connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace unspin::serve {
namespace {

using Clock = std::chrono::steady_clock;

thread_local RequestContext t_context;

// Milliseconds left until `deadline`, rounded up; 0 once it has passed.
int remaining_ms(Clock::time_point deadline) {
  const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(std::min<long long>(left, 1 << 30));
}

// Waits up to `ms` for `events` on `fd` (or an error or hang-up, which the
// following recv/send then reports). False on timeout.
bool wait_for(int fd, short events, int ms) {
  for (;;) {
    pollfd p{fd, events, 0};
    const int n = ::poll(&p, 1, ms);
    if (n > 0) return true;
    if (n == 0) return false;
    if (errno != EINTR) return true;  // let the caller's recv/send see the error
  }
}

void ip_and_port(int fd, bool peer, std::string& ip, int& port) {
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  const int rc = peer ? ::getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                      : ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return;
  char buf[INET6_ADDRSTRLEN] = {};
  if (addr.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    ::inet_ntop(AF_INET, &a->sin_addr, buf, sizeof buf);
    port = ntohs(a->sin_port);
  } else if (addr.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    ::inet_ntop(AF_INET6, &a->sin6_addr, buf, sizeof buf);
    port = ntohs(a->sin6_port);
  }
  ip = buf;
}

std::string peer_address(int fd) {
  std::string ip;
  int port = 0;
  ip_and_port(fd, true, ip, port);
  return ip;
}

// The stream httplib's process_request reads a request from and writes its
// answer to: first the bytes the reader already holds (the head, perhaps
// some body), then the socket. Every read ends at the request's deadline;
// each write waits at most `write_timeout` for the socket to drain. It
// never reads past what httplib asks for, so bytes of a pipelined next
// request stay in the socket or in leftover().
class DeadlineStream : public httplib::Stream {
 public:
  DeadlineStream(int fd, std::string prefix, Clock::time_point deadline, std::chrono::milliseconds write_timeout)
      : fd_(fd),
        prefix_(std::move(prefix)),
        deadline_(deadline),
        write_timeout_ms_(static_cast<int>(write_timeout.count())) {}

  bool is_readable() const override {
    return offset_ < prefix_.size() || wait_for(fd_, POLLIN, remaining_ms(deadline_));
  }
  // Only "can the socket take bytes": a client that has shut down its
  // sending side (shutdown(SHUT_WR)) still reads the answer.
  bool is_writable() const override { return wait_for(fd_, POLLOUT, write_timeout_ms_); }

  ssize_t read(char* ptr, size_t size) override {
    if (offset_ < prefix_.size()) {
      const std::size_t n = std::min(size, prefix_.size() - offset_);
      std::memcpy(ptr, prefix_.data() + offset_, n);
      offset_ += n;
      return static_cast<ssize_t>(n);
    }
    for (;;) {
      const int ms = remaining_ms(deadline_);
      if (ms == 0 || !wait_for(fd_, POLLIN, ms)) {
        t_context.deadline_passed = true;
        return -1;
      }
      const ssize_t n = ::recv(fd_, ptr, size, MSG_DONTWAIT);
      if (n >= 0) return n;
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) return -1;
    }
  }

  ssize_t write(const char* ptr, size_t size) override {
    for (;;) {
      const ssize_t n = ::send(fd_, ptr, size, MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n >= 0) return n;
      if (errno == EINTR) continue;
      if (errno != EAGAIN && errno != EWOULDBLOCK) return -1;
      if (!wait_for(fd_, POLLOUT, write_timeout_ms_)) return -1;
    }
  }

  void get_remote_ip_and_port(std::string& ip, int& port) const override { ip_and_port(fd_, true, ip, port); }
  void get_local_ip_and_port(std::string& ip, int& port) const override { ip_and_port(fd_, false, ip, port); }
  socket_t socket() const override { return fd_; }

  std::string leftover() const { return prefix_.substr(offset_); }

 private:
  int fd_;
  std::string prefix_;
  std::size_t offset_ = 0;
  Clock::time_point deadline_;
  int write_timeout_ms_;
};

const char* reason_phrase(int status) {
  switch (status) {
    case 405: return "Method Not Allowed";
    case 414: return "URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    default: return "Error";
  }
}

bool is_served_method(std::string_view m) { return m == "GET" || m == "HEAD" || m == "POST"; }
bool is_http_method(std::string_view m) {
  return m == "PUT" || m == "DELETE" || m == "PATCH" || m == "OPTIONS" || m == "TRACE" || m == "CONNECT";
}

// An HTTP token (RFC 9110 §5.6.2), what a method name is made of.
bool is_token(std::string_view s) {
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return !s.empty();
}

}  // namespace

RequestContext& current_request() { return t_context; }

class DeadlineServer::Pool : public httplib::TaskQueue {
 public:
  explicit Pool(DeadlineServer& server) : server_(server), limits_(server.limits_) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    event_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = event_fd_;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, event_fd_, &ev);
    reader_ = std::thread([this] { read_loop(); });
    for (unsigned i = 0; i < std::max(1u, limits_.workers); ++i) workers_.emplace_back([this] { work_loop(); });
  }
  ~Pool() override {
    {
      std::lock_guard lock(server_.pool_mutex_);
      server_.pool_ = nullptr;
    }
    ::close(epoll_fd_);
    ::close(event_fd_);
  }

  // httplib's accept loop hands each connection as a closure that calls
  // process_and_close_socket(sock), which calls add(): run it here, on the
  // accept thread; add() only queues the socket for the reader.
  void enqueue(std::function<void()> fn) override { fn(); }

  // Answers every request whose head is complete (queued or being served),
  // drops the connections still sending theirs, joins the threads.
  void shutdown() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_reader();
    work_ready_.notify_all();
    reader_.join();
    for (std::thread& t : workers_) t.join();
  }

  void add(int fd) {
    auto conn = std::make_unique<Conn>();
    conn->fd = fd;
    conn->remote = peer_address(fd);
    const Clock::time_point now = Clock::now();
    conn->since = now;
    conn->deadline = now + limits_.read_timeout;  // a new connection has read_timeout to send its request
    conn->phase = Phase::kHead;
    to_reader(std::move(conn));
  }

  std::size_t pending() const { return held_count_.load(); }

 private:
  enum class Phase { kIdle, kHead, kDrain };
  struct Conn {
    int fd = -1;
    std::string buf;          // the head so far (and what follows it)
    std::size_t scanned = 0;  // bytes of buf searched for the end of the head
    bool method_checked = false;
    Phase phase = Phase::kHead;
    Clock::time_point since, deadline;
    std::size_t served = 0;  // requests answered on this connection
    std::string remote;
  };

  void wake_reader() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(event_fd_, &one, sizeof one);
  }

  void to_reader(std::unique_ptr<Conn> conn) {
    {
      std::lock_guard lock(mutex_);
      if (!stopping_) {
        inbox_.push_back(std::move(conn));
        conn = nullptr;
      }
    }
    if (conn) {  // stopping: the reader may be gone
      ::shutdown(conn->fd, SHUT_RDWR);
      ::close(conn->fd);
      return;
    }
    wake_reader();
  }

  // --- the reader thread -------------------------------------------------

  void read_loop() {
    std::vector<epoll_event> events(256);
    Clock::time_point last_scan = Clock::now();
    for (;;) {
      const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()), 100);
      bool stopping = false;
      std::deque<std::unique_ptr<Conn>> arrived;
      {
        std::lock_guard lock(mutex_);
        stopping = stopping_;
        arrived.swap(inbox_);
      }
      if (stopping) {
        for (auto& c : arrived) hard_close(*c);
        for (auto& [fd, c] : held_) hard_close(*c);
        held_.clear();
        held_count_.store(0);
        return;
      }
      for (int i = 0; i < n; ++i) {
        const int fd = events[i].data.fd;
        if (fd == event_fd_) {
          std::uint64_t count;
          [[maybe_unused]] const ssize_t r = ::read(event_fd_, &count, sizeof count);
          continue;
        }
        const auto it = held_.find(fd);
        if (it != held_.end()) on_readable(it->second);
      }
      for (auto& c : arrived) admit(std::move(c));
      const Clock::time_point now = Clock::now();
      if (now - last_scan >= std::chrono::milliseconds(50)) {
        last_scan = now;
        expire(now);
      }
      held_count_.store(held_.size());
    }
  }

  void admit(std::unique_ptr<Conn> conn) {
    std::size_t queued;
    {
      std::lock_guard lock(mutex_);
      queued = work_.size();
    }
    while (held_.size() + queued >= std::max<std::size_t>(1, limits_.max_pending)) {
      if (!evict_one()) {  // every slot is a request waiting for a worker: refuse this one
        hard_close(*conn);
        return;
      }
    }
    epoll_event ev{};
    ev.events = EPOLLIN | EPOLLRDHUP;
    ev.data.fd = conn->fd;
    if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, conn->fd, &ev) != 0) {
      hard_close(*conn);
      return;
    }
    const int fd = conn->fd;
    auto& held = held_[fd] = std::move(conn);
    if (held->phase == Phase::kHead && !held->buf.empty()) progress(held);  // a pipelined request
  }

  // Drops the connection that matters least: one lingering after its
  // answer, else the one idle longest, else the one that has been sending
  // its head longest. False when the reader holds none.
  bool evict_one() {
    Conn* victim = nullptr;
    auto rank = [](const Conn& c) { return c.phase == Phase::kDrain ? 0 : c.phase == Phase::kIdle ? 1 : 2; };
    for (auto& [fd, c] : held_) {
      if (!victim || rank(*c) < rank(*victim) || (rank(*c) == rank(*victim) && c->since < victim->since)) {
        victim = c.get();
      }
    }
    if (!victim) return false;
    if (victim->phase == Phase::kHead && !victim->buf.empty()) refuse(*victim, 408, false);
    close_held(victim->fd);
    return true;
  }

  void on_readable(std::unique_ptr<Conn>& conn) {
    char chunk[16384];
    bool eof = false;
    std::size_t read_now = 0;
    for (;;) {
      const ssize_t n = ::recv(conn->fd, chunk, sizeof chunk, MSG_DONTWAIT);
      if (n > 0) {
        read_now += static_cast<std::size_t>(n);
        if (conn->phase == Phase::kDrain) {
          if (read_now > (1u << 20)) break;  // let others run; epoll comes back
          continue;
        }
        if (conn->phase == Phase::kIdle) {  // the next request starts: its deadline runs from now
          conn->phase = Phase::kHead;
          conn->since = Clock::now();
          conn->deadline = conn->since + limits_.read_timeout;
        }
        conn->buf.append(chunk, static_cast<std::size_t>(n));
        if (conn->buf.size() > kMaxHead || static_cast<std::size_t>(n) < sizeof chunk) break;
        continue;
      }
      if (n == 0) {
        eof = true;
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      close_held(conn->fd);  // reset by the peer
      return;
    }
    if (conn->phase == Phase::kDrain) {
      if (eof) close_held(conn->fd);
      return;
    }
    const int fd = conn->fd;
    if (progress(conn)) return;  // handed to a worker, or answered
    // The client closed before a whole request head: nothing to answer.
    if (eof) close_held(fd);
  }

  // Looks at the head received so far: refuses it as soon as it cannot be
  // served, hands it to a worker once complete. True when the connection
  // left the kHead phase (handed over or answered).
  bool progress(std::unique_ptr<Conn>& conn) {
    Conn& c = *conn;
    if (!c.method_checked) {  // once the request line is in, before the headers
      const std::size_t nl = c.buf.find('\n');
      if (nl == std::string::npos) {
        if (c.buf.size() > kMaxRequestLine) return refuse(c, 414, true), true;
        return false;
      }
      std::string_view line(c.buf.data(), nl);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      const std::size_t sp1 = line.find(' '), sp2 = line.rfind(' ');
      const bool well_formed = sp1 != std::string_view::npos && sp1 > 0 && sp2 > sp1 &&
                               line.substr(sp2 + 1).rfind("HTTP/", 0) == 0 && is_token(line.substr(0, sp1));
      if (well_formed) {  // (a malformed request line is httplib's: 400)
        const std::string_view method = line.substr(0, sp1);
        if (is_http_method(method)) return refuse(c, 405, true), true;
        if (!is_served_method(method)) return refuse(c, 501, true), true;
      }
      c.method_checked = true;
    }
    const std::size_t nl = c.buf.find('\n');
    if (nl == std::string::npos ? c.buf.size() > kMaxRequestLine : nl + 1 > kMaxRequestLine) {
      return refuse(c, 414, true), true;
    }
    const std::size_t from = c.scanned >= 3 ? c.scanned - 3 : 0;
    std::size_t end = std::string::npos;
    for (std::size_t i = from; i < c.buf.size(); ++i) {
      if (c.buf[i] != '\n') continue;
      if (i >= 1 && c.buf[i - 1] == '\n')
        end = i + 1;
      else if (i >= 2 && c.buf[i - 1] == '\r' && c.buf[i - 2] == '\n')
        end = i + 1;
      if (end != std::string::npos) break;
    }
    c.scanned = c.buf.size();
    if (end == std::string::npos) {
      if (c.buf.size() > kMaxHead) return refuse(c, 431, true), true;
      return false;
    }
    // Complete: to a worker, with the deadline it started with.
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    std::unique_ptr<Conn> handed = std::move(conn);
    held_.erase(handed->fd);
    {
      std::lock_guard lock(mutex_);
      work_.push_back(std::move(handed));
    }
    work_ready_.notify_one();
    return true;
  }

  // Answers the request in `c` (kept in the reader, lingering) or, for a
  // 408, only records it (the caller closes).
  void refuse(Conn& c, int status, bool answer) {
    Refusal r;
    r.status = status;
    r.remote_addr = c.remote;
    const std::size_t line_end = std::min(c.buf.find_first_of("\r\n"), c.buf.size());
    const std::string_view line(c.buf.data(), line_end);
    const std::size_t sp = line.find(' ');
    r.method = std::string(line.substr(0, std::min<std::size_t>(sp, 16)));
    if (sp != std::string_view::npos) {
      const std::string_view rest = line.substr(sp + 1);
      r.target = std::string(rest.substr(0, std::min<std::size_t>(rest.find(' '), 200)));
    }
    std::string content_type = "application/json";
    const std::string body = server_.refuse_ ? server_.refuse_(r, content_type) : std::string();
    if (!answer) return;
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason_phrase(status) + "\r\n";
    out += "Content-Type: " + content_type + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    if (status == 405) out += "Allow: GET, HEAD, POST\r\n";
    out += "Connection: close\r\n\r\n";
    out += body;
    // The socket's buffer is empty (nothing was answered yet): one send
    // normally takes all of it; a client that does not read loses the rest.
    [[maybe_unused]] const ssize_t n = ::send(c.fd, out.data(), out.size(), MSG_DONTWAIT | MSG_NOSIGNAL);
    linger(c);
  }

  // After the answer: no more sending; discard what arrives until the
  // client closes or kLingerMs pass.
  void linger(Conn& c) {
    ::shutdown(c.fd, SHUT_WR);
    c.phase = Phase::kDrain;
    c.buf.clear();
    c.buf.shrink_to_fit();
    c.deadline = Clock::now() + std::chrono::milliseconds(kLingerMs);
  }

  void expire(Clock::time_point now) {
    std::vector<int> expired;
    for (auto& [fd, c] : held_) {
      if (now < c->deadline) continue;
      if (c->phase == Phase::kHead && !c->buf.empty()) refuse(*c, 408, false);
      expired.push_back(fd);
    }
    for (int fd : expired) close_held(fd);
  }

  void close_held(int fd) {
    const auto it = held_.find(fd);
    if (it == held_.end()) return;
    hard_close(*it->second);
    held_.erase(it);
  }

  static void hard_close(Conn& c) {
    ::shutdown(c.fd, SHUT_RDWR);
    ::close(c.fd);
  }

  // --- the connection threads ----------------------------------------------

  void work_loop() {
    for (;;) {
      std::unique_ptr<Conn> conn;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return !work_.empty() || stopping_; });
        if (work_.empty()) return;
        conn = std::move(work_.front());
        work_.pop_front();
      }
      serve(std::move(conn));
    }
  }

  void serve(std::unique_ptr<Conn> conn) {
    t_context = RequestContext{};
    bool stopping;
    {
      std::lock_guard lock(mutex_);
      stopping = stopping_;
    }
    DeadlineStream stream(conn->fd, std::move(conn->buf), conn->deadline, limits_.write_timeout);
    bool connection_closed = false;
    const bool last = conn->served + 1 >= limits_.keep_alive_max || stopping;
    bool ok = false;
    try {
      ok = server_.process_request(stream, last, connection_closed, nullptr);
    } catch (...) {  // httplib catches handler exceptions; anything else ends this connection
      ok = false;
    }
    ++conn->served;
    if (!ok || t_context.deadline_passed) {  // the client is gone or too slow: nothing more to say
      hard_close(*conn);
      return;
    }
    conn->buf.clear();
    conn->scanned = 0;
    conn->method_checked = false;
    if (last || connection_closed || t_context.close_after) {
      linger(*conn);
    } else {
      conn->buf = stream.leftover();
      conn->since = Clock::now();
      if (conn->buf.empty()) {
        conn->phase = Phase::kIdle;
        conn->deadline = conn->since + limits_.keep_alive;
      } else {
        conn->phase = Phase::kHead;
        conn->deadline = conn->since + limits_.read_timeout;
      }
    }
    to_reader(std::move(conn));
  }

  DeadlineServer& server_;
  const ConnectionLimits limits_;
  int epoll_fd_ = -1, event_fd_ = -1;

  std::mutex mutex_;                         // guards inbox_, work_, stopping_
  std::deque<std::unique_ptr<Conn>> inbox_;  // new and returning connections, for the reader
  std::deque<std::unique_ptr<Conn>> work_;   // complete heads, for the connection threads
  std::condition_variable work_ready_;
  bool stopping_ = false;

  std::unordered_map<int, std::unique_ptr<Conn>> held_;  // the reader's own
  std::atomic<std::size_t> held_count_{0};

  std::thread reader_;
  std::vector<std::thread> workers_;
};

DeadlineServer::DeadlineServer(ConnectionLimits limits, RefuseHandler refuse)
    : limits_(limits), refuse_(std::move(refuse)) {
  new_task_queue = [this] {
    auto* pool = new Pool(*this);
    std::lock_guard lock(pool_mutex_);
    pool_ = pool;
    return pool;
  };
}

DeadlineServer::~DeadlineServer() = default;

std::size_t DeadlineServer::pending_connections() const {
  std::lock_guard lock(pool_mutex_);
  return pool_ ? pool_->pending() : 0;
}

bool DeadlineServer::process_and_close_socket(socket_t sock) {
  Pool* pool;
  {
    std::lock_guard lock(pool_mutex_);
    pool = pool_;
  }
  if (!pool) {
    ::close(sock);
    return false;
  }
  pool->add(sock);
  return true;
}

}  // namespace unspin::serve
