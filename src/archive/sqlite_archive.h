// ArchiveStore in one SQLite file (the default, embedded archive).
//
// Layout (schema version kSchemaVersion in PRAGMA user_version, application_id
// kApplicationId so a foreign database is refused):
//   meta(key, value)                       index parameters, creation info
//   documents(key, id UNIQUE, text, words, features BLOB)
//                                          features: the document's sorted
//                                          feature hashes, 8 bytes each (LE)
//   postings(feature, doc) WITHOUT ROWID   the inverted index, clustered by feature
// Crash safety: WAL journal, synchronous=NORMAL: a committed transaction
// survives a killed process (and, barring power loss, the OS); an
// uncommitted one is rolled back on the next open. Every write is one
// transaction (see ArchiveStore's contract).
#pragma once

#include <memory>
#include <string>

#include "unspin/trace.h"

namespace unspin::archive {

inline constexpr int kSchemaVersion = 1;
inline constexpr std::int32_t kApplicationId = 0x554e5350;  // "UNSP"

class SqliteArchive final : public ArchiveStore {
 public:
  enum class Access { kRead, kWrite, kCreateOrWrite };
  // Throws Error(kIo) when the file cannot be opened or is missing (kRead,
  // kWrite), Error(kBadModel) when it is not an unspin archive or was written
  // by a newer schema version.
  SqliteArchive(const std::string& path, Access access);
  ~SqliteArchive() override;

  std::vector<bool> add(const std::vector<NewDocument>& documents) override;
  std::vector<bool> remove(const std::vector<std::string>& ids) override;
  std::vector<DocKey> postings(Feature feature, std::size_t limit) override;
  std::optional<StoredDocument> document(DocKey key) override;
  std::optional<StoredDocument> document_by_id(std::string_view id) override;
  std::int64_t document_count() override;
  ArchiveStats stats() override;
  VerifyReport verify() override;
  std::string index_parameters() override;
  void set_index_parameters(const std::string& parameters) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Little-endian packing of feature lists (the documents.features column).
std::string pack_features(const std::vector<Feature>& features);
// Throws Error(kBadModel) when the blob's size is not a multiple of 8.
std::vector<Feature> unpack_features(std::string_view blob);

}  // namespace unspin::archive
