// Lexicon: from a surface form seen in (possibly spun) text to the plausible
// originals a spinner may have replaced.
//
// The compiled lexicon (.ulex) is mmap'd and used in place. Keys are
// lowercase words joined by single spaces ("so as to"); lookups fold case.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace unspin {

// Where a candidate pair came from; a candidate may carry several.
enum LexiconSource : std::uint16_t {
  kSourceWordNetSynonym = 1 << 0,   // same WordNet synset
  kSourceWordNetRelation = 1 << 1,  // similar-to, also-see, derivation, hyper/hyponym
  kSourceMythes = 1 << 2,           // LibreOffice thesaurus
  kSourceParaphrase = 1 << 3,       // the repo's curated paraphrase table
  kSourceInflected = 1 << 4,        // reached through inflecting both sides
  kSourceUser = 1 << 5,             // a user lexicon (TSV or Paper Screener CSV)
  kSourceTwoHop = 1 << 6,           // two synonym hops (original -> x -> spun)
  kSourceLearned = 1 << 7,          // a table `unspin learn` wrote (docs/SCHEMA.md §9): prior = P(pair in the table)
};

struct Candidate {
  std::string_view original;  // lowercase words joined by single spaces
  float prior;                // 0 < prior <= 1: how plausible this pair is a priori
  std::uint16_t sources;      // LexiconSource bits
};

class Lexicon {
 public:
  // Opens a compiled .ulex file; throws unspin::Error(kBadModel) with a hint
  // ("rebuild with ./setup.sh" or the exact command) when it is unusable.
  static std::unique_ptr<Lexicon> open(const std::string& path);
  virtual ~Lexicon() = default;

  // Appends the candidate originals for `spun` (one or more words; any case;
  // words separated by single spaces) to `out`. Views stay valid as long as
  // the Lexicon does.
  virtual void lookup(std::string_view spun, std::vector<Candidate>* out) const = 0;
  // True when some key starts with `prefix` + " " (lets the decoder stop
  // extending a multiword span early).
  virtual bool has_longer(std::string_view prefix) const = 0;
  virtual int max_key_words() const = 0;
  // Surface forms (keys) known to the lexicon at all: whether `word` is a
  // form some spinner could have produced.
  virtual bool contains(std::string_view spun) const = 0;
  virtual std::size_t key_count() const = 0;
};

// What importing a user lexicon found: pairs kept, lines skipped and why.
struct UserLexiconReport {
  std::size_t pairs = 0;
  std::size_t skipped = 0;
  std::vector<std::string> warnings;  // "file:line: reason", at most a few hundred
};

// Loads a user lexicon by content: a compiled .ulex, a plain TSV
// (original<TAB>spun, '#' comments) or a Problematic Paper Screener CSV export.
// Throws unspin::Error(kBadData) when nothing usable is in it.
// `symmetric_lines`: a group table's lines are read symmetrically (every
// member the original of every other: the article rewriter's engine, TableEngine).
std::unique_ptr<Lexicon> load_user_lexicon(const std::string& path, UserLexiconReport* report = nullptr,
                                           bool symmetric_lines = false);

// Several lexicons queried as one: the default plus user lexicons, in order.
// Candidates with the same original are merged (max prior, OR of sources).
class LexiconStack {
 public:
  void add(std::unique_ptr<Lexicon> lexicon);
  void lookup(std::string_view spun, std::vector<Candidate>* out) const;
  bool has_longer(std::string_view prefix) const;
  bool contains(std::string_view spun) const;
  int max_key_words() const;
  bool empty() const { return layers_.empty(); }
  // The first lexicon added (the default one, as Models::load stacks them), or null.
  const Lexicon* front() const { return layers_.empty() ? nullptr : layers_.front().get(); }

 private:
  std::vector<std::shared_ptr<const Lexicon>> layers_;  // immutable: copies of a stack share them
};

}  // namespace unspin
