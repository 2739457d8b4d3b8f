// Writing the learned tables `unspin learn` and `unspin trace --learn-table`
// produce (text from unspin::learned_table_text, docs/SCHEMA.md §9).
#pragma once

#include <string>

namespace unspin::cli {

// Writes `text` to `path` ("-" = standard output); throws Error(kIo) on failure.
void write_learned_table(const std::string& path, const std::string& text);
// A site name as a safe file name: characters other than letters, digits,
// '.', '-' and '_' become '_'; never empty, never starting with '.'.
std::string site_file_name(const std::string& site);

}  // namespace unspin::cli
