#include "lm/arpa.h"

#include <zlib.h>

#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "unspin/error.h"

namespace unspin::lm {
namespace {

class MemoryLines final : public LineSource {
 public:
  MemoryLines(std::string_view text, const ArpaLimits& limits) : text_(text), limits_(limits) {}
  bool next(std::string_view& line) override {
    if (pos_ >= text_.size()) return false;
    std::size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    if (line.size() > limits_.max_line_bytes) {
      throw Error(ErrorCode::kBadData, "line longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }

 private:
  std::string_view text_;
  ArpaLimits limits_;
  std::size_t pos_ = 0;
};

class GzLines final : public LineSource {
 public:
  GzLines(const std::string& path, const ArpaLimits& limits) : path_(path), limits_(limits) {
    file_ = gzopen(path.c_str(), "rb");
    if (!file_) throw Error(ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno));
    gzbuffer(file_, 1 << 18);
  }
  ~GzLines() override { gzclose(file_); }
  GzLines(const GzLines&) = delete;
  GzLines& operator=(const GzLines&) = delete;

  bool next(std::string_view& line) override {
    buf_.erase(0, start_);
    start_ = 0;
    std::size_t scanned = 0;
    for (;;) {
      const std::size_t nl = buf_.find('\n', scanned);
      if (nl != std::string::npos) {
        line = std::string_view(buf_).substr(0, nl);
        start_ = nl + 1;
        break;
      }
      scanned = buf_.size();
      if (buf_.size() > limits_.max_line_bytes) {
        throw Error(ErrorCode::kBadData, "line longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
      }
      char chunk[1 << 16];
      const int got = gzread(file_, chunk, sizeof chunk);
      if (got < 0) {
        int err = 0;
        throw Error(ErrorCode::kIo, "cannot read " + path_ + ": " + gzerror(file_, &err));
      }
      if (got == 0) {
        if (buf_.empty()) return false;
        line = buf_;
        start_ = buf_.size();
        break;
      }
      buf_.append(chunk, static_cast<std::size_t>(got));
    }
    if (line.size() > limits_.max_line_bytes) {
      throw Error(ErrorCode::kBadData, "line longer than " + std::to_string(limits_.max_line_bytes) + " bytes");
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  }

 private:
  std::string path_;
  ArpaLimits limits_;
  gzFile file_ = nullptr;
  std::string buf_;
  std::size_t start_ = 0;
};

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Splits on spaces and tabs into at most `max` fields; returns the count or max + 1 if more.
int split_fields(std::string_view line, std::string_view* out, int max) {
  int n = 0;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i == line.size()) break;
    std::size_t j = i;
    while (j < line.size() && line[j] != ' ' && line[j] != '\t') ++j;
    if (n == max) return max + 1;
    out[n++] = line.substr(i, j - i);
    i = j;
  }
  return n;
}

class ArpaParser {
 public:
  ArpaParser(LineSource& lines, const std::string& name) : lines_(lines), name_(name) {}

  NgramSet parse() {
    std::string_view line;
    do {
      if (!next(line)) fail("no \\data\\ line before the end of the file", "an ARPA file starting with \\data\\");
    } while (trim(line) != "\\data\\");
    std::vector<std::uint64_t> counts;
    while (next(line) && !trim(line).empty()) {
      std::string_view t = trim(line);
      if (t.substr(0, 6) != "ngram ") fail("\"" + std::string(t.substr(0, 40)) + "\"", "\"ngram N=COUNT\"");
      const std::size_t eq = t.find('=');
      const auto n = number<std::uint64_t>(trim(t.substr(6, eq == std::string_view::npos ? 0 : eq - 6)), "order");
      const auto c = number<std::uint64_t>(trim(t.substr(eq == std::string_view::npos ? t.size() : eq + 1)), "count");
      if (n != counts.size() + 1) fail("ngram " + std::to_string(n), "ngram " + std::to_string(counts.size() + 1));
      if (n > static_cast<std::uint64_t>(kMaxOrder)) fail("order " + std::to_string(n), "an order of at most 5");
      if (c >= (1ull << 32)) fail("count " + std::to_string(c), "fewer than 2^32 n-grams per order");
      counts.push_back(c);
    }
    if (counts.empty()) fail("no \"ngram N=COUNT\" lines", "the counts after \\data\\");
    if (counts[0] == 0) fail("ngram 1=0", "at least one unigram");
    set_.order = static_cast<int>(counts.size());
    set_.source = UlmSource::kArpa;
    set_.vocab.assign(1, kUnknownToken);
    set_.uni_prob.assign(1, -99.0f);
    set_.uni_backoff.assign(1, 0.0f);
    for (int n = 1; n <= set_.order; ++n) read_section(n, counts[n - 1]);
    skip_blank(line, "\\end\\");
    if (trim(line) != "\\end\\") fail("\"" + std::string(trim(line).substr(0, 40)) + "\"", "\\end\\");
    set_.folds_case = vocab_is_lowercase(set_);
    return std::move(set_);
  }

 private:
  [[noreturn]] void fail(const std::string& found, const std::string& expected) const {
    throw Error(ErrorCode::kBadData,
                name_ + ":" + std::to_string(line_no_) + ": found " + found + "; expected " + expected);
  }

  bool next(std::string_view& line) {
    try {
      if (!lines_.next(line)) return false;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kBadData) throw;
      ++line_no_;
      fail(e.what(), "ARPA lines of reasonable length");
    }
    ++line_no_;
    return true;
  }

  void skip_blank(std::string_view& line, const std::string& expected) {
    do {
      if (!next(line)) fail("the end of the file", expected);
    } while (trim(line).empty());
  }

  template <typename T>
  T number(std::string_view s, const char* what) const {
    T v{};
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) {
      fail(std::string(what) + " \"" + std::string(s.substr(0, 40)) + "\"", std::string("a number for the ") + what);
    }
    return v;
  }

  float log_prob(std::string_view s, const char* what) const {
    float v = 0;
    if (s == "-inf" || s == "-Infinity") return -99.0f;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) {
      fail(std::string(what) + " \"" + std::string(s.substr(0, 40)) + "\"", std::string("a finite log10 ") + what);
    }
    if (v > 0.0f && std::string_view(what) == "probability") {
      fail("positive log10 probability " + std::string(s), "a log10 probability <= 0");
    }
    return v;
  }

  void read_section(int n, std::uint64_t count) {
    std::string_view line;
    std::string header = "\\";
    header += std::to_string(n);
    header += "-grams:";
    skip_blank(line, header);
    if (trim(line) != header) fail("\"" + std::string(trim(line).substr(0, 40)) + "\"", header);
    NgramLevel& level = set_.levels[n];
    if (n >= 2) {
      const std::size_t reserve = static_cast<std::size_t>(std::min<std::uint64_t>(count, 1u << 22));
      level.words.reserve(reserve * n);
      level.prob.reserve(reserve);
      level.backoff.reserve(reserve);
    }
    const int max_fields = n + 2;
    std::string_view f[kMaxOrder + 3];
    WordId ids[kMaxOrder];
    for (std::uint64_t i = 0; i < count; ++i) {
      if (!next(line))
        fail("the end of the file after " + std::to_string(i) + " " + std::to_string(n) + "-grams",
             std::to_string(count) + " as declared in \\data\\");
      const int got = split_fields(line, f, max_fields);
      const bool has_backoff = got == n + 2;
      if (got < n + 1 || got > n + 2 || (has_backoff && n == set_.order)) {
        if (trim(line).empty() || trim(line).front() == '\\') {
          fail((trim(line).empty() ? std::string("an empty line")
                                   : "\"" + std::string(trim(line).substr(0, 40)) + "\"") +
                   " after " + std::to_string(i) + " " + std::to_string(n) + "-grams",
               std::to_string(count) + " " + std::to_string(n) + "-grams as declared in \\data\\");
        }
        fail(std::to_string(got) + " fields",
             "\"log10prob " + std::to_string(n) + " words" + (n < set_.order ? " [backoff]\"" : "\""));
      }
      const float prob = log_prob(f[0], "probability");
      const float backoff = has_backoff ? log_prob(f[n + 1], "backoff") : 0.0f;
      if (n == 1) {
        add_unigram(f[1], prob, backoff);
        continue;
      }
      for (int k = 0; k < n; ++k) {
        auto it = ids_.find(std::string(f[1 + k]));
        if (it == ids_.end())
          fail("word \"" + std::string(f[1 + k].substr(0, 40)) + "\"", "a word listed in \\1-grams:");
        ids[k] = it->second;
      }
      level.words.insert(level.words.end(), ids, ids + n);
      level.prob.push_back(prob);
      level.backoff.push_back(backoff);
    }
  }

  void add_unigram(std::string_view word, float prob, float backoff) {
    std::string w(word);
    if (w == kUnknownToken || w == "<UNK>") {
      if (!ids_.emplace(w, kUnknownWord).second) fail("a second \"" + w + "\"", "each unigram once");
      set_.uni_prob[0] = prob;
      return;
    }
    const auto id = static_cast<WordId>(set_.vocab.size());
    if (!ids_.emplace(w, id).second) fail("a second unigram \"" + w.substr(0, 40) + "\"", "each unigram once");
    set_.vocab.push_back(std::move(w));
    set_.uni_prob.push_back(prob);
    set_.uni_backoff.push_back(backoff);
  }

  LineSource& lines_;
  std::string name_;
  std::uint64_t line_no_ = 0;
  NgramSet set_;
  std::unordered_map<std::string, WordId> ids_;
};

void append_float(std::string& out, float v) {
  char buf[32];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, p);
}

}  // namespace

std::unique_ptr<LineSource> lines_from_memory(std::string_view text, const ArpaLimits& limits) {
  return std::make_unique<MemoryLines>(text, limits);
}

std::unique_ptr<LineSource> lines_from_file(const std::string& path, const ArpaLimits& limits) {
  return std::make_unique<GzLines>(path, limits);
}

NgramSet read_arpa(LineSource& lines, const std::string& name) { return ArpaParser(lines, name).parse(); }

NgramSet read_arpa_file(const std::string& path, const ArpaLimits& limits) {
  auto lines = lines_from_file(path, limits);
  return read_arpa(*lines, path);
}

void write_arpa(const NgramSet& set, const std::string& path) {
  const bool gz = path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  gzFile f = gzopen(path.c_str(), gz ? "wb6" : "wbT");
  if (!f) throw Error(ErrorCode::kIo, "cannot write " + path + ": " + std::strerror(errno));
  const bool write_unk = set.uni_prob[0] > -98.0f;
  std::string out;
  bool ok = true;
  auto flush = [&](bool force) {
    if (out.size() < (1u << 20) && !force) return;
    if (!out.empty() && gzwrite(f, out.data(), static_cast<unsigned>(out.size())) != static_cast<int>(out.size()))
      ok = false;
    out.clear();
  };
  out += "\\data\\\n";
  out += "ngram 1=" + std::to_string(set.vocab.size() - (write_unk ? 0 : 1)) + "\n";
  for (int n = 2; n <= set.order; ++n)
    out += "ngram " + std::to_string(n) + "=" + std::to_string(set.levels[n].size()) + "\n";
  out += "\n\\1-grams:\n";
  for (std::size_t id = write_unk ? 0 : 1; id < set.vocab.size(); ++id) {
    append_float(out, set.uni_prob[id]);
    out += '\t';
    out += set.vocab[id];
    if (set.order > 1) {
      out += '\t';
      append_float(out, set.uni_backoff[id]);
    }
    out += '\n';
    flush(false);
  }
  for (int n = 2; n <= set.order; ++n) {
    out += "\n\\";
    out += std::to_string(n);
    out += "-grams:\n";
    const NgramLevel& level = set.levels[n];
    for (std::size_t i = 0; i < level.size(); ++i) {
      append_float(out, level.prob[i]);
      for (int k = 0; k < n; ++k) {
        out += '\t';
        out += set.vocab[level.words[i * n + k]];
      }
      if (n < set.order) {
        out += '\t';
        append_float(out, level.backoff[i]);
      }
      out += '\n';
      flush(false);
    }
  }
  out += "\n\\end\\\n";
  flush(true);
  if (gzclose(f) != Z_OK) ok = false;
  if (!ok) throw Error(ErrorCode::kIo, "cannot write " + path + " (disk full?)");
}

}  // namespace unspin::lm
