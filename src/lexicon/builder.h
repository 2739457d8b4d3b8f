// Compiling the default lexicon from WordNet, MyThes and the curated tables,
// and user lexicons from TSV / Paper Screener CSV. Internal: the CLI's
// `lexicon build` and `lexicon import` call these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lexicon/ulex_writer.h"

namespace unspin::lexicon {

struct BuildInputs {
  std::string wordnet_dir;               // empty = skip
  std::string mythes_path;               // empty = skip
  std::string table_dir;                 // every *.tsv in it, in name order; empty = skip
  std::vector<std::string> table_files;  // extra tables
  BuildParams params;
};

struct BuildReport {
  std::size_t wordnet_synsets = 0, wordnet_edges = 0;
  std::size_t mythes_entries = 0, mythes_edges = 0;
  std::size_t table_lines = 0, table_edges = 0;
  std::size_t filtered = 0;  // thesaurus pairs dropped (function/number words, names...)
  std::size_t two_hop_edges = 0;
  std::size_t surface_pairs = 0;  // after inflection, before merging and capping
  std::size_t keys = 0;
  double seconds = 0;
};

// Returns the .ulex image. Throws Error(kBadData / kIo) from the sources, and
// Error(kUsage) when no source is given.
std::string build_lexicon(const BuildInputs& inputs, BuildReport* report);

}  // namespace unspin::lexicon
