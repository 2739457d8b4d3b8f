#include "archive/sqlite.h"

#include <sqlite3.h>

#include <filesystem>

namespace unspin::archive {

Database::Database(const std::string& path, Mode mode) : path_(path) {
  int flags = SQLITE_OPEN_NOMUTEX;
  if (mode == Mode::kReadOnly) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (mode == Mode::kCreate) flags |= SQLITE_OPEN_CREATE;
  }
  std::error_code ec;
  if (mode != Mode::kCreate && !std::filesystem::exists(path, ec)) {
    throw Error(ErrorCode::kIo, "archive " + path + " does not exist; create it with `unspin archive add --archive " +
                                    path + " FILES...`");
  }
  if (std::filesystem::is_directory(path, ec)) {
    throw Error(ErrorCode::kIo, "archive " + path + " is a directory; give a file");
  }
  const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw Error(ErrorCode::kIo, "cannot open archive " + path + ": " + message);
  }
  sqlite3_extended_result_codes(db_, 1);
  // A second process writing the same archive waits instead of failing at once.
  sqlite3_busy_timeout(db_, 10000);
}

Database::~Database() { sqlite3_close(db_); }

void Database::fail(std::string_view what) const {
  const int rc = sqlite3_extended_errcode(db_);
  ErrorCode mapped = ErrorCode::kInternal;
  // Disk full, permissions, locking and read errors are I/O; a file that is
  // not a database or is damaged is a bad data file.
  const int primary = rc & 0xff;
  if (primary == SQLITE_IOERR || primary == SQLITE_FULL || primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY ||
      primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_PERM) {
    mapped = ErrorCode::kIo;
  } else if (primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT) {
    mapped = ErrorCode::kBadModel;
  }
  throw Error(mapped, "archive " + path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_));
}

void Database::exec(std::string_view sql) {
  const std::string owned(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, owned.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    const std::string text = message ? message : "unknown error";
    sqlite3_free(message);
    throw Error(ErrorCode::kIo, "archive " + path_ + ": \"" + owned.substr(0, 60) + "\": " + text);
  }
}

std::int64_t Database::query_int(std::string_view sql) {
  Statement st(*this, sql);
  return st.step() ? st.column_int(0) : 0;
}

std::string Database::query_text(std::string_view sql) {
  Statement st(*this, sql);
  return st.step() ? std::string(st.column_text(0)) : std::string();
}

std::int64_t Database::changes() const { return sqlite3_changes64(db_); }

Statement::Statement(Database& db, std::string_view sql) : db_(db), sql_(sql) {
  if (sqlite3_prepare_v2(db.handle(), sql_.data(), static_cast<int>(sql_.size()), &stmt_, nullptr) != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    db_.fail("preparing \"" + sql_.substr(0, 60) + "\"");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, std::int64_t value) {
  if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) db_.fail("bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  if (sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8) != SQLITE_OK) {
    db_.fail("bind");
  }
  return *this;
}

Statement& Statement::bind_blob(int index, const void* data, std::size_t size) {
  if (sqlite3_bind_blob64(stmt_, index, size ? data : "", size, SQLITE_TRANSIENT) != SQLITE_OK) {
    db_.fail("bind");
  }
  return *this;
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.fail("\"" + sql_.substr(0, 60) + "\"");
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string_view Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return text ? std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size))
              : std::string_view();
}

std::string_view Statement::column_blob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  return data ? std::string_view(static_cast<const char*>(data), static_cast<std::size_t>(size)) : std::string_view();
}

Transaction::Transaction(Database& db) : db_(db) { db_.exec("BEGIN IMMEDIATE"); }

Transaction::~Transaction() {
  if (open_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT");
  open_ = false;
}

}  // namespace unspin::archive
