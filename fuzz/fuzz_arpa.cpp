// Fuzz target: the ARPA reader, then closure and reference scoring of
// whatever it accepts. Only unspin::Error may escape the library.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lm/arpa.h"
#include "lm/ngram_set.h"
#include "unspin/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  unspin::lm::ArpaLimits limits;
  limits.max_line_bytes = 4096;
  try {
    auto lines = unspin::lm::lines_from_memory(text, limits);
    unspin::lm::NgramSet set = unspin::lm::read_arpa(*lines, "fuzz.arpa");
    unspin::lm::close_ngram_set(set);
    unspin::lm::NgramSetScorer scorer(set);
    std::vector<unspin::WordId> context;
    for (std::size_t i = 0; i < set.vocab.size() && i < 16; ++i) {
      scorer.score(context, static_cast<unspin::WordId>(i));
      context.push_back(static_cast<unspin::WordId>(i));
    }
  } catch (const unspin::Error&) {
  }
  return 0;
}
