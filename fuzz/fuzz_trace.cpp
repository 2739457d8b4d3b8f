// Fuzz target for trace's parsers of untrusted input and the alignment's
// invariants. The first byte picks what the rest of the input feeds:
//   0 `archive add --id-from jsonl` lines: every good line has an id and
//     valid text, every bad line a reason
//   1 two texts (split at the first "\xFF\xFE\xFD"): the alignment is a common
//     subsequence as long as the reference LCS (small inputs), and the
//     substitution runs are ordered, non-overlapping and inside both texts
//   2 fingerprint parameters as stored in an archive's meta table
// unspin::Error is the expected answer to bad input; anything else aborts.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "trace/align.h"
#include "trace/documents_input.h"
#include "trace/fingerprint.h"
#include "trace/ingest.h"
#include "trace/words.h"
#include "unspin/error.h"
#include "unspin/text.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

std::vector<std::uint64_t> units_of(std::string_view text) {
  std::vector<std::uint64_t> out;
  if (unspin::find_invalid_utf8(text)) return out;
  const unspin::TokenizedText t = unspin::tokenize(text);
  for (const auto& w : unspin::trace::document_words(t)) out.push_back(w.hash);
  (void)unspin::trace::fingerprint(unspin::trace::document_words(t), unspin::trace::FingerprintParams{});
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 3) {
      case 0:
        for (const auto& line : unspin::trace::parse_document_lines(rest, 1 << 20)) {
          if (line.document) {
            check(!line.document->id.empty());
            check(!unspin::find_invalid_utf8(line.document->text));
          } else {
            check(!line.error.empty());
          }
        }
        break;
      case 1: {
        const std::size_t cut = rest.find("\xFF\xFE\xFD");
        const std::string_view a = rest.substr(0, cut), b = cut == std::string_view::npos ? "" : rest.substr(cut + 3);
        const auto ua = units_of(a), ub = units_of(b);
        const auto matches = unspin::trace::align_words(ua, ub, 64);
        for (std::size_t i = 0; i < matches.size(); ++i) {
          check(matches[i].spun < ua.size() && matches[i].source < ub.size());
          check(ua[matches[i].spun] == ub[matches[i].source]);
          if (i) check(matches[i].spun > matches[i - 1].spun && matches[i].source > matches[i - 1].source);
        }
        if (ua.size() * ub.size() <= 64) check(matches.size() == unspin::trace::lcs_length_reference(ua, ub));
        const auto runs = unspin::trace::substitution_runs(matches, ua.size(), ub.size(), 8);
        for (std::size_t i = 0; i < runs.substitutions.size(); ++i) {
          const auto& r = runs.substitutions[i];
          check(r.spun_begin < r.spun_end && r.spun_end <= ua.size());
          check(r.source_begin < r.source_end && r.source_end <= ub.size());
          if (i) {
            check(r.spun_begin >= runs.substitutions[i - 1].spun_end);
            check(r.source_begin >= runs.substitutions[i - 1].source_end);
          }
        }
        break;
      }
      case 2:
        if (auto p = unspin::trace::parse_fingerprint_params(rest)) p->validate();
        break;
    }
  } catch (const unspin::Error&) {
  }
  return 0;
}
