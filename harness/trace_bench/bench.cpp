#include "trace_bench/bench.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <sstream>

#include "eval/corpus.h"
#include "eval/score.h"
#include "eval/spinner.h"
#include "trace/ingest.h"
#include "trace/words.h"
#include "unspin/error.h"
#include "unspin/trace.h"

namespace unspin::trace {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::size_t kTargetWords = 300;

struct Window {
  std::size_t doc;
  std::vector<std::string> sentences;
  std::size_t words = 0;
};

std::size_t count_words(std::string_view s) {
  std::size_t n = 0;
  bool in = false;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t';
    n += !space && !in;
    in = !space;
  }
  return n;
}

std::string join(const std::vector<std::string>& sentences, std::size_t begin, std::size_t end) {
  std::string out;
  for (std::size_t i = begin; i < end; ++i) {
    if (!out.empty()) out += ' ';
    out += sentences[i];
  }
  return out;
}

// Consecutive sentences of a document in windows of about kTargetWords words.
std::vector<Window> windows_of(const eval::CorpusDoc& doc, std::size_t index) {
  std::vector<Window> out;
  Window w{index, {}, 0};
  for (const eval::Sentence& s : doc.sentences) {
    w.sentences.push_back(s.text);
    w.words += count_words(s.text);
    if (w.words >= kTargetWords) {
      out.push_back(std::move(w));
      w = Window{index, {}, 0};
    }
  }
  if (w.words >= kTargetWords / 2) out.push_back(std::move(w));
  return out;
}

// Sentences [0, k) holding about half the words.
std::size_t half_point(const Window& w) {
  std::size_t words = 0;
  for (std::size_t i = 0; i < w.sentences.size(); ++i) {
    words += count_words(w.sentences[i]);
    if (words * 2 >= w.words) return std::max<std::size_t>(1, std::min(i + 1, w.sentences.size() - 1));
  }
  return w.sentences.size() / 2;
}

// `host` with its names and numbers replaced, in order, by those of `donor`.
std::string with_anchors_of(const std::string& host, const std::string& donor) {
  const TokenizedText d = tokenize(donor), h = tokenize(host);
  std::vector<std::string_view> anchors;
  for (const Word& w : document_words(d)) {
    if (w.cls == WordClass::kAnchor) anchors.push_back(d.tokens[w.token].text);
  }
  if (anchors.empty()) return host;
  std::string out;
  std::size_t cursor = 0, next = 0;
  for (const Word& w : document_words(h)) {
    if (w.cls != WordClass::kAnchor) continue;
    const Token& t = h.tokens[w.token];
    out.append(host, cursor, t.byte_begin - cursor);
    out.append(anchors[next++ % anchors.size()]);
    cursor = t.byte_end;
  }
  out.append(host, cursor);
  return out;
}

// A harsher spinner than any one simulator style, for the extra "harsh"
// kind: the phrase style at 0.8 then the thesaurus style at 0.5 over its
// output, then 40% of the names (capitalised words not opening a sentence)
// replaced by common capitalised words ("Wall Street" -> "Wall Road"), and
// 30% of the commas dropped. No gold edits (two spinners compose).
std::string harsh_spin(const eval::SpinnerData& data, std::string_view text, std::uint64_t seed) {
  const std::string once = eval::Spinner(data, eval::SpinStyle::kPhrase, 0.8, seed).spin(text).text;
  const std::string twice = eval::Spinner(data, eval::SpinStyle::kThesaurus, 0.5, seed + 1).spin(once).text;
  static const char* kNames[] = {"Road",  "Home",  "House",  "Nation", "Group",
                                 "Union", "State", "Office", "Street", "Party"};
  std::mt19937_64 rng(seed);
  const TokenizedText t = tokenize(twice);
  std::string out;
  std::size_t cursor = 0;
  for (const Word& w : document_words(t)) {
    const Token& tok = t.tokens[w.token];
    const bool name = w.cls == WordClass::kAnchor && tok.kind == TokenKind::kWord;
    const bool comma = w.cls == WordClass::kPunct && tok.text == ",";
    if ((name && rng() % 10 < 4) || (comma && rng() % 10 < 3)) {
      out.append(twice, cursor, tok.byte_begin - cursor);
      if (name) out.append(kNames[rng() % 10]);
      cursor = tok.byte_end;
    }
  }
  out.append(twice, cursor);
  return out;
}

struct Query {
  std::string kind;
  std::string text;
  std::string source_id;  // empty: not in the archive
  bool has_gold = false;
  std::vector<eval::GoldEdit> gold;
};

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * (v.size() - 1) + 0.5));
  return v[i];
}

}  // namespace

BenchResult run_trace_bench(const BenchConfig& cfg, const std::function<void(const std::string&)>& log) {
  BenchResult result;
  std::mt19937_64 rng(cfg.seed);
  log("loading corpora from " + cfg.corpora_dir);
  const std::vector<eval::CorpusDoc> docs = eval::load_corpus(cfg.corpora_dir, eval::kAllSources);
  const eval::Part query_part = cfg.fit_part ? eval::Part::kBuild : eval::Part::kEval;

  // Documents of the query part in a seeded order: originals, partial
  // originals, then unseen documents (never in the archive).
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    if (eval::part_of(docs[i].id) == query_part) order.push_back(i);
  }
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return eval::stable_hash(docs[a].id, cfg.seed) < eval::stable_hash(docs[b].id, cfg.seed);
  });
  std::vector<Window> originals, partials, unseen;
  std::vector<bool> held_out(docs.size(), false);
  for (std::size_t i : order) {
    std::vector<Window> ws = windows_of(docs[i], i);
    if (ws.empty()) continue;
    Window pick = ws[eval::stable_hash(docs[i].id, cfg.seed + 1) % ws.size()];
    if (pick.sentences.size() < 4) continue;
    if (originals.size() < cfg.originals)
      originals.push_back(std::move(pick));
    else if (partials.size() < cfg.partial)
      partials.push_back(std::move(pick));
    else if (unseen.size() < cfg.unseen) {
      unseen.push_back(std::move(pick));
      held_out[i] = true;
    } else
      break;
  }
  if (originals.size() < cfg.originals || unseen.size() < cfg.unseen) {
    throw Error(ErrorCode::kIo, "the corpora hold too few documents for this benchmark; install them with ./setup.sh");
  }

  // The archive.
  const bool reuse = cfg.reuse_archive && std::filesystem::exists(cfg.archive_path);
  if (!reuse) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(cfg.archive_path + suffix);
    auto store = open_archive(cfg.archive_path, ArchiveAccess::kCreateOrWrite);
    std::vector<Window> pool;
    for (std::size_t i = 0; i < docs.size(); ++i) {
      if (held_out[i]) continue;
      for (Window& w : windows_of(docs[i], i)) pool.push_back(std::move(w));
    }
    // Originals' own windows are added under their own ids below; drop the copies.
    auto same = [](const Window& a, const Window& b) { return a.doc == b.doc && a.sentences == b.sentences; };
    std::erase_if(pool, [&](const Window& w) {
      return std::any_of(originals.begin(), originals.end(), [&](const Window& o) { return same(o, w); }) ||
             std::any_of(partials.begin(), partials.end(), [&](const Window& o) { return same(o, w); });
    });
    log("distractor pool: " + std::to_string(pool.size()) + " real excerpts");
    double ingest_seconds = 0;
    std::size_t ingested = 0;
    std::vector<ArchiveDocument> batch;
    auto flush = [&] {
      const auto t0 = Clock::now();
      add_documents(*store, batch, 64u << 20, cfg.fingerprint);
      ingest_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
      ingested += batch.size();
      batch.clear();
      if (ingested % 20000 < cfg.batch) log("ingested " + std::to_string(ingested));
    };
    auto push = [&](std::string id, std::string text) {
      batch.push_back(ArchiveDocument{std::move(id), std::move(text)});
      if (batch.size() >= cfg.batch) flush();
    };
    std::uniform_int_distribution<std::size_t> any(0, pool.size() - 1);
    auto all_originals = originals;
    all_originals.insert(all_originals.end(), partials.begin(), partials.end());
    for (std::size_t i = 0; i < all_originals.size(); ++i) {
      const Window& o = all_originals[i];
      const std::string id = "orig/" + std::to_string(i);
      push(id, join(o.sentences, 0, o.sentences.size()));
      const Window& other = pool[any(rng)];
      const std::size_t h = half_point(o), oh = half_point(other);
      if (i < originals.size()) {
        push("near-half/" + std::to_string(i),
             join(o.sentences, 0, h) + " " + join(other.sentences, oh, other.sentences.size()));
      } else {
        push("near-half/" + std::to_string(i),
             join(other.sentences, 0, oh) + " " + join(o.sentences, h, o.sentences.size()));
      }
      const Window& host = pool[any(rng)];
      push("near-names/" + std::to_string(i),
           with_anchors_of(join(host.sentences, 0, host.sentences.size()), join(o.sentences, 0, o.sentences.size())));
    }
    std::size_t total = 3 * all_originals.size();
    for (std::size_t i = 0; i < pool.size() && total < cfg.distractors; ++i, ++total) {
      push("excerpt/" + std::to_string(i), join(pool[i].sentences, 0, pool[i].sentences.size()));
    }
    for (std::size_t n = 0; total < cfg.distractors; ++n, ++total) {
      const Window& a = pool[any(rng)];
      const Window& b = pool[any(rng)];
      push("mix/" + std::to_string(n),
           join(a.sentences, 0, half_point(a)) + " " + join(b.sentences, half_point(b), b.sentences.size()));
    }
    if (!batch.empty()) flush();
    result.ingest_docs_per_second = ingest_seconds > 0 ? ingested / ingest_seconds : 0;
  }

  // Queries.
  log("spinning the queries");
  const eval::SpinnerData spinner_data =
      eval::SpinnerData::load(eval::SpinnerData::default_data_dir(), eval::SpinnerData::default_aiksaurus_dir());
  const eval::SpinStyle styles[] = {eval::SpinStyle::kThesaurus, eval::SpinStyle::kPhrase, eval::SpinStyle::kTortured};
  std::vector<Query> queries;
  auto rate_name = [](double r) {
    char b[16];
    std::snprintf(b, sizeof b, "%.1f", r);
    return std::string(b);
  };
  for (std::size_t i = 0; i < originals.size(); ++i) {
    const std::string text = join(originals[i].sentences, 0, originals[i].sentences.size());
    const std::string id = "orig/" + std::to_string(i);
    queries.push_back({"clean copy", text, id, true, {}});
    for (eval::SpinStyle style : styles) {
      for (double rate : cfg.rates) {
        eval::SpinOutput s = eval::Spinner(spinner_data, style, rate, cfg.seed * 1000 + i).spin(text);
        queries.push_back({std::string(eval::style_name(style)) + " " + rate_name(rate), std::move(s.text), id, true,
                           std::move(s.edits)});
      }
    }
  }
  for (std::size_t i = 0; i < partials.size(); ++i) {
    const Window& w = partials[i];
    const std::string text = join(w.sentences, 0, half_point(w));
    const eval::SpinStyle style = styles[i % 3];
    eval::SpinOutput s = eval::Spinner(spinner_data, style, 0.5, cfg.seed * 1000 + 500 + i).spin(text);
    queries.push_back({"first half, " + std::string(eval::style_name(style)) + " 0.5", std::move(s.text),
                       "orig/" + std::to_string(originals.size() + i), true, std::move(s.edits)});
  }
  for (std::size_t i = 0; i < originals.size(); ++i) {
    const std::string text = join(originals[i].sentences, 0, originals[i].sentences.size());
    queries.push_back({"harsh: phrase 0.8 + thesaurus 0.5, 40% of names, 30% of commas",
                       harsh_spin(spinner_data, text, cfg.seed * 1000 + 600 + i),
                       "orig/" + std::to_string(i),
                       false,
                       {}});
  }
  // Harder partial copies: the last sentences of an original, from its last
  // third but never before its half (a near neighbour holds the first half,
  // which would make it an equally good source), and the first two
  // sentences only (of the originals whose first half is in no near neighbour).
  for (std::size_t i = 0; i < originals.size(); ++i) {
    const Window& w = originals[i];
    const std::size_t from = std::max(half_point(w), 2 * w.sentences.size() / 3);
    const std::string text = join(w.sentences, std::min(from, w.sentences.size() - 1), w.sentences.size());
    eval::SpinOutput s = eval::Spinner(spinner_data, styles[i % 3], 0.5, cfg.seed * 1000 + 700 + i).spin(text);
    queries.push_back(
        {"last third, spun 0.5", std::move(s.text), "orig/" + std::to_string(i), true, std::move(s.edits)});
  }
  for (std::size_t i = 0; i < partials.size(); ++i) {
    const std::string text = join(partials[i].sentences, 0, 2);
    eval::SpinOutput s = eval::Spinner(spinner_data, styles[i % 3], 0.5, cfg.seed * 1000 + 800 + i).spin(text);
    queries.push_back({"first two sentences, spun 0.5", std::move(s.text),
                       "orig/" + std::to_string(originals.size() + i), true, std::move(s.edits)});
  }
  for (std::size_t i = 0; i < unseen.size(); ++i) {
    const std::string text = join(unseen[i].sentences, 0, unseen[i].sentences.size());
    if (i % 4 == 3) {
      queries.push_back({"source not in archive", text, "", false, {}});
    } else {
      const double rate = cfg.rates[i % cfg.rates.size()];
      eval::SpinOutput s = eval::Spinner(spinner_data, styles[i % 3], rate, cfg.seed * 1000 + 900 + i).spin(text);
      queries.push_back({"source not in archive", std::move(s.text), "", false, {}});
    }
  }

  log("tracing " + std::to_string(queries.size()) + " queries");
  auto store = open_archive(cfg.archive_path, ArchiveAccess::kRead);
  result.archive_documents = static_cast<std::size_t>(store->document_count());
  TraceOptions options;
  options.candidates = cfg.candidates;
  options.max_sources = cfg.candidates;
  options.min_score = 0;
  options.max_gap_words = cfg.max_gap_words;
  options.max_postings = cfg.max_postings;
  result.threshold = options.source_threshold;
  Tracer tracer(*store, options);
  std::map<std::string, KindFigures> kinds;
  std::vector<std::string> kind_order;
  std::vector<double> latencies;
  for (const Query& q : queries) {
    if (!kinds.count(q.kind)) kind_order.push_back(q.kind);
    KindFigures& k = kinds[q.kind];
    k.kind = q.kind;
    ++k.queries;
    const auto t0 = Clock::now();
    const TraceResult r = tracer.trace(q.text);
    latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    for (const TracedSource& s : r.sources) {
      result.rows.push_back({1.0, s.aligned, s.balanced, s.anchors, s.content, s.weakest_quarter});
      result.labels.push_back(s.id == q.source_id ? 1 : 0);
    }
    const bool any = !r.sources.empty();
    const bool top1 = any && r.sources[0].id == q.source_id;
    const bool confident = any && r.sources[0].score >= options.source_threshold;
    if (std::getenv("UNSPIN_TRACE_BENCH_DEBUG") && !top1 && !q.source_id.empty()) {
      std::fprintf(stderr, "--- top-1 wrong: %s, true %s\n", q.kind.c_str(), q.source_id.c_str());
      for (std::size_t c = 0; c < r.sources.size() && c < 4; ++c) {
        const TracedSource& s = r.sources[c];
        std::fprintf(stderr, "  %s score %.4f aligned %.3f balanced %.3f anchors %.3f content %.3f\n", s.id.c_str(),
                     s.score, s.aligned, s.balanced, s.anchors, s.content);
      }
    }
    k.top1 += top1;
    k.found += top1 && confident;
    k.false_source += !top1 && confident;
    if (q.source_id.empty()) result.unseen_top_scores.push_back(any ? r.sources[0].score : 0.0);
    if (top1) result.true_source_scores.push_back(r.sources[0].score);
    if (q.has_gold) {
      const auto restoration = tracer.restore_from_source(q.text);
      const std::vector<Edit> edits = restoration ? restoration->result.edits : std::vector<Edit>{};
      const eval::QualityCounts c = eval::score_document(q.text, q.gold, edits);
      if (std::getenv("UNSPIN_TRACE_BENCH_DEBUG") && (c.correct_edits != c.edits || c.restored != c.gold)) {
        std::fprintf(stderr, "--- %s: %zu/%zu edits correct, %zu/%zu gold restored\n", q.kind.c_str(), c.correct_edits,
                     c.edits, c.restored, c.gold);
        for (const Edit& e : edits)
          std::fprintf(stderr, "  edit [%u,%u) '%s' -> '%s'\n", e.cp_begin, e.cp_end, e.spun.c_str(),
                       e.original.c_str());
        for (const eval::GoldEdit& g : q.gold)
          std::fprintf(stderr, "  gold [%u,%u) '%s' -> '%s'\n", g.cp_begin, g.cp_end, g.spun.c_str(),
                       g.original.c_str());
      }
      k.gold += c.gold;
      k.restored += c.restored;
      k.edits += c.edits;
      k.correct_edits += c.correct_edits;
    }
  }
  for (const std::string& name : kind_order) result.kinds.push_back(kinds[name]);
  result.p50_ms = percentile(latencies, 0.5);
  result.p99_ms = percentile(latencies, 0.99);
  result.max_ms = percentile(latencies, 1.0);
  const archive::ArchiveStats stats = store->stats();
  result.archive_bytes_per_document =
      stats.documents ? static_cast<double>(stats.file_bytes) / static_cast<double>(stats.documents) : 0;
  return result;
}

std::string BenchResult::markdown() const {
  std::ostringstream out;
  char line[512];
  out << "| queries | n | recall@1 | found (top-1 and score >= " << threshold
      << ") | wrong source above threshold | restoration recall | restoration precision |\n"
      << "|---|---:|---:|---:|---:|---:|---:|\n";
  KindFigures spun_total{"spun and first-half copies (the bar)"};
  for (const KindFigures& k : kinds) {
    const double recall = k.gold ? static_cast<double>(k.restored) / k.gold : 1.0;
    const double precision = k.edits ? static_cast<double>(k.correct_edits) / k.edits : 1.0;
    std::snprintf(line, sizeof line, "| %s | %zu | %.4f | %.4f | %.4f | %s | %s |\n", k.kind.c_str(), k.queries,
                  k.kind == "source not in archive" ? 0.0 : static_cast<double>(k.top1) / k.queries,
                  static_cast<double>(k.found) / k.queries, static_cast<double>(k.false_source) / k.queries,
                  k.gold ? (std::to_string(recall).substr(0, 6)).c_str() : "–",
                  k.edits || k.gold ? (std::to_string(precision).substr(0, 6)).c_str() : "–");
    out << line;
    // The bar: spun copies and first-half copies (the harder extra
    // kinds are reported above but not in this total).
    const bool extra =
        k.kind.rfind("last third", 0) == 0 || k.kind.rfind("first two", 0) == 0 || k.kind.rfind("harsh", 0) == 0;
    if (k.kind != "clean copy" && k.kind != "source not in archive" && !extra) {
      spun_total.queries += k.queries;
      spun_total.top1 += k.top1;
      spun_total.found += k.found;
      spun_total.false_source += k.false_source;
      spun_total.gold += k.gold;
      spun_total.restored += k.restored;
      spun_total.edits += k.edits;
      spun_total.correct_edits += k.correct_edits;
    }
  }
  const KindFigures& t = spun_total;
  std::snprintf(line, sizeof line, "| **%s** | %zu | **%.4f** | %.4f | %.4f | **%.4f** | **%.4f** |\n", t.kind.c_str(),
                t.queries, static_cast<double>(t.top1) / std::max<std::size_t>(t.queries, 1),
                static_cast<double>(t.found) / std::max<std::size_t>(t.queries, 1),
                static_cast<double>(t.false_source) / std::max<std::size_t>(t.queries, 1),
                t.gold ? static_cast<double>(t.restored) / t.gold : 1.0,
                t.edits ? static_cast<double>(t.correct_edits) / t.edits : 1.0);
  out << line << "\n";
  std::snprintf(
      line, sizeof line,
      "archive: %zu documents, %.0f bytes per document; ingest %.0f documents/s%s; query latency p50 %.1f ms, "
      "p99 %.1f ms, max %.1f ms\n",
      archive_documents, archive_bytes_per_document, ingest_docs_per_second,
      ingest_docs_per_second == 0 ? " (archive reused, not measured)" : "", p50_ms, p99_ms, max_ms);
  out << line;
  std::snprintf(line, sizeof line,
                "scores: texts whose source is not in the archive, best candidate: p50 %.4f, p99 %.4f, max %.4f; "
                "true sources at top-1: min %.4f, p01 %.4f\n",
                percentile(unseen_top_scores, 0.5), percentile(unseen_top_scores, 0.99),
                percentile(unseen_top_scores, 1.0), percentile(true_source_scores, 0.0),
                percentile(true_source_scores, 0.01));
  out << line;
  return out.str();
}

}  // namespace unspin::trace
