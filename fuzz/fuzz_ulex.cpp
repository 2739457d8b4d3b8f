// Fuzz target: the .ulex loader and lookups over arbitrary (corrupt) images.
// Opening may reject with unspin::Error; once open, nothing may read out of
// bounds whatever the records say.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "lexicon/ulex_reader.h"
#include "unspin/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string bytes(reinterpret_cast<const char*>(data), size);
  try {
    auto lex = unspin::lexicon::UlexLexicon::from_bytes(std::move(bytes), "fuzz.ulex");
    std::vector<unspin::Candidate> out;
    for (const char* key : {"instructed", "so as to", "so", "firm", "chief govt", "A", ""}) {
      lex->lookup(key, &out);
      (void)lex->has_longer(key);
      (void)lex->contains(key);
    }
    (void)unspin::lexicon::verify_ulex(*lex);
    lex->for_each_key([&](std::string_view, const std::vector<unspin::Candidate>& c) {
      out.insert(out.end(), c.begin(), c.end());
      if (out.size() > 4096) out.clear();
    });
  } catch (const unspin::Error&) {
  }
  return 0;
}
