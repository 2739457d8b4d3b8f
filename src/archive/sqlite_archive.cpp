#include "archive/sqlite_archive.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <utility>

#include "archive/sqlite.h"
#include "unspin/error.h"

namespace unspin::archive {

std::string pack_features(const std::vector<Feature>& features) {
  std::string out(features.size() * 8, '\0');
  for (std::size_t i = 0; i < features.size(); ++i) {
    for (int b = 0; b < 8; ++b) out[i * 8 + b] = static_cast<char>((features[i] >> (8 * b)) & 0xff);
  }
  return out;
}

std::vector<Feature> unpack_features(std::string_view blob) {
  if (blob.size() % 8 != 0) {
    throw Error(ErrorCode::kBadModel, "archive: a document's feature list is damaged (" + std::to_string(blob.size()) +
                                          " bytes); run `unspin archive verify`");
  }
  std::vector<Feature> out(blob.size() / 8);
  for (std::size_t i = 0; i < out.size(); ++i) {
    Feature f = 0;
    for (int b = 0; b < 8; ++b) f |= static_cast<Feature>(static_cast<unsigned char>(blob[i * 8 + b])) << (8 * b);
    out[i] = f;
  }
  return out;
}

namespace {

constexpr const char* kCreateSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE documents(
  key INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL,
  words INTEGER NOT NULL,
  features BLOB NOT NULL);
CREATE TABLE postings(
  feature INTEGER NOT NULL,
  doc INTEGER NOT NULL,
  PRIMARY KEY(feature, doc)) WITHOUT ROWID;
)sql";

// SQLite stores signed 64-bit integers; features are hashes, so the cast is a bijection.
std::int64_t as_sql(Feature f) { return static_cast<std::int64_t>(f); }

Database::Mode mode_of(SqliteArchive::Access access) {
  switch (access) {
    case SqliteArchive::Access::kRead: return Database::Mode::kReadOnly;
    case SqliteArchive::Access::kWrite: return Database::Mode::kReadWrite;
    case SqliteArchive::Access::kCreateOrWrite: return Database::Mode::kCreate;
  }
  return Database::Mode::kReadOnly;
}

}  // namespace

struct SqliteArchive::Impl {
  Database db;
  // Prepared once: the hot paths of ingest and query.
  std::unique_ptr<Statement> find_by_id, insert_document, delete_document, insert_posting, delete_posting,
      select_postings, select_document;

  Impl(const std::string& path, Access access) : db(path, mode_of(access)) {
    check_or_create(access);
    // A writer keeps more of the index in memory: batch inserts touch pages
    // all over it (the readers' default 64 MiB is plenty for queries).
    db.exec(std::string("PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=") +
            (access == Access::kRead                   ? "-65536"
             : std::getenv("UNSPIN_ARCHIVE_CACHE_KIB") ? std::string("-") + std::getenv("UNSPIN_ARCHIVE_CACHE_KIB")
                                                       : "-262144"));
    find_by_id = std::make_unique<Statement>(db, "SELECT key, features FROM documents WHERE id = ?1");
    select_postings = std::make_unique<Statement>(db, "SELECT doc FROM postings WHERE feature = ?1 LIMIT ?2");
    select_document = std::make_unique<Statement>(db, "SELECT key, id, text FROM documents WHERE key = ?1");
    if (access != Access::kRead) {
      insert_document =
          std::make_unique<Statement>(db, "INSERT INTO documents(id, text, words, features) VALUES (?1, ?2, ?3, ?4)");
      delete_document = std::make_unique<Statement>(db, "DELETE FROM documents WHERE key = ?1");
      insert_posting = std::make_unique<Statement>(db, "INSERT OR IGNORE INTO postings(feature, doc) VALUES (?1, ?2)");
      delete_posting = std::make_unique<Statement>(db, "DELETE FROM postings WHERE feature = ?1 AND doc = ?2");
    }
  }

  void check_or_create(Access access) {
    std::int64_t app_id = 0, version = 0;
    try {
      app_id = db.query_int("PRAGMA application_id");
      version = db.query_int("PRAGMA user_version");
    } catch (const Error&) {
      throw Error(ErrorCode::kBadModel, "archive " + db.path() + " is not an SQLite database (not an unspin archive)");
    }
    const std::int64_t tables = db.query_int("SELECT count(*) FROM sqlite_schema");
    if (app_id == 0 && version == 0 && tables == 0) {
      if (access == Access::kRead) {
        throw Error(ErrorCode::kBadModel,
                    "archive " + db.path() + " is empty; add documents with `unspin archive add`");
      }
      // WAL must be chosen outside a transaction; it persists in the file.
      db.exec("PRAGMA journal_mode=WAL");
      Transaction tx(db);
      db.exec(kCreateSchema);
      db.exec("PRAGMA application_id=" + std::to_string(kApplicationId) +
              "; PRAGMA user_version=" + std::to_string(kSchemaVersion));
      tx.commit();
      return;
    }
    if (app_id != kApplicationId) {
      throw Error(ErrorCode::kBadModel, "archive " + db.path() + " is an SQLite database but not an unspin archive");
    }
    if (version > kSchemaVersion) {
      throw Error(ErrorCode::kBadModel, "archive " + db.path() + " has schema version " + std::to_string(version) +
                                            ", newer than this unspin reads (" + std::to_string(kSchemaVersion) +
                                            "); upgrade unspin");
    }
    if (version < kSchemaVersion) {
      throw Error(ErrorCode::kBadModel, "archive " + db.path() + " has unknown schema version " +
                                            std::to_string(version) + "; rebuild it with `unspin archive add`");
    }
  }

  void delete_existing(DocKey key, std::string_view features_blob) {
    for (Feature f : unpack_features(features_blob)) {
      delete_posting->bind(1, as_sql(f)).bind(2, key);
      delete_posting->run();
    }
    delete_document->bind(1, key);
    delete_document->run();
  }

  // The key and features of the document with this id, when it exists.
  std::optional<std::pair<DocKey, std::string>> lookup(std::string_view id) {
    find_by_id->bind(1, id);
    std::optional<std::pair<DocKey, std::string>> found;
    if (find_by_id->step()) found.emplace(find_by_id->column_int(0), std::string(find_by_id->column_blob(1)));
    find_by_id->reset();
    return found;
  }
};

SqliteArchive::SqliteArchive(const std::string& path, Access access) : impl_(std::make_unique<Impl>(path, access)) {}

SqliteArchive::~SqliteArchive() = default;

std::vector<bool> SqliteArchive::add(const std::vector<NewDocument>& documents) {
  if (!impl_->insert_document) throw Error(ErrorCode::kInternal, "archive opened read-only");
  std::vector<bool> replaced;
  replaced.reserve(documents.size());
  std::vector<std::pair<Feature, DocKey>> new_postings;
  Transaction tx(impl_->db);
  for (const NewDocument& doc : documents) {
    auto existing = impl_->lookup(doc.id);
    if (existing) {
      impl_->delete_existing(existing->first, existing->second);
      // An id given twice in one batch: its first version's postings are
      // still pending (and SQLite may reuse its key for the next insert).
      std::erase_if(new_postings, [&](const auto& p) { return p.second == existing->first; });
    }
    replaced.push_back(existing.has_value());
    const std::string blob = pack_features(doc.features);
    Statement& ins = *impl_->insert_document;
    ins.bind(1, doc.id)
        .bind(2, doc.text)
        .bind(3, static_cast<std::int64_t>(doc.words))
        .bind_blob(4, blob.data(), blob.size());
    ins.run();
    const DocKey key = sqlite3_last_insert_rowid(impl_->db.handle());
    for (Feature f : doc.features) new_postings.emplace_back(f, key);
  }
  // Inserting in index order touches each B-tree page once per batch.
  std::sort(new_postings.begin(), new_postings.end(), [](const auto& a, const auto& b) {
    return as_sql(a.first) != as_sql(b.first) ? as_sql(a.first) < as_sql(b.first) : a.second < b.second;
  });
  for (const auto& [feature, key] : new_postings) {
    impl_->insert_posting->bind(1, as_sql(feature)).bind(2, key);
    impl_->insert_posting->run();
  }
  tx.commit();
  return replaced;
}

std::vector<bool> SqliteArchive::remove(const std::vector<std::string>& ids) {
  if (!impl_->delete_document) throw Error(ErrorCode::kInternal, "archive opened read-only");
  std::vector<bool> existed;
  Transaction tx(impl_->db);
  for (const std::string& id : ids) {
    auto existing = impl_->lookup(id);
    if (existing) impl_->delete_existing(existing->first, existing->second);
    existed.push_back(existing.has_value());
  }
  tx.commit();
  return existed;
}

std::vector<DocKey> SqliteArchive::postings(Feature feature, std::size_t limit) {
  Statement& st = *impl_->select_postings;
  st.bind(1, as_sql(feature)).bind(2, static_cast<std::int64_t>(limit) + 1);
  std::vector<DocKey> out;
  while (st.step()) out.push_back(st.column_int(0));
  st.reset();
  return out;
}

std::optional<StoredDocument> SqliteArchive::document(DocKey key) {
  Statement& st = *impl_->select_document;
  st.bind(1, key);
  std::optional<StoredDocument> out;
  if (st.step()) out = StoredDocument{st.column_int(0), std::string(st.column_text(1)), std::string(st.column_text(2))};
  st.reset();
  return out;
}

std::optional<StoredDocument> SqliteArchive::document_by_id(std::string_view id) {
  auto found = impl_->lookup(id);
  if (!found) return std::nullopt;
  return document(found->first);
}

std::int64_t SqliteArchive::document_count() { return impl_->db.query_int("SELECT count(*) FROM documents"); }

ArchiveStats SqliteArchive::stats() {
  ArchiveStats s;
  Statement st(impl_->db,
               "SELECT count(*), coalesce(sum(words), 0), coalesce(sum(length(CAST(text AS BLOB))), 0), "
               "coalesce(sum(length(features)) / 8, 0) FROM documents");
  if (st.step()) {
    s.documents = st.column_int(0);
    s.words = st.column_int(1);
    s.text_bytes = st.column_int(2);
    s.postings = st.column_int(3);
  }
  s.schema_version = impl_->db.query_int("PRAGMA user_version");
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm"}) {
    const auto size = std::filesystem::file_size(impl_->db.path() + suffix, ec);
    if (!ec) s.file_bytes += static_cast<std::int64_t>(size);
  }
  s.index_parameters = index_parameters();
  return s;
}

VerifyReport SqliteArchive::verify() {
  VerifyReport report;
  auto problem = [&](std::string text) {
    report.ok = false;
    if (report.problems.size() < 20) report.problems.push_back(std::move(text));
  };
  {
    Statement st(impl_->db, "PRAGMA integrity_check");
    while (st.step()) {
      const std::string_view line = st.column_text(0);
      if (line != "ok") problem("integrity_check: " + std::string(line));
    }
  }
  if (!report.ok) return report;  // the file itself is damaged: the rest would mislead
  const std::int64_t postings = impl_->db.query_int("SELECT count(*) FROM postings");
  std::int64_t expected = 0;
  Statement docs(impl_->db, "SELECT key, id, features FROM documents");
  Statement has(impl_->db, "SELECT 1 FROM postings WHERE feature = ?1 AND doc = ?2");
  while (docs.step()) {
    const DocKey key = docs.column_int(0);
    std::vector<Feature> features;
    try {
      features = unpack_features(docs.column_blob(2));
    } catch (const Error&) {
      problem("document " + std::string(docs.column_text(1)) + ": damaged feature list");
      continue;
    }
    expected += static_cast<std::int64_t>(features.size());
    for (Feature f : features) {
      has.bind(1, as_sql(f)).bind(2, key);
      const bool present = has.step();
      has.reset();
      if (!present) {
        problem("document " + std::string(docs.column_text(1)) + ": a feature is missing from the index");
        break;
      }
    }
  }
  if (postings != expected) {
    problem("the index holds " + std::to_string(postings) + " postings, the documents " + std::to_string(expected));
  }
  const std::int64_t orphans =
      impl_->db.query_int("SELECT count(*) FROM postings WHERE doc NOT IN (SELECT key FROM documents)");
  if (orphans != 0) problem(std::to_string(orphans) + " postings point at no document");
  return report;
}

std::string SqliteArchive::index_parameters() {
  return impl_->db.query_text("SELECT value FROM meta WHERE key = 'index_parameters'");
}

void SqliteArchive::set_index_parameters(const std::string& parameters) {
  Transaction tx(impl_->db);
  Statement st(impl_->db, "INSERT OR REPLACE INTO meta(key, value) VALUES ('index_parameters', ?1)");
  st.bind(1, parameters);
  st.run();
  tx.commit();
}

}  // namespace unspin::archive
