// Trace a spun copy to its source in an archive of originals, and restore it
// exactly from that source.
//
//   auto store = unspin::open_archive("news.db", unspin::ArchiveAccess::kRead);
//   unspin::Tracer tracer(*store, {});
//   unspin::TraceResult r = tracer.trace(spun_text);        // ranked sources
//   auto restored = tracer.restore_from_source(spun_text);  // or std::nullopt
//
// Method (docs/TRACE.md): candidates come from an inverted index of features
// spinners leave alone (the order of names and numbers, the function-word
// skeleton); each candidate is re-ranked by a word alignment to the spun
// text, which also yields the substitutions. A Tracer is not thread-safe
// (the store's prepared statements are per connection): one per thread.
//
// The archive the tracer reads is a store behind an interface
// (archive::ArchiveStore, below); open_archive() opens the SQLite one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "unspin/restore.h"

// The archive of originals behind an interface: the embedded SQLite file
// (src/archive/sqlite_archive.h, unspin::open_archive) implements it today; a
// shared server database can implement it later without touching trace.
//
// The store knows nothing about text analysis: a document arrives with its
// retrieval features already computed (src/trace/fingerprint.h) and the store
// keeps the text, the features and an inverted index feature -> documents.
//
// Contract for every implementation:
//  - add() is atomic per call: after a crash, each document of the batch is
//    either fully present (text, features, postings) or absent, and a
//    document it replaced is either the old or the new version, never a mix.
//  - An id is unique; adding an existing id replaces that document.
//  - Reads see only committed data.

namespace unspin::archive {

using Feature = std::uint64_t;
using DocKey = std::int64_t;  // the store's internal handle of a document

struct NewDocument {
  std::string id;
  std::string text;
  std::uint32_t words = 0;
  std::vector<Feature> features;  // sorted, unique
};

struct StoredDocument {
  DocKey key = 0;
  std::string id;
  std::string text;
};

struct ArchiveStats {
  std::int64_t documents = 0;
  std::int64_t words = 0;
  std::int64_t text_bytes = 0;
  std::int64_t postings = 0;
  std::int64_t file_bytes = 0;  // on disk, including the journal
  std::int64_t schema_version = 0;
  std::string index_parameters;  // the fingerprint parameters the index was built with
};

struct VerifyReport {
  bool ok = true;
  std::vector<std::string> problems;  // empty when ok
};

class ArchiveStore {
 public:
  virtual ~ArchiveStore() = default;

  // Adds (or replaces) the documents in one transaction. Returns, for each
  // input in order, whether it replaced an existing document with that id.
  virtual std::vector<bool> add(const std::vector<NewDocument>& documents) = 0;
  // Removes the documents with these ids in one transaction; returns for
  // each id whether it existed.
  virtual std::vector<bool> remove(const std::vector<std::string>& ids) = 0;

  // The documents whose postings include `feature`, at most `limit` + 1 of
  // them (so the caller can tell "more than limit" from "exactly limit").
  virtual std::vector<DocKey> postings(Feature feature, std::size_t limit) = 0;
  virtual std::optional<StoredDocument> document(DocKey key) = 0;
  virtual std::optional<StoredDocument> document_by_id(std::string_view id) = 0;
  virtual std::int64_t document_count() = 0;

  virtual ArchiveStats stats() = 0;
  // Structural check of the store (for SQLite: PRAGMA integrity_check) and of
  // its own invariants (every document's features are in the index and back).
  virtual VerifyReport verify() = 0;

  // The fingerprint parameters the index was built with (an opaque string the
  // trace layer writes once and checks on every open; empty for a new store).
  virtual std::string index_parameters() = 0;
  virtual void set_index_parameters(const std::string& parameters) = 0;
};

}  // namespace unspin::archive

namespace unspin {

enum class ArchiveAccess { kRead, kWrite, kCreateOrWrite };
// Opens (or creates) the embedded SQLite archive. Throws unspin::Error:
// kIo (missing, unreadable), kBadModel (not an unspin archive, newer schema).
std::unique_ptr<archive::ArchiveStore> open_archive(const std::string& path, ArchiveAccess access);

struct TraceOptions {
  std::size_t max_input_bytes = 64u << 20;
  std::size_t candidates = 12;      // documents re-ranked by alignment per query
  std::size_t max_postings = 1000;  // features found in more documents are too common to vote
  std::size_t max_gap_words = 8;    // longest substitution run (words, either side)
  std::size_t max_sources = 3;      // sources reported per query
  double min_score = 0.05;          // sources below this score are not reported
  // Score at or above which a source counts as found (restore by alignment,
  // `source` in check/restore JSON). See docs/TRACE.md for how it was set.
  double source_threshold = 0.5;
};

struct TracedSubstitution {
  std::uint32_t offset = 0, length = 0;                // span of the spun text, code points
  std::uint32_t byte_offset = 0, byte_length = 0;      // the same span in bytes
  std::string spun;                                    // the spun text of the span
  std::string original;                                // the source text it replaced
  std::uint32_t source_offset = 0, source_length = 0;  // span in the source, code points
};

struct TracedSource {
  std::string id;
  double score = 0;               // 0..1: calibrated probability this is the source
  double aligned = 0;             // share of the spun text's words aligned to the source
  std::size_t matched_words = 0;  // spun words identical to their aligned source word
  // The rest of the evidence behind `score` (docs/TRACE.md), each 0..1:
  double balanced = 0;                            // share of spun words matched or in a word-for-word substitution
  double anchors = 0;                             // share of the spun text's names and numbers matched (0.5 when none)
  double content = 0;                             // share of the spun text's content words matched
  double weakest_quarter = 0;                     // `aligned` of the least aligned quarter of the spun text
  std::vector<TracedSubstitution> substitutions;  // in input order
};

struct TraceResult {
  std::vector<TracedSource> sources;  // best first, score >= min_score
  std::size_t words = 0;              // word tokens of the input
  std::size_t features = 0;           // retrieval features of the input
  std::size_t candidates = 0;         // documents re-ranked
};

// One (original, spun) pair the spinner made, with how often it was seen.
struct TracedPair {
  std::string original, spun;     // lowercase
  std::size_t count = 0;          // times substituted in the traced texts
  std::size_t original_seen = 0;  // times the original occurred in the aligned source text
};

// The evidence of `learn --archive`, as sums that merge: partitions of a
// crawl are counted apart (Tracer::aligned_counts, one page at a time, any
// thread) and added in any order; Tracer::traced_pairs(counts) then reads the
// traced sources back from the archive for the table's denominators. Ordered
// maps, so serialize() is deterministic.
struct AlignedCounts {
  std::size_t pages = 0;                       // pages counted, traced or not
  std::map<std::string, std::size_t> sources;  // archive id of a traced page's source -> pages traced to it
  std::map<std::pair<std::string, std::string>, std::size_t> substitutions;  // (original, spun) -> times substituted

  void merge(const AlignedCounts& other);
  // JSON lines (docs/SCHEMA.md §9, "Aligned counts"): a header line
  // {"format":"unspin aligned-counts","version":1,"pages":N}, then one line
  // per source and one per pair, each kind sorted. parse() reads untrusted
  // files: anything malformed throws Error(kBadData) naming the line.
  std::string serialize() const;
  static AlignedCounts parse(std::string_view text);
};

// Traced pairs as the pairs of a learned table (`learn --archive`): prior =
// count / occurrences of the original in the traced sources (how often the
// spinner replaced it by this form where it occurred); pairs below
// `min_prior` left out. Write them with learned_table_text(..., aligned = true).
std::vector<LearnedPair> aligned_table(const std::vector<TracedPair>& traced, double min_prior = 0);

struct SourceRestoration {
  DocumentResult result;  // edits with rule "UNSPIN_SOURCE", restored text
  std::string source_id;
  double source_score = 0;
};

class Tracer {
 public:
  // Reads the archive's index parameters; throws Error(kBadModel) when the
  // archive was indexed with parameters this version cannot query.
  Tracer(archive::ArchiveStore& store, TraceOptions options);
  ~Tracer();
  Tracer(const Tracer&) = delete;
  Tracer& operator=(const Tracer&) = delete;

  // Validates the input (UTF-8, binary, size, empty: unspin::Error).
  TraceResult trace(std::string_view text);
  // The restoration by alignment with the best source, when it scores at
  // least options.source_threshold; std::nullopt otherwise (fall back to the
  // decoder). Every substitution becomes an Edit (rule "UNSPIN_SOURCE",
  // confidence = the source's score).
  std::optional<SourceRestoration> restore_from_source(std::string_view text);
  // One page's aligned counts: pages = 1 and, when its best source reaches
  // options.source_threshold, that source and the page's substitutions (as
  // table phrases: folded, punctuation trimmed, identical sides dropped).
  // Validates the input as trace() does.
  AlignedCounts aligned_counts(std::string_view text);
  // The pairs of merged counts, most frequent first (ties in (original,
  // spun) order): each original's occurrences, as whole words, are counted in
  // every traced source, once per page traced to it. Throws Error(kBadData)
  // naming the id when a source is no longer in the archive.
  std::vector<TracedPair> traced_pairs(const AlignedCounts& counts);
  // Substitution pairs of every text whose best source reaches the threshold
  // (the spinner's table, for `unspin learn`): traced_pairs() of the texts'
  // merged aligned_counts().
  std::vector<TracedPair> traced_pairs(const std::vector<std::string_view>& texts);

  const TraceOptions& options() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Ingest: computes each document's features with the archive's parameters
// (fixing them on the first add) and adds the batch in one transaction.
struct ArchiveDocument {
  std::string id;
  std::string text;
};
// Returns for each document whether it replaced one with the same id.
// Throws Error(kUsage) for an empty id, and the input checks' errors for text.
std::vector<bool> add_to_archive(archive::ArchiveStore& store, const std::vector<ArchiveDocument>& documents,
                                 std::size_t max_input_bytes = 64u << 20);

}  // namespace unspin
