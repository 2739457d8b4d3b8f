#include "serve/metrics.h"

#include <cstdio>
#include <sstream>

namespace unspin::serve {

void Metrics::record_request(const std::string& route, int status, double seconds, std::size_t bytes_in,
                             std::size_t bytes_out) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, status}];
  Histogram& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
  auto& b = bytes_[route];
  b.first += bytes_in;
  b.second += bytes_out;
}

void Metrics::record_error(const std::string& route, const std::string& code) {
  std::lock_guard lock(mutex_);
  ++errors_[{route, code}];
}

namespace {
std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}
}  // namespace

std::string Metrics::render() const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP unspin_http_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE unspin_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    out << "unspin_http_requests_total{route=\"" << key.first << "\",status=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# HELP unspin_http_request_duration_seconds Time from the request's headers to the end of its answer.\n"
         "# TYPE unspin_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "unspin_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << number(kBuckets[i])
          << "\"} " << h.counts[i] << "\n";
    }
    out << "unspin_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n";
    out << "unspin_http_request_duration_seconds_sum{route=\"" << route << "\"} " << number(h.sum) << "\n";
    out << "unspin_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  out << "# HELP unspin_http_request_bytes_total Request body bytes received, by route.\n"
         "# TYPE unspin_http_request_bytes_total counter\n";
  for (const auto& [route, b] : bytes_)
    out << "unspin_http_request_bytes_total{route=\"" << route << "\"} " << b.first << "\n";
  out << "# HELP unspin_http_response_bytes_total Response body bytes sent, by route.\n"
         "# TYPE unspin_http_response_bytes_total counter\n";
  for (const auto& [route, b] : bytes_)
    out << "unspin_http_response_bytes_total{route=\"" << route << "\"} " << b.second << "\n";
  out << "# HELP unspin_http_errors_total Error answers (status >= 400), by route and error code.\n"
         "# TYPE unspin_http_errors_total counter\n";
  for (const auto& [key, n] : errors_) {
    out << "unspin_http_errors_total{route=\"" << key.first << "\",code=\"" << key.second << "\"} " << n << "\n";
  }
  out << "# HELP unspin_rejected_total Requests refused with 503 (decode queue full or waited too long).\n"
         "# TYPE unspin_rejected_total counter\n"
         "unspin_rejected_total "
      << rejected_.load() << "\n";
  out << "# HELP unspin_decoding Documents being decoded now.\n# TYPE unspin_decoding gauge\n"
         "unspin_decoding "
      << decoding.load() << "\n";
  out << "# HELP unspin_waiting Documents waiting for a decode thread.\n# TYPE unspin_waiting gauge\n"
         "unspin_waiting "
      << waiting.load() << "\n";
  return out.str();
}

}  // namespace unspin::serve
