// The Problematic Paper Screener's list of tortured phrases (data/pps/), cleaned
// (docs/LEXICON.md, "The listed tortured phrases"), as one read-only table.
//
// This stage depends on nothing but src/common: the decoder, the screen and
// the evaluation all call it. A PhraseList is immutable once built and safe to
// share between threads.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace unspin::listed {

// Why a listed pair is, or is not, matched on its own.
enum class Status : std::uint8_t {
  kActive,        // matched wherever it occurs: a listed hit
  kNeedsContext,  // an ordinary phrase of clean prose (data/pps/clean-prose.tsv): a hit
                  // only in a text that holds an active listed hit too
  kCorrectTerm,   // the tortured form is a correct term elsewhere in the list: never matched
  kTooShort,      // fewer than two words once cleaned: never matched
};
std::string_view status_name(Status status);

struct ListedPhrase {
  std::string tortured;      // cleaned: folded, tokens joined by single spaces (commas kept as ",")
  std::string correct;       // cleaned correct term, folded; empty where the list says "???" or describes it
  std::string raw_tortured;  // as in the list
  std::string raw_correct;   // as in the list
  std::uint32_t papers = 0;  // papers PPS found it in; 0 where unknown
  Status status = Status::kActive;
};

struct ListInfo {
  std::string name;         // "Problematic Paper Screener tortured phrases"
  std::string version;      // the export date of the list
  std::string licence;      // "CC BY 4.0"
  std::string attribution;  // the header's attribution lines
  std::string checksum;     // hex FNV-1a-64 of the list file's bytes
  std::string path;         // data/pps/tortured-phrases.tsv (built in)
};

// Which pairs to keep while building (the evaluation drops its held-out part).
using PairFilter = std::function<bool(std::string_view raw_correct, std::string_view raw_tortured)>;

class PhraseList {
 public:
  // Parses the list's TSV (correct <TAB> tortured <TAB> papers, '#' header
  // lines) and cleans it. `clean_prose` holds the tortured forms seen in clean
  // prose (one folded phrase per line, '#' comments, a TAB and a count may
  // follow). Throws unspin::Error(kBadData) naming `name` and the line for a
  // malformed line. `keep`, when given, selects the pairs used.
  static PhraseList parse(std::string_view tsv, std::string_view clean_prose, std::string_view name,
                          const PairFilter& keep = {});
  // The list built into the library (data/pps/, embedded at build time).
  static const PhraseList& builtin();
  // The built-in list restricted to the pairs `keep` selects (evaluation).
  // Without the clean-prose list (`use_clean_prose` false), every phrase that
  // would need context is active: what `unspin-eval listed clean-hits` scans with.
  static PhraseList builtin_filtered(const PairFilter& keep, bool use_clean_prose = true);

  const std::vector<ListedPhrase>& phrases() const { return phrases_; }
  const ListInfo& info() const { return info_; }
  // Pairs of the file before cleaning (also those `keep` dropped).
  std::size_t raw_pairs() const { return raw_pairs_; }

 private:
  std::vector<ListedPhrase> phrases_;
  ListInfo info_;
  std::size_t raw_pairs_ = 0;
};

// The cleaning, exposed for tests and for the unlisted-phrase learner.
// Tokens of a phrase as the matcher sees them: ASCII-folded words (letters,
// digits, apostrophes, a '.' between two alphanumerics), commas as ",";
// hyphens, slashes, dashes and quotes separate words; returns the tokens
// joined by single spaces. A sentence break (. ! ? ; : brackets) inside gives
// an empty string.
std::string phrase_key(std::string_view text);
// The cleaned correct term for a raw correct term and its cleaned tortured
// form (docs/LEXICON.md): "???" and descriptions give "".
std::string clean_correct(std::string_view raw_correct, std::string_view cleaned_tortured);
// The cleaned tortured form: parenthesised parts (acronyms, alternatives)
// dropped, then phrase_key.
std::string clean_tortured(std::string_view raw_tortured);
// Number inflection used by the matcher: the stem a plural and its singular
// share ("organizations" -> "organization", "studies" -> "study",
// "processes" -> "process"; "analysis", "process", "data" unchanged).
std::string number_stem(std::string_view word);
// The plural of a singular noun ("network" -> "networks", "study" -> "studies").
std::string pluralize(std::string_view word);

}  // namespace unspin::listed
