// 64-bit FNV-1a: checksums of compiled model files and stable string hashes.
// Not cryptographic; it catches truncation and corruption, not tampering.
#pragma once

#include <cstdint>
#include <string_view>

namespace unspin {

constexpr std::uint64_t kFnvOffset = 14695981039346656037ull;

std::uint64_t fnv1a64(std::string_view bytes, std::uint64_t seed = kFnvOffset) noexcept;

}  // namespace unspin
