// The listed stage on untrusted bytes: the matcher over any text (it must
// never read out of bounds: hits lie inside the input, in order, and do not
// overlap), and the list parser over any TSV (malformed lines are
// Error(kBadData), never a crash).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "listed/matcher.h"
#include "listed/phrase_list.h"
#include "unspin/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::uint32_t last = 0;
  for (const unspin::listed::Hit& h : unspin::listed::builtin_matcher().find(text)) {
    if (h.byte_begin < last || h.byte_end > size || h.byte_begin >= h.byte_end || h.cp_begin > h.cp_end) std::abort();
    last = h.byte_end;
  }
  try {
    const unspin::listed::PhraseList list = unspin::listed::PhraseList::parse(text, text, "fuzz.tsv");
    const unspin::listed::Matcher m(list);
    (void)m.find(text);
  } catch (const unspin::Error&) {
  }
  return 0;
}
