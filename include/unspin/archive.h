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
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
