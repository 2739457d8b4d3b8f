// Fuzz target: aligned counts (`unspin learn --archive --counts`, read by
// `--archive --from-counts` and `python3 -m unspin.dask learn --archive`).
// Bad input must give unspin::Error only; what parses must write back to
// itself, and merging it with itself must double every count.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "unspin/error.h"
#include "unspin/trace.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const unspin::AlignedCounts counts = unspin::AlignedCounts::parse(text);
    const std::string again = counts.serialize();
    if (unspin::AlignedCounts::parse(again).serialize() != again) __builtin_trap();
    unspin::AlignedCounts doubled = counts;
    doubled.merge(counts);
    if (doubled.pages != 2 * counts.pages || doubled.sources.size() != counts.sources.size() ||
        doubled.substitutions.size() != counts.substitutions.size()) {
      __builtin_trap();
    }
  } catch (const unspin::Error&) {
  }
  return 0;
}
