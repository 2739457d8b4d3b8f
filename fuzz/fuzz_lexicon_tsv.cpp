// Fuzz target: user TSV lexicons (original<TAB>spun[<TAB>prior]) through
// parsing, compiling and looking up. Bad input must give unspin::Error only.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lexicon/ulex_reader.h"
#include "lexicon/user_lexicon.h"
#include "unspin/error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  unspin::UserLexiconReport report;
  try {
    auto pairs = unspin::lexicon::parse_user_tsv(text, "fuzz.tsv", &report);
    std::string bytes = unspin::lexicon::compile_user_lexicon(text, "fuzz.tsv", &report);
    auto lex = unspin::lexicon::UlexLexicon::from_bytes(std::move(bytes), "fuzz");
    if (!unspin::lexicon::verify_ulex(*lex).empty()) __builtin_trap();  // we wrote it: must verify
    std::vector<unspin::Candidate> out;
    for (const auto& p : pairs) {
      out.clear();
      lex->lookup(p.spun, &out);
      if (out.empty()) __builtin_trap();  // every parsed pair must be found again
    }
  } catch (const unspin::Error&) {
  }
  return 0;
}
