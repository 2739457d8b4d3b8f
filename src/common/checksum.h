// 64-bit FNV-1a: checksums of compiled model files and stable string hashes.
// Not cryptographic; it catches truncation and corruption, not tampering.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace unspin {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = kFnvOffset) noexcept;

// Cheap identity of a model file, as provenance shows it (docs/SCHEMA.md §2):
// hex FNV-1a of its first 64 KiB, seeded with its size. The first 64 KiB hold
// a .ulm's or .ulex's header with its body checksum. "" when it cannot be read.
std::string model_file_checksum(const std::string& path);

}  // namespace unspin
