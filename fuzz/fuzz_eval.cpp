// Fuzz target for the evaluation harness's parsers and the spinner's core
// invariant. The first byte picks what the rest of the input feeds:
//   0 phrase table (TSV)      1 screening list (TSV), then run on itself
//   2 spinner on text: gold edits must undo the spinning byte for byte and
//     score as a perfect restoration
//   3 Aiksaurus words.dat/meanings.dat (split at the first "\xFF\xFE\xFD")
//   4 Brown detokenizer and sentence splitter
// unspin::Error is the expected answer to bad input; anything else aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "eval/corpus.h"
#include "eval/score.h"
#include "eval/screening.h"
#include "eval/spinner.h"
#include "eval/thesaurus.h"
#include "unspin/error.h"

namespace {

using namespace unspin::eval;

const SpinnerData& fake_data() {
  static const SpinnerData data = [] {
    SpinnerData d;
    d.thesaurus = Thesaurus::from_groups({{"increase", "enhance"},
                                          {"sharp", "pointy"},
                                          {"say", "state"},
                                          {"company", "firm", "outfit"},
                                          {"market", "marketplace"},
                                          {"artificial", "counterfeit"},
                                          {"intelligence", "consciousness"},
                                          {"a", "one"},
                                          {"big", "huge"},
                                          {"data", "information"}});
    d.morphology.add_irregular("say", Form::kEd, "said");
    d.phrases = PhraseTable::parse(
        "including\ttogether with\nin order to\tso as to\nsaid\tstated\n"
        "a\tone\nthe company\tthe firm\n",
        "fake");
    d.tortured_terms = {"artificial intelligence", "big data", "stock market"};
    d.never_spin = {"the", "of"};
    return d;
  }();
  return data;
}

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t mode = data[0] % 5;
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (mode) {
      case 0: PhraseTable::parse(input, "fuzz"); break;
      case 1: {
        const ScreeningList list = ScreeningList::parse(input, "fuzz");
        const SystemOutput out = list.run(input);
        for (const unspin::Edit& e : out.edits) check(e.byte_begin < e.byte_end && e.byte_end <= input.size());
        break;
      }
      case 2: {
        const double rate = (size > 1 ? data[1] % 11 : 5) / 10.0;
        for (SpinStyle style : {SpinStyle::kThesaurus, SpinStyle::kPhrase, SpinStyle::kTortured}) {
          const SpinOutput out = Spinner(fake_data(), style, rate, size).spin(input);
          check(undo_spin(out.text, out.edits) == input);
          std::vector<unspin::Edit> as_system;
          for (const GoldEdit& g : out.edits) {
            unspin::Edit e{};
            e.byte_begin = g.byte_begin;
            e.byte_end = g.byte_end;
            e.original = g.original;
            as_system.push_back(e);
          }
          const QualityCounts q = score_document(out.text, out.edits, as_system);
          check(q.restored == out.edits.size() && q.false_edits == 0);
        }
        break;
      }
      case 3: {
        const std::size_t cut = input.find("\xFF\xFE\xFD");
        if (cut == std::string_view::npos) break;
        Thesaurus::parse_aiksaurus(input.substr(0, cut), input.substr(cut + 3), "words", "meanings");
        break;
      }
      case 4:
        detokenize_brown(input);
        split_sentences(input);
        break;
    }
  } catch (const unspin::Error&) {
  }
  return 0;
}
