// MyThes thesaurus and the curated paraphrase table.
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/checksum.h"
#include "lexicon/normalize.h"
#include "lexicon/sources.h"
#include "unspin/error.h"
#include "unspin/lexicon.h"

namespace unspin::lexicon {
namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    const std::size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) return out;
    s.remove_prefix(p + 1);
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool strip_suffix(std::string_view* s, std::string_view suffix) {
  if (s->size() < suffix.size() || s->substr(s->size() - suffix.size()) != suffix) return false;
  s->remove_suffix(suffix.size());
  *s = trim(*s);
  return true;
}

Pos mythes_pos(std::string_view tag) {
  if (tag == "(noun)") return Pos::kNoun;
  if (tag == "(verb)") return Pos::kVerb;
  if (tag == "(adj)") return Pos::kAdj;
  if (tag == "(adv)") return Pos::kAdv;
  return Pos::kNone;
}

[[noreturn]] void fail(const std::string& path, std::size_t lineno, const std::string& why) {
  throw Error(ErrorCode::kBadData, path + ":" + std::to_string(lineno) + ": " + why);
}

}  // namespace

std::string read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, "cannot read " + path + ": " + std::strerror(errno));
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) throw Error(ErrorCode::kIo, "read error in " + path);
  return std::move(buf).str();
}

SourceStats read_mythes(const std::string& path, LemmaGraph* graph, std::uint64_t* hash) {
  const std::string text = read_whole_file(path);
  *hash = fnv1a64(text, *hash);
  std::vector<std::string_view> lines = split(text, '\n');
  if (lines.empty() || trim(lines[0]).empty() || lines[0].find('|') != std::string_view::npos) {
    fail(path, 1, "expected the encoding line (\"UTF-8\") of a MyThes .dat file");
  }
  if (trim(lines[0]) != "UTF-8") fail(path, 1, "only UTF-8 MyThes files are supported");
  SourceStats stats;
  std::size_t i = 1;
  while (i < lines.size()) {
    std::string_view head = trim(lines[i]);
    const std::size_t lineno = ++i;
    if (head.empty()) continue;
    const std::size_t bar = head.rfind('|');
    unsigned count = 0;
    if (bar == std::string_view::npos ||
        std::from_chars(head.data() + bar + 1, head.data() + head.size(), count).ec != std::errc()) {
      fail(path, lineno - 0, "expected 'word|meanings'");
    }
    if (count > lines.size() - i) fail(path, lineno, "entry promises more meaning lines than the file has");
    ++stats.entries;
    const std::string_view raw_word = head.substr(0, bar);
    const std::string original = has_upper(raw_word) ? std::string() : normalize_phrase(raw_word);
    for (unsigned m = 0; m < count; ++m, ++i) {
      std::vector<std::string_view> fields = split(trim(lines[i]), '|');
      if (fields.size() < 2 || fields[0].empty() || fields[0].front() != '(') {
        fail(path, i + 1, "expected '(pos)|term|term...'");
      }
      if (original.empty()) continue;
      const Pos pos = mythes_pos(fields[0]);
      for (std::size_t t = 1; t < fields.size(); ++t) {
        std::string_view term = trim(fields[t]);
        float base = prior::kMythesSynonym;
        bool synonym = true;
        if (strip_suffix(&term, "(antonym)")) continue;
        if (strip_suffix(&term, "(similar term)")) {
          base = prior::kMythesSimilar;
          synonym = false;
        } else if (strip_suffix(&term, "(generic term)") || strip_suffix(&term, "(related term)")) {
          base = prior::kMythesRelated;
          synonym = false;
        }
        if (term.empty() || has_upper(term)) continue;
        if (graph->add_thesaurus(normalize_phrase(term), original, pos, base * prior::sense_factor(static_cast<int>(m)),
                                 kSourceMythes, synonym)) {
          ++stats.edges;
        } else {
          ++stats.filtered;
        }
      }
    }
  }
  return stats;
}

SourceStats read_paraphrase_table(const std::string& path, LemmaGraph* graph, std::uint64_t* hash) {
  const std::string text = read_whole_file(path);
  *hash = fnv1a64(text, *hash);
  SourceStats stats;
  std::size_t lineno = 0;
  for (std::string_view line : split(text, '\n')) {
    ++lineno;
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string_view> cols = split(line, '\t');
    if (cols.size() < 2 || cols.size() > 3) {
      fail(path, lineno, "expected 'original<TAB>spun[|spun...][<TAB>tags]'");
    }
    const std::string original = normalize_phrase(cols[0]);
    if (original.empty()) fail(path, lineno, "empty original");
    Pos pos = Pos::kNone;
    bool oneway = false;
    float written = prior::kCurated, reverse = prior::kCuratedReverse;
    if (cols.size() == 3) {
      std::string tags(cols[2]);
      for (char& c : tags) c = c == ',' ? ' ' : c;
      std::istringstream words(tags);
      for (std::string tag; words >> tag;) {
        if (tag == "n")
          pos = Pos::kNoun;
        else if (tag == "v")
          pos = Pos::kVerb;
        else if (tag == "a")
          pos = Pos::kAdj;
        else if (tag == "r")
          pos = Pos::kAdv;
        else if (tag == "oneway")
          oneway = true;
        else if (tag.rfind("p=", 0) == 0) {
          float p = 0;
          auto [ptr, ec] = std::from_chars(tag.data() + 2, tag.data() + tag.size(), p);
          if (ec != std::errc() || ptr != tag.data() + tag.size() || !(p > 0 && p <= 1)) {
            fail(path, lineno, "prior '" + tag + "' must be p=<number in (0,1]>");
          }
          written = p;
          reverse = p * (prior::kCuratedReverse / prior::kCurated);
        } else {
          fail(path, lineno, "unknown tag '" + tag + "' (use n, v, a, r, oneway, p=0.9)");
        }
      }
    }
    ++stats.entries;
    for (std::string_view alt : split(cols[1], '|')) {
      const std::string spun = normalize_phrase(alt);
      if (spun.empty()) fail(path, lineno, "empty spun alternative");
      if (spun == original) fail(path, lineno, "original and spun are the same: '" + spun + "'");
      if (spun.find_first_of("0123456789") != std::string::npos ||
          original.find_first_of("0123456789") != std::string::npos) {
        fail(path, lineno, "digits are not allowed: numbers are never substituted");
      }
      if (word_count(spun) > kMaxPhraseWords || word_count(original) > kMaxPhraseWords) {
        fail(path, lineno, "phrases are limited to " + std::to_string(kMaxPhraseWords) + " words");
      }
      stats.edges += graph->add_curated(spun, original, pos, written);
      if (!oneway) stats.edges += graph->add_curated(original, spun, pos, reverse);
    }
  }
  return stats;
}

}  // namespace unspin::lexicon
