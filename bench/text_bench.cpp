// Text layer throughput: tokenize, validate_input, find_invalid_utf8, fold_case.
// Inputs: the State of the Union addresses (English prose) from the npm
// corpora when installed, else a synthetic English-like text of the same size;
// and a mixed-script text (accents, curly quotes, Greek, CJK, emoji).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "unspin/restore.h"
#include "unspin/text.h"

namespace {

namespace fs = std::filesystem;

// One string per State of the Union address (233 documents, ~46 KB each).
const std::vector<std::string>& documents() {
  static const std::vector<std::string> docs = [] {
    std::vector<std::string> out;
    const fs::path dir = fs::path(UNSPIN_CORPORA_DIR) / "@stdlib" / "datasets-sotu" / "data";
    if (!fs::is_directory(dir)) return out;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".txt") continue;
      std::ifstream in(e.path(), std::ios::binary);
      out.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    return out;
  }();
  return docs;
}

std::string load_prose() {
  std::string text;
  for (const std::string& doc : documents()) text += doc + "\n\n";
  if (text.empty()) {
    const std::string para =
        "The chief executive said on Tuesday that sales rose 3.5% to $1,200 million in the "
        "third quarter, well ahead of forecasts. \"We don't expect that to last,\" Mr. Smith "
        "told analysts at 9:30 a.m. Shares fell 2.1% in early trading.\n\n";
    while (text.size() < (16u << 20)) text += para;
  }
  return text;
}

const std::string& prose() {
  static const std::string text = load_prose();
  return text;
}

const std::string& mixed() {
  static const std::string text = [] {
    const std::string para =
        "Zoë’s café — “naïve” O’Brien said the well-known façade in Zürich cost €1.200,50. "
        "Ελλάδα και Μόσχα… 東京の天気は晴れ 😀👍🏽 ok\u00A0then.\r\n";
    std::string t;
    while (t.size() < (4u << 20)) t += para;
    return t;
  }();
  return text;
}

void BM_Tokenize(benchmark::State& state, const std::string& (*input)()) {
  const std::string& text = input();
  std::size_t tokens = 0;
  for (auto _ : state) {
    unspin::TokenizedText t = unspin::tokenize(text);
    tokens = t.tokens.size();
    benchmark::DoNotOptimize(t.tokens.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens"] = static_cast<double>(tokens);
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens * state.iterations()), benchmark::Counter::kIsRate);
}
// The whole 10 MB as one buffer: includes first-touch page faults of a fresh
// ~100 MB token vector on every iteration (large blocks are mmap'd anew).
BENCHMARK_CAPTURE(BM_Tokenize, prose_one_buffer, prose)->Unit(benchmark::kMillisecond);

// The realistic workload: one document at a time.
void BM_TokenizeDocuments(benchmark::State& state) {
  const std::vector<std::string>& docs = documents();
  if (docs.empty()) {
    state.SkipWithError("State of the Union corpus not installed (run ./setup.sh)");
    return;
  }
  std::size_t bytes = 0, tokens = 0;
  for (const std::string& d : docs) bytes += d.size();
  for (auto _ : state) {
    tokens = 0;
    for (const std::string& d : docs) {
      unspin::TokenizedText t = unspin::tokenize(d);
      tokens += t.tokens.size();
      benchmark::DoNotOptimize(t.tokens.data());
    }
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
  state.counters["docs"] = static_cast<double>(docs.size());
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(tokens * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_TokenizeDocuments)->Unit(benchmark::kMillisecond);

// The same, reusing one token vector (tokenize(text, out)): the pure scan cost.
void BM_TokenizeReused(benchmark::State& state, const std::string& (*input)()) {
  const std::string& text = input();
  unspin::TokenizedText t;
  unspin::tokenize(text, t);
  for (auto _ : state) {
    unspin::tokenize(text, t);
    benchmark::DoNotOptimize(t.tokens.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  state.counters["tokens/s"] =
      benchmark::Counter(static_cast<double>(t.tokens.size() * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK_CAPTURE(BM_TokenizeReused, prose, prose)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_TokenizeReused, mixed_scripts, mixed)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Tokenize, mixed_scripts, mixed)->Unit(benchmark::kMillisecond);

void BM_ValidateInput(benchmark::State& state, const std::string& (*input)()) {
  const std::string& text = input();
  for (auto _ : state) unspin::validate_input(text, text.size());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK_CAPTURE(BM_ValidateInput, prose, prose)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_ValidateInput, mixed_scripts, mixed)->Unit(benchmark::kMillisecond);

void BM_FindInvalidUtf8(benchmark::State& state) {
  const std::string& text = prose();
  for (auto _ : state) benchmark::DoNotOptimize(unspin::find_invalid_utf8(text));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
}
BENCHMARK(BM_FindInvalidUtf8)->Unit(benchmark::kMillisecond);

// fold_case over every word token of 1 MB of prose (the decoder's per-word cost).
void BM_FoldCaseWords(benchmark::State& state) {
  const std::string text = prose().substr(0, 1 << 20);
  const unspin::TokenizedText t = unspin::tokenize(text);
  std::size_t words = 0;
  for (auto _ : state) {
    words = 0;
    for (const unspin::Token& tok : t.tokens) {
      if (tok.kind != unspin::TokenKind::kWord) continue;
      benchmark::DoNotOptimize(unspin::fold_case(tok.text));
      ++words;
    }
  }
  state.counters["words/s"] =
      benchmark::Counter(static_cast<double>(words * state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FoldCaseWords)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
