// Clean-prose sources read from Debian packages (not npm): technical writing
// from the documentation packages (HTML pages and man pages) and dictionary
// glosses from WordNet. Each is a `source` of load_corpus (eval/corpus.h);
// the files are found under /usr/share, where the packages install them.
//
// What counts as prose here (every loader): sentences of at least four
// tokens, four in five of them words (prose_sentence), taken from running
// text only. Never taken: code and preformatted blocks, tables, navigation,
// tables of contents, headings, definition terms (API signatures, option
// names), synopses and command lines. The Debian Administrator's Handbook
// (package debian-handbook) is a held-out genre: no source reads it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "eval/corpus.h"

namespace unspin::eval {

// The sources this file loads, and the Debian package each needs.
struct SystemSource {
  std::string name;     // "debian-policy"
  std::string package;  // "debian-policy": what `apt-get install` needs
};
const std::vector<SystemSource>& system_sources();
bool is_system_source(std::string_view name);

// Loads one system source from `usr_share` (normally "/usr/share"; the dpkg
// file list of `manpages` is read from `dpkg_info`, normally
// "/var/lib/dpkg/info"). Documents are not sorted. Throws Error(kIo) naming
// the package to install when its files are missing, Error(kUsage) for a name
// that is not a system source.
std::vector<CorpusDoc> load_system_source(const std::string& name, const std::string& usr_share = "/usr/share",
                                          const std::string& dpkg_info = "/var/lib/dpkg/info");

// A sentence that is prose: >= 4 whitespace-separated tokens, >= 80% of them
// words (letters with inner hyphens or apostrophes, abbreviations such as
// "e.g.", plain numbers, man page references such as "crypt(3)"; surrounding
// punctuation and quotes ignored; a lone dash is no token), ending
// in . ! ? or : (a closing quote or bracket may follow), and no markup
// leftovers (a backslash, "<tag", "&name;", "``", "::", "{}" ...).
bool prose_sentence(std::string_view sentence);

// One part of an HTML page: the text under a heading of level 1 or 2 (the
// text before the first heading belongs to a part with level 0).
struct ProseSection {
  std::string anchor;   // the heading's id, its first anchor's, its section's, else a slug of its text
  std::string heading;  // the heading's text ("" for level 0)
  int level = 0;
  std::vector<Sentence> sentences;  // prose_sentence()s; paragraph_start on each block's first
};

// The running prose of an HTML page, parsed with libgumbo. When the page has
// an element with role="main" (Sphinx), only its subtree is read. Dropped with
// everything inside: head, script, style, pre, code blocks ("highlight*"
// divs), table, nav, form, sup, img, dt, headings (their text names the
// section), and elements whose class is one of navigation, table of contents,
// sidebar, footer, screen, programlisting, synopsis, table, example, figure,
// literallayout, admonition-title (see kSkipClasses in the .cpp). Each
// block element (p, li, dd, div, blockquote, ...) is a paragraph; whitespace
// collapses; no-break spaces become spaces. Throws Error(kBadData) for a page
// nested deeper than html::kMaxNesting.
std::vector<ProseSection> html_prose(std::string_view html);

// The running prose of a man page's roff source (man macros): paragraphs of
// every section except NAME, SYNOPSIS, EXAMPLES, SEE ALSO, FILES, ATTRIBUTES,
// STANDARDS/CONFORMING TO, LIBRARY, COLOPHON, AUTHORS, COPYRIGHT and REPORTING
// BUGS; .TP/.TQ tag lines, .nf/.EX/.TS blocks, comments and macro definitions
// dropped; font macros (.B, .BR, ...) joined as groff renders them
// ("sigaction(2)"); common escapes decoded (\- \(em \[rq] \*(lq \fB ...),
// an unknown one leaves a backslash so its sentence fails prose_sentence.
// A page that is only a ".so" link has no prose (empty result).
std::vector<Sentence> man_prose(std::string_view roff);

// The glosses of a WordNet 3.0 data file (data.noun, data.verb, data.adj,
// data.adv): for each synset line in file (= offset) order, its offset and the
// text after " | " (definitions and quoted examples, as written). The licence
// header (lines starting with two spaces) is skipped.
struct Gloss {
  std::string offset;  // "00001740"
  std::string text;
};
std::vector<Gloss> wordnet_glosses(std::string_view data_file);

}  // namespace unspin::eval
