// The learned-spinner-table TSV that `unspin learn` and `unspin trace
// --learn-table` write and `--lexicon` reads back:
//   original<TAB>spun<TAB>prior  # count N
#pragma once

#include <string>
#include <vector>

#include "unspin/restore.h"

namespace unspin::cli {

// Writes to `path` ("-" = standard output); throws Error(kIo) on failure.
void write_learned_table(const std::string& path, const std::string& header,
                         const std::vector<LearnedPair>& pairs);

}  // namespace unspin::cli
