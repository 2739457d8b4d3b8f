// DeadlineServer (serve/connections.h) on loopback with raw sockets: the
// request deadline, slow clients holding no thread, the reader's own
// answers, half-closed clients, pipelining. No models needed.
#include "serve/connections.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

namespace unspin::serve {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

class ConnectionsTest : public ::testing::Test {
 protected:
  void start(ConnectionLimits limits) {
    server_ = std::make_unique<DeadlineServer>(limits, [this](const Refusal& r, std::string& type) {
      refusals_.fetch_add(1);
      type = "text/plain";
      return "refused " + std::to_string(r.status) + " " + r.method + "\n";
    });
    server_->Get("/healthz",
                 [](const httplib::Request&, httplib::Response& res) { res.set_content("ok", "text/plain"); });
    server_->Post("/echo", [](const httplib::Request&, httplib::Response& res, const httplib::ContentReader& reader) {
      std::string body;
      const bool ok = reader([&](const char* d, std::size_t n) {
        body.append(d, n);
        return true;
      });
      if (!ok && current_request().deadline_passed) {
        res.status = 408;
        current_request().close_after = true;
        return;
      }
      res.set_content(body, "text/plain");
    });
    // As the service does: httplib listens with a backlog of 5, and a
    // burst of connects beyond it is accepted only after SYN retries
    // (1 s, 3 s), which would start their deadlines late.
    int listen_fd = -1;
    server_->set_socket_options([&listen_fd](int fd) {
      int yes = 1;
      ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
      listen_fd = fd;
    });
    port_ = server_->bind_to_any_port("127.0.0.1");
    ASSERT_GT(port_, 0);
    ASSERT_EQ(::listen(listen_fd, 1024), 0);
    thread_ = std::thread([this] { server_->listen_after_bind(); });
    while (!server_->is_running()) std::this_thread::sleep_for(1ms);
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
  }

  int connect_client() const {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }
  static void send_all(int fd, const std::string& s) {
    std::size_t off = 0;
    while (off < s.size()) {
      const ssize_t n = ::send(fd, s.data() + off, s.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return;
      off += static_cast<std::size_t>(n);
    }
  }
  // Reads until the peer closes or `timeout` passes.
  static std::string read_all(int fd, std::chrono::milliseconds timeout) {
    std::string out;
    const auto end = Clock::now() + timeout;
    for (;;) {
      const int ms =
          static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count());
      if (ms <= 0) break;
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, ms) <= 0) break;
      char buf[4096];
      const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      out.append(buf, static_cast<std::size_t>(n));
    }
    return out;
  }
  // One request on a new connection; the answer (Connection: close asked).
  std::string request(const std::string& raw, std::chrono::milliseconds timeout = 2000ms) const {
    const int fd = connect_client();
    send_all(fd, raw);
    std::string out = read_all(fd, timeout);
    ::close(fd);
    return out;
  }

  std::unique_ptr<DeadlineServer> server_;
  std::thread thread_;
  int port_ = 0;
  std::atomic<int> refusals_{0};
};

ConnectionLimits small_limits() {
  ConnectionLimits l;
  l.workers = 2;  // far fewer than the slow clients below
  l.max_pending = 256;
  l.read_timeout = 2000ms;
  l.write_timeout = 2000ms;
  l.keep_alive = 2000ms;
  return l;
}

TEST_F(ConnectionsTest, TricklingClientsAreDroppedAtTheDeadlineAndHoldNoThread) {
  start(small_limits());
  // 40 clients send a request head one byte every 200 ms: each would need
  // 8 s for the 40 bytes, far past the 2 s deadline, and they outnumber
  // the 2 connection threads 20 to 1.
  const std::string head = "POST /echo HTTP/1.1\r\nHost: x\r\nX-a: ";
  struct Slow {
    int fd;
    Clock::time_point opened;
    double dropped_after = -1;
    std::size_t sent = 0;
  };
  std::vector<Slow> slow;
  for (int i = 0; i < 40; ++i) slow.push_back({connect_client(), Clock::now()});
  double worst_normal = 0;
  const auto until = Clock::now() + 4s;
  while (Clock::now() < until) {
    for (Slow& s : slow) {
      if (s.dropped_after >= 0) continue;
      char c = 0;
      const ssize_t got = ::recv(s.fd, &c, 1, MSG_DONTWAIT);
      const bool closed = got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
      if (!closed) {
        const char byte = head[s.sent % head.size()];
        if (::send(s.fd, &byte, 1, MSG_NOSIGNAL | MSG_DONTWAIT) == 1) ++s.sent;
      }
      if (closed) s.dropped_after = std::chrono::duration<double>(Clock::now() - s.opened).count();
    }
    const auto t0 = Clock::now();
    const std::string answer = request("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", 1500ms);
    const double took = std::chrono::duration<double>(Clock::now() - t0).count();
    worst_normal = std::max(worst_normal, took);
    EXPECT_NE(answer.find("200 OK"), std::string::npos) << answer;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_LT(worst_normal, 1.0);
  for (const Slow& s : slow) {
    EXPECT_GE(s.dropped_after, 1.9) << "dropped before the deadline";
    EXPECT_LE(s.dropped_after, 3.0) << "not dropped within read_timeout + 1 s";
    ::close(s.fd);
  }
}

TEST_F(ConnectionsTest, TheBodyMustArriveByTheSameDeadline) {
  start(small_limits());
  const int fd = connect_client();
  const auto t0 = Clock::now();
  send_all(fd, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
  const std::string answer = read_all(fd, 5000ms);
  const double took = std::chrono::duration<double>(Clock::now() - t0).count();
  ::close(fd);
  EXPECT_NE(answer.find("408"), std::string::npos) << answer;
  EXPECT_GE(took, 1.9);
  EXPECT_LE(took, 3.0);
}

TEST_F(ConnectionsTest, UnservedMethodsAreAnsweredAtOnce) {
  start(small_limits());
  for (const auto& [method, status] : std::vector<std::pair<std::string, std::string>>{
           {"FOO", "501"}, {"TRACE", "405"}, {"CONNECT", "405"}, {"PUT", "405"}, {"BREW", "501"}}) {
    const auto t0 = Clock::now();
    // No blank line: the head is never complete, the answer must not wait for it.
    const std::string answer = request(method + " / HTTP/1.1\r\nHost: x\r\n", 1500ms);
    EXPECT_EQ(answer.rfind("HTTP/1.1 " + status, 0), 0u) << method << ": " << answer;
    EXPECT_NE(answer.find("refused " + status + " " + method), std::string::npos) << answer;
    if (status == "405") {
      EXPECT_NE(answer.find("Allow: GET, HEAD, POST"), std::string::npos) << answer;
    }
    EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 1.2) << method;
  }
  EXPECT_EQ(request(std::string(100, 'X') + " / HTTP/1.1\r\n").rfind("HTTP/1.1 501", 0), 0u);
  // A request line that is not one (no version): httplib's 400, not a method to refuse.
  EXPECT_EQ(request("NOT HTTP\r\n\r\n").rfind("HTTP/1.1 400", 0), 0u);
}

TEST_F(ConnectionsTest, LongRequestLinesAndHeadsAreRefused) {
  start(small_limits());
  const std::string url = "/healthz?" + std::string(100000, 'a');
  EXPECT_EQ(request("GET " + url + " HTTP/1.1\r\nHost: x\r\n\r\n").rfind("HTTP/1.1 414", 0), 0u);
  std::string head = "GET /healthz HTTP/1.1\r\n";
  while (head.size() <= kMaxHead) head += "X-Filler: " + std::string(1000, 'b') + "\r\n";
  EXPECT_EQ(request(head).rfind("HTTP/1.1 431", 0), 0u);
  // Just under the line limit is served.
  const std::string ok_url = "/healthz?" + std::string(kMaxRequestLine - 40, 'a');
  EXPECT_EQ(request("GET " + ok_url + " HTTP/1.1\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(ConnectionsTest, AHalfClosedClientGetsItsAnswer) {
  start(small_limits());
  const int fd = connect_client();
  send_all(fd, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
  ::shutdown(fd, SHUT_WR);
  const std::string answer = read_all(fd, 2000ms);
  ::close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
  EXPECT_NE(answer.find("\r\n\r\nhello"), std::string::npos) << answer;
}

TEST_F(ConnectionsTest, PipelinedAndKeepAliveRequestsAreAnswered) {
  start(small_limits());
  const int fd = connect_client();
  send_all(fd,
           "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\none"
           "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\ntwo");
  std::string answer;
  const auto until = Clock::now() + 2s;
  while (Clock::now() < until && answer.find("two") == std::string::npos) answer += read_all(fd, 200ms);
  EXPECT_NE(answer.find("one"), std::string::npos) << answer;
  EXPECT_NE(answer.find("two"), std::string::npos) << answer;
  // The same connection, idle less than keep_alive, serves one more.
  std::this_thread::sleep_for(500ms);
  send_all(fd, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_NE(read_all(fd, 2000ms).find("200 OK"), std::string::npos);
  ::close(fd);
}

TEST_F(ConnectionsTest, BeyondMaxPendingTheOldestSlowClientMakesRoom) {
  ConnectionLimits l = small_limits();
  l.max_pending = 8;
  l.read_timeout = 30000ms;  // only eviction can free a slot here
  start(l);
  std::vector<int> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(connect_client());
    send_all(slow.back(), "GET /healthz HTTP/1.1\r\n");
    std::this_thread::sleep_for(20ms);
  }
  const auto t0 = Clock::now();
  EXPECT_NE(request("GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 1500ms).find("200 OK"), std::string::npos);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 1.0);
  // The first slow client (the oldest) was dropped for it.
  char c;
  EXPECT_EQ(read_all(slow[0], 500ms), "");
  EXPECT_LE(::recv(slow[0], &c, 1, MSG_DONTWAIT), 0);
  for (int fd : slow) ::close(fd);
}

}  // namespace
}  // namespace unspin::serve
