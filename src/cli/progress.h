// A progress bar on stderr for batches, shown only when stderr is a terminal.
#pragma once

#include <cstddef>

namespace unspin::cli {

class Progress {
 public:
  explicit Progress(std::size_t total);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  void advance();

 private:
  std::size_t total_;
  std::size_t done_ = 0;
  bool enabled_;
  double start_;
  double last_draw_ = 0;
};

}  // namespace unspin::cli
