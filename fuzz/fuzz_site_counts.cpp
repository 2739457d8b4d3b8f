// Fuzz target: site counts (`unspin learn --counts`, `--from-counts`) and
// learned tables (`--lexicon` of a file `unspin learn` wrote). Bad input must
// give unspin::Error only; what parses must write back to itself.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "lexicon/ulex_reader.h"
#include "lexicon/user_lexicon.h"
#include "unspin/error.h"
#include "unspin/restore.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const unspin::SiteCounts counts = unspin::SiteCounts::parse(text);
    const std::string again = counts.serialize();
    if (unspin::SiteCounts::parse(again).serialize() != again) __builtin_trap();
  } catch (const unspin::Error&) {
  }
  const std::string learned = std::string(unspin::lexicon::kLearnedTableHeader) + "\n" + std::string(text);
  try {
    unspin::UserLexiconReport report;
    const auto pairs = unspin::lexicon::parse_learned_table(learned, "fuzz.tsv", &report);
    auto lex = unspin::lexicon::UlexLexicon::from_bytes(
        unspin::lexicon::compile_user_lexicon(learned, "fuzz.tsv", &report), "fuzz");
    std::vector<unspin::Candidate> out;
    for (const auto& p : pairs) {
      out.clear();
      lex->lookup(p.spun, &out);
      if (out.empty()) __builtin_trap();
    }
  } catch (const unspin::Error&) {
  }
  return 0;
}
