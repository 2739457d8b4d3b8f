// Fuzz target: Problematic Paper Screener CSV exports. Every pair produced
// must be clean: no query syntax may leak into a phrase.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lexicon/user_lexicon.h"
#include "unspin/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  unspin::UserLexiconReport report;
  try {
    const auto pairs = unspin::lexicon::parse_pps_csv(text, "fuzz.csv", &report);
    for (const auto& p : pairs) {
      if (p.spun.empty() || p.original.empty() || p.spun == p.original) __builtin_trap();
      if (p.spun.find_first_of("\"*~()") != std::string::npos) __builtin_trap();
      if (!(p.prior > 0.0f && p.prior <= 1.0f)) __builtin_trap();
    }
    if (report.warnings.size() > unspin::lexicon::kMaxWarnings) __builtin_trap();
  } catch (const unspin::Error&) {
  }
  return 0;
}
