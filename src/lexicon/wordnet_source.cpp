// WordNet 3.0 data/index files (wndb(5WN)): one synset per data line,
//   offset lex_filenum ss_type w_cnt(hex) {word lex_id(hex)}... p_cnt
//   {pointer_symbol offset pos source/target(hex)}... [frames] | gloss
#include <charconv>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/checksum.h"
#include "lexicon/normalize.h"
#include "lexicon/sources.h"
#include "unspin/error.h"
#include "unspin/lexicon.h"

namespace unspin::lexicon {
namespace {

struct Pointer {
  std::string_view symbol;
  std::uint32_t target;          // synset index
  int source_word, target_word;  // 1-based; 0 = whole synset
};

struct Synset {
  Pos pos;
  std::vector<std::string> words;  // normalized
  std::vector<int> rank;           // sense rank of each word (0 = first sense)
  std::vector<Pointer> pointers;
};

Pos pos_of(char c) {
  switch (c) {
    case 'n': return Pos::kNoun;
    case 'v': return Pos::kVerb;
    case 'a':
    case 's': return Pos::kAdj;
    case 'r': return Pos::kAdv;
    default: return Pos::kNone;
  }
}

class Fields {
 public:
  Fields(std::string_view line, std::string path, std::size_t lineno)
      : rest_(line), path_(std::move(path)), lineno_(lineno) {}
  std::string_view next() {
    while (!rest_.empty() && rest_.front() == ' ') rest_.remove_prefix(1);
    const std::size_t p = rest_.find(' ');
    std::string_view f = rest_.substr(0, p);
    rest_.remove_prefix(p == std::string_view::npos ? rest_.size() : p);
    if (f.empty()) fail("line ends early");
    return f;
  }
  unsigned long number(int base) {
    std::string_view f = next();
    unsigned long v = 0;
    auto [ptr, ec] = std::from_chars(f.data(), f.data() + f.size(), v, base);
    if (ec != std::errc() || ptr != f.data() + f.size()) fail("expected a number, got '" + std::string(f) + "'");
    return v;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(ErrorCode::kBadData,
                path_ + ":" + std::to_string(lineno_) + ": " + why + " (not a WordNet 3.0 data/index file?)");
  }

 private:
  std::string_view rest_;
  std::string path_;
  std::size_t lineno_;
};

template <typename F>
void for_each_line(std::string_view text, F&& f) {
  std::size_t lineno = 0;
  while (!text.empty()) {
    const std::size_t p = text.find('\n');
    std::string_view line = text.substr(0, p);
    text.remove_prefix(p == std::string_view::npos ? text.size() : p + 1);
    ++lineno;
    if (line.empty() || line.front() == ' ') continue;  // license header lines start with spaces
    f(line, lineno);
  }
}

}  // namespace

SourceStats read_wordnet(const std::string& dir, LemmaGraph* graph, std::uint64_t* hash) {
  static constexpr const char* kPos[] = {"noun", "verb", "adj", "adv"};
  std::vector<Synset> synsets;
  std::unordered_map<std::uint64_t, std::uint32_t> by_offset;  // (pos letter << 32 | offset)
  auto offset_key = [](char pos, unsigned long offset) {
    return (static_cast<std::uint64_t>(pos == 's' ? 'a' : pos) << 32) | offset;
  };
  struct RawPointer {
    std::uint32_t from;
    std::string_view symbol;
    std::uint64_t target;
    int src, dst;
  };
  std::vector<RawPointer> raw;
  std::vector<std::string> data_files(4);
  for (int p = 0; p < 4; ++p) {
    const std::string path = dir + "/data." + kPos[p];
    data_files[p] = read_whole_file(path);
    *hash = fnv1a64(data_files[p], *hash);
    for_each_line(data_files[p], [&](std::string_view line, std::size_t lineno) {
      Fields f(line.substr(0, line.find(" | ")), path, lineno);
      const unsigned long offset = f.number(10);
      f.next();  // lex_filenum
      const std::string_view ss_type = f.next();
      if (ss_type.size() != 1 || pos_of(ss_type[0]) == Pos::kNone) f.fail("bad synset type");
      Synset s;
      s.pos = pos_of(ss_type[0]);
      const unsigned long w_cnt = f.number(16);
      for (unsigned long w = 0; w < w_cnt; ++w) {
        std::string_view word = f.next();
        f.next();  // lex_id
        // Adjective markers: "word(a)", "word(p)", "word(ip)".
        if (const std::size_t paren = word.find('('); paren != std::string_view::npos) {
          word = word.substr(0, paren);
        }
        s.words.push_back(has_upper(word) ? std::string() : normalize_phrase(word));
      }
      s.rank.assign(s.words.size(), 0);
      const auto index = static_cast<std::uint32_t>(synsets.size());
      const unsigned long p_cnt = f.number(10);
      for (unsigned long i = 0; i < p_cnt; ++i) {
        const std::string_view symbol = f.next();
        const unsigned long target = f.number(10);
        const std::string_view tpos = f.next();
        const unsigned long st = f.number(16);
        raw.push_back(
            {index, symbol, offset_key(tpos[0], target), static_cast<int>(st >> 8), static_cast<int>(st & 0xff)});
      }
      by_offset[offset_key(ss_type[0], offset)] = index;
      synsets.push_back(std::move(s));
    });
  }
  for (const RawPointer& r : raw) {
    auto it = by_offset.find(r.target);
    if (it == by_offset.end()) continue;
    synsets[r.from].pointers.push_back({r.symbol, it->second, r.src, r.dst});
  }
  // Sense order: index.<pos> lists each lemma's synsets, most frequent first.
  for (int p = 0; p < 4; ++p) {
    const std::string path = dir + "/index." + kPos[p];
    const std::string text = read_whole_file(path);
    *hash = fnv1a64(text, *hash);
    for_each_line(text, [&](std::string_view line, std::size_t lineno) {
      Fields f(line, path, lineno);
      const std::string lemma = normalize_phrase(f.next());
      const std::string_view pos = f.next();
      const unsigned long synset_cnt = f.number(10);
      const unsigned long p_cnt = f.number(10);
      for (unsigned long i = 0; i < p_cnt; ++i) f.next();
      f.next();  // sense_cnt
      f.next();  // tagsense_cnt
      for (unsigned long rank = 0; rank < synset_cnt; ++rank) {
        auto it = by_offset.find(offset_key(pos[0], f.number(10)));
        if (it == by_offset.end()) continue;
        Synset& s = synsets[it->second];
        for (std::size_t w = 0; w < s.words.size(); ++w) {
          if (s.words[w] == lemma) s.rank[w] = static_cast<int>(rank);
        }
      }
    });
  }

  SourceStats stats;
  stats.entries = synsets.size();
  auto add = [&](const std::string& key, const Synset& from, std::size_t w, Pos pos, float base, std::uint16_t src,
                 bool synonym) {
    if (key.empty() || from.words[w].empty()) return;
    if (graph->add_thesaurus(key, from.words[w], pos, base * prior::sense_factor(from.rank[w]), src, synonym)) {
      ++stats.edges;
    } else {
      ++stats.filtered;
    }
  };
  for (const Synset& s : synsets) {
    for (std::size_t a = 0; a < s.words.size(); ++a) {
      for (std::size_t b = 0; b < s.words.size(); ++b) {
        if (a != b) add(s.words[b], s, a, s.pos, prior::kWordNetSynonym, kSourceWordNetSynonym, true);
      }
    }
    for (const Pointer& ptr : s.pointers) {
      float base = 0;
      Pos pos = s.pos;
      if (ptr.symbol == "&" || ptr.symbol == "^" || ptr.symbol == "$") {
        base = prior::kWordNetSimilar;
      } else if (ptr.symbol == "@") {
        base = prior::kWordNetHypernym;  // the spinner wrote the hypernym
      } else if (ptr.symbol == "~") {
        base = prior::kWordNetHyponym;
      } else if (ptr.symbol == "+") {
        base = prior::kWordNetDerived;
        pos = Pos::kNone;  // crosses parts of speech: base forms only
      } else {
        continue;  // antonyms, instances, meronyms, domains...
      }
      const Synset& t = synsets[ptr.target];
      if (pos != Pos::kNone && t.pos != s.pos) pos = Pos::kNone;
      for (std::size_t a = 0; a < s.words.size(); ++a) {
        if (ptr.source_word != 0 && static_cast<std::size_t>(ptr.source_word) != a + 1) continue;
        for (std::size_t b = 0; b < t.words.size(); ++b) {
          if (ptr.target_word != 0 && static_cast<std::size_t>(ptr.target_word) != b + 1) continue;
          add(t.words[b], s, a, pos, base, kSourceWordNetRelation, false);
        }
      }
    }
  }
  return stats;
}

}  // namespace unspin::lexicon
