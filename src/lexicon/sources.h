// Readers of the build sources. Each adds lemma relations to a LemmaGraph and
// folds the bytes it read into a content hash (so a build records exactly
// what it was made from). Throw Error(kBadData) with file:line on malformed
// input and Error(kIo) when a file cannot be read. Internal.
#pragma once

#include <cstdint>
#include <string>

#include "lexicon/lemma_graph.h"

namespace unspin::lexicon {

struct SourceStats {
  std::size_t entries = 0;   // synsets, thesaurus entries or table lines read
  std::size_t edges = 0;     // lemma edges added
  std::size_t filtered = 0;  // pairs dropped by the shared filters
};

// Reads a whole file; throws Error(kIo) naming the path.
std::string read_whole_file(const std::string& path);

// WordNet 3.0 dict folder: data.{noun,verb,adj,adv} and index.* (sense order).
SourceStats read_wordnet(const std::string& dir, LemmaGraph* graph, std::uint64_t* hash);

// LibreOffice/MyThes thesaurus (th_en_US_v2.dat).
SourceStats read_mythes(const std::string& path, LemmaGraph* graph, std::uint64_t* hash);

// The curated paraphrase table format (docs/LEXICON.md).
SourceStats read_paraphrase_table(const std::string& path, LemmaGraph* graph, std::uint64_t* hash);

}  // namespace unspin::lexicon
