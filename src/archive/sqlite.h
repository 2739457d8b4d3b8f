// A thin RAII layer over the SQLite C API (internal to src/archive).
//
// Contract: every failure of SQLite becomes unspin::Error carrying the
// database's own message and the statement that failed; no SQLite handle is
// ever leaked or finalized twice. Not thread-safe: one Database per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "unspin/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace unspin::archive {

class Database {
 public:
  enum class Mode { kReadOnly, kReadWrite, kCreate };
  // Throws Error(kIo) when the file cannot be opened (or, with kReadOnly and
  // kReadWrite, does not exist).
  Database(const std::string& path, Mode mode);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  // Runs one or more statements without results; throws on failure.
  void exec(std::string_view sql);
  // The first column of the first row of `sql` as an integer (0 when no row).
  std::int64_t query_int(std::string_view sql);
  std::string query_text(std::string_view sql);
  std::int64_t changes() const;
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }
  // Throws the database's last error: kIo for I/O, disk full, permissions and
  // locks; kBadModel for a damaged or foreign file; kInternal otherwise (a bug).
  [[noreturn]] void fail(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A prepared statement, reset after each use by the caller (reset()).
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, std::int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind_blob(int index, const void* data, std::size_t size);
  // Advances; true while a row is available, false when done. Throws on error.
  bool step();
  // Runs a statement that returns no row.
  void run();
  void reset();

  std::int64_t column_int(int column) const;
  std::string_view column_text(int column) const;  // valid until the next step/reset
  std::string_view column_blob(int column) const;  // valid until the next step/reset

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;
};

// BEGIN IMMEDIATE on construction; ROLLBACK on destruction unless commit()ed,
// so an exception mid-write leaves the database as it was.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

}  // namespace unspin::archive
