// Ingest with explicit fingerprint parameters (internal; the public
// unspin::add_to_archive uses the archive's own or the defaults).
#pragma once

#include <optional>
#include <vector>

#include "trace/fingerprint.h"
#include "unspin/trace.h"

namespace unspin::trace {

// Parses FingerprintParams::describe()'s output; std::nullopt when it is not
// one this version writes.
std::optional<FingerprintParams> parse_fingerprint_params(std::string_view described);

// The parameters of `store`: its own when set, else `fresh` (written to the
// store when `fix` is true). Throws Error(kBadModel) when the store's are
// not readable by this version.
FingerprintParams archive_params(archive::ArchiveStore& store, const FingerprintParams& fresh, bool fix);

std::vector<bool> add_documents(archive::ArchiveStore& store, const std::vector<ArchiveDocument>& documents,
                                std::size_t max_input_bytes, const FingerprintParams& fresh_params);

}  // namespace unspin::trace
