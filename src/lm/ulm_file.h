// Checks and describes .ulm files without building a LanguageModel: shared by
// the loader, `unspin lm verify` and `unspin lm info`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "lm/ulm_format.h"

namespace unspin::lm {

// How to rebuild a model, for error messages.
std::string rebuild_hint(const std::string& path, const UlmHeader* header);

// Validates the header of a mapped .ulm file in O(1): magic, version, sanity
// values, completeness, file size and section bounds. Returns the header.
// Throws Error(kBadModel) saying what is wrong and how to rebuild.
const UlmHeader& check_ulm_header(std::string_view bytes, const std::string& path);

struct VerifyReport {
  std::uint64_t stored_checksum = 0;
  std::uint64_t computed_checksum = 0;
  bool ok() const { return stored_checksum == computed_checksum; }
};
// check_ulm_header plus the body checksum. Throws Error(kBadModel) on mismatch.
VerifyReport verify_ulm(const std::string& path);

// Human-readable summary of the header (for `unspin lm info`).
std::string describe_ulm(const std::string& path);

}  // namespace unspin::lm
