// Helpers shared by the LM tests.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

#include "lm/arpa.h"
#include "lm/ngram_set.h"
#include "unspin/lm.h"

namespace unspin::lm::testing {

// A file path in the temp directory, removed when the object dies.
class TempPath {
 public:
  explicit TempPath(const std::string& name)
      : path_((std::filesystem::temp_directory_path() / ("unspin_lm_" + std::to_string(::getpid()) + "_" + name))
                  .string()) {}
  ~TempPath() { std::filesystem::remove(path_); }
  const std::string& str() const { return path_; }

 private:
  std::string path_;
};

inline NgramSet parse_arpa(const std::string& text, const std::string& name = "test.arpa") {
  auto lines = lines_from_memory(text);
  return read_arpa(*lines, name);
}

}  // namespace unspin::lm::testing
