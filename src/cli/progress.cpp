#include "cli/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace unspin::cli {
namespace {

double now_seconds() {
  using namespace std::chrono;
  return duration<double>(steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Progress::Progress(std::size_t total_items, std::size_t total_bytes, const char* unit)
    : total_(total_items),
      total_bytes_(total_bytes),
      unit_(unit),
      enabled_(total_items != 1 && ::isatty(STDERR_FILENO)),
      start_(now_seconds()) {}

Progress::~Progress() {
  if (enabled_ && done_ > 0) std::fputs("\r\033[K", stderr);
}

void Progress::format(char* out, std::size_t size, std::size_t done, std::size_t total_items, std::size_t bytes,
                      std::size_t total_bytes, double seconds, const char* unit) {
  const double mbps = bytes / 1e6 / (seconds > 1e-3 ? seconds : 1e-3);
  // The fraction done: by bytes when the size is known, else by items.
  double fraction = -1;
  if (total_bytes > 0)
    fraction = static_cast<double>(bytes) / total_bytes;
  else if (total_items > 0)
    fraction = static_cast<double>(done) / total_items;
  if (fraction > 1) fraction = 1;
  const int width = 24;
  char bar[width + 1];
  const int filled = fraction < 0 ? 0 : static_cast<int>(width * fraction);
  for (int i = 0; i < width; ++i) bar[i] = i < filled ? '#' : (fraction < 0 ? '?' : ' ');
  bar[width] = 0;
  char eta[32] = "";
  if (fraction > 0 && fraction < 1) {
    const long left = static_cast<long>(seconds * (1 - fraction) / fraction + 0.5);
    std::snprintf(eta, sizeof eta, "  ETA %ld:%02ld:%02ld", left / 3600, left / 60 % 60, left % 60);
  }
  if (total_items > 0) {
    std::snprintf(out, size, "[%s] %zu/%zu %s  %.1f MB  %.2f MB/s%s", bar, done, total_items, unit, bytes / 1e6, mbps,
                  eta);
  } else {
    char of_total[32] = "";
    if (total_bytes > 0) std::snprintf(of_total, sizeof of_total, " of %.1f", total_bytes / 1e6);
    std::snprintf(out, size, "[%s] %zu %s  %.1f%s MB  %.2f MB/s%s", bar, done, unit, bytes / 1e6, of_total, mbps, eta);
  }
}

void Progress::advance(std::size_t bytes) {
  ++done_;
  bytes_ += bytes;
  if (!enabled_) return;
  const double t = now_seconds();
  if (t - last_draw_ < 0.2 && done_ != total_) return;
  last_draw_ = t;
  char line[256];
  format(line, sizeof line, done_, total_, bytes_, total_bytes_, t - start_, unit_);
  std::fprintf(stderr, "\r%s\033[K", line);
  std::fflush(stderr);
}

}  // namespace unspin::cli
