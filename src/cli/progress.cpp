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

Progress::Progress(std::size_t total)
    : total_(total), enabled_(total > 1 && ::isatty(STDERR_FILENO)), start_(now_seconds()) {}

Progress::~Progress() {
  if (enabled_ && done_ > 0) std::fputs("\r\033[K", stderr);
}

void Progress::advance() {
  ++done_;
  if (!enabled_) return;
  const double t = now_seconds();
  if (t - last_draw_ < 0.1 && done_ < total_) return;
  last_draw_ = t;
  const int width = 30;
  const int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
  const double rate = done_ / (t - start_ + 1e-9);
  std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu  %.1f docs/s", filled, "##############################",
               width - filled, "", done_, total_, rate);
  std::fflush(stderr);
}

}  // namespace unspin::cli
