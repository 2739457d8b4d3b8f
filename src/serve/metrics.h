// Prometheus counters of the service (GET /metrics, text exposition format
// 0.0.4): requests by route and status, a latency histogram by route, bytes
// in and out, errors by code, and the decode queue. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace unspin::serve {

class Metrics {
 public:
  // Latency histogram bucket bounds, seconds.
  static constexpr std::array<double, 12> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1,    2.5,   10};

  // One finished request. `route` is a fixed route name ("/v1/check",
  // "other", ...), never the raw path, so the label set stays bounded.
  void record_request(const std::string& route, int status, double seconds, std::size_t bytes_in,
                      std::size_t bytes_out);
  // One error answered (status >= 400), by its stable code ("too_large", ...).
  void record_error(const std::string& route, const std::string& code);
  // Requests refused with 503 because the decode queue was full or the wait too long.
  void record_rejected() { rejected_.fetch_add(1, std::memory_order_relaxed); }

  // Gauges, read when rendering: documents being decoded and waiting.
  std::atomic<long> decoding{0};
  std::atomic<long> waiting{0};

  std::string render() const;

 private:
  struct Histogram {
    std::array<unsigned long, kBuckets.size()> counts{};
    unsigned long count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, unsigned long> requests_;
  std::map<std::string, Histogram> latency_;
  std::map<std::string, std::pair<unsigned long, unsigned long>> bytes_;  // in, out
  std::map<std::pair<std::string, std::string>, unsigned long> errors_;
  std::atomic<unsigned long> rejected_{0};
};

}  // namespace unspin::serve
