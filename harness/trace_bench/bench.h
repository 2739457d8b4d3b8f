// The trace benchmark and the fitting of the source score (internal; driven
// by `unspin-eval eval trace`, docs/TRACE.md).
//
// From the installed corpora it builds an archive of originals hidden among
// distractors, and queries it with spun copies of the originals (every
// simulator style, several rates), partial copies (the first half, spun),
// clean copies, and documents whose source is not in the archive:
//  - originals: ~300-word excerpts of `query_part` documents (eval for the
//    benchmark, build for --fit);
//  - unseen: excerpts of other documents of that part, kept out of the
//    archive entirely (no sentence of theirs is in a distractor);
//  - distractors: real excerpts of every other document, then
//    recombinations (the first sentences of one excerpt joined to the last
//    of another) up to `distractors` documents, plus two near neighbours per
//    original: its first half joined to another excerpt (its second half,
//    for originals queried as partial copies, whose first half would
//    otherwise be an equally good source), and other sentences carrying the
//    original's names and numbers in the original's order.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "trace/fingerprint.h"
#include "unspin/trace.h"

namespace unspin::trace {

struct BenchConfig {
  std::string corpora_dir;
  std::string archive_path;
  bool reuse_archive = false;  // skip building when the archive exists
  std::size_t distractors = 100000;
  std::size_t originals = 100;  // queried as spun and clean copies
  std::size_t partial = 40;     // other originals, queried as partial copies
  std::size_t unseen = 1000;    // documents whose source is not in the archive
  std::vector<double> rates{0.1, 0.3, 0.5, 0.8};
  bool fit_part = false;  // use the build part (for --fit) instead of eval
  std::uint64_t seed = 12;
  std::size_t candidates = 12;
  std::size_t batch = 10000;      // documents per ingest transaction
  FingerprintParams fingerprint;  // for a newly built archive
  std::size_t max_gap_words = TraceOptions{}.max_gap_words;
  std::size_t max_postings = TraceOptions{}.max_postings;
};

struct KindFigures {
  std::string kind;  // "thesaurus 0.3", "partial phrase 0.5", "clean", "unseen"
  std::size_t queries = 0;
  std::size_t top1 = 0;          // top-1 is the true source
  std::size_t found = 0;         // ... and scores at least the threshold
  std::size_t false_source = 0;  // a wrong document scores at least the threshold at top-1
  std::size_t gold = 0, restored = 0, edits = 0, correct_edits = 0;  // restoration by alignment
};

struct BenchResult {
  std::vector<KindFigures> kinds;
  std::size_t archive_documents = 0;
  double archive_bytes_per_document = 0;
  double ingest_docs_per_second = 0;  // 0 when the archive was reused
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  double threshold = 0;
  // Evidence rows for fitting: (features, label), every candidate of every query.
  std::vector<std::vector<double>> rows;
  std::vector<int> labels;
  std::vector<double> unseen_top_scores;   // best score of every unseen query
  std::vector<double> true_source_scores;  // score of the true source when it is top-1
  std::string markdown() const;
};

BenchResult run_trace_bench(const BenchConfig& config, const std::function<void(const std::string&)>& log);

}  // namespace unspin::trace
