// Serializes a CandidateTable into the .ulex layout (ulex_format.h). Internal.
#pragma once

#include <cstdint>
#include <string>

#include "lexicon/candidate_table.h"

namespace unspin::lexicon {

struct BuildParams {
  std::uint32_t max_candidates = 32;  // per key, best priors kept
  std::uint32_t two_hop_fanout = 6;   // neighbours followed per hop; 0 disables
  std::uint64_t input_hash = 0;       // content hash of every input
};

// Returns the complete file image: identical tables and params give identical
// bytes. Throws Error(kBadData) when the table exceeds the format's limits.
std::string write_ulex(const CandidateTable& table, const BuildParams& params);

// Writes `bytes` to `path` through a temporary file and a rename, so a reader
// never sees a half-written lexicon. The completeness mark is set last.
// Throws Error(kIo).
void save_ulex(const std::string& bytes, const std::string& path);

}  // namespace unspin::lexicon
