// A progress bar on stderr for batches (several files, --jsonl), shown only
// when stderr is a terminal: items done, MB/s, and an ETA when the total
// input size is known (regular files; not a pipe).
#pragma once

#include <cstddef>

namespace unspin::cli {

class Progress {
 public:
  // total_items: 0 when unknown (a stream); total_bytes: 0 when unknown.
  // `unit` names the items ("files", "lines").
  Progress(std::size_t total_items, std::size_t total_bytes, const char* unit);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void advance(std::size_t bytes = 0);
  // The line drawn now (no escapes), for tests and logs.
  static void format(char* out, std::size_t size, std::size_t done, std::size_t total_items, std::size_t bytes,
                     std::size_t total_bytes, double seconds, const char* unit);

 private:
  std::size_t total_, total_bytes_;
  const char* unit_;
  std::size_t done_ = 0, bytes_ = 0;
  bool enabled_;
  double start_;
  double last_draw_ = 0;
};

}  // namespace unspin::cli
