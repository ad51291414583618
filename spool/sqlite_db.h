// A thin RAII layer over the SQLite C API: a connection with cached prepared statements, a
// statement with typed binds and columns, and a transaction guard. Every SQLite return code
// becomes a Status here, with the operation, the database path and sqlite3_errmsg.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "spool/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace spool {

class SqliteDb;

// A prepared statement. Bind indexes start at 1, column indexes at 0. Not thread-safe.
class Statement {
 public:
  Statement(SqliteDb& db, sqlite3_stmt* stmt) : db_(&db), stmt_(stmt) {}
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, const char* text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, const std::string& text) { return Bind(index, std::string_view(text)); }
  Statement& Bind(int index, std::nullopt_t);
  Statement& Bind(int index, const std::optional<int64_t>& value);
  Statement& Bind(int index, const std::optional<std::string>& value);
  Statement& BindBlob(int index, std::string_view bytes);

  // true: a row is available; false: done. Errors carry the SQL's first words.
  Result<bool> Step();
  // Steps to completion, ignoring rows.
  Status Run();
  // Clears bindings and rewinds, ready for reuse.
  void Reset();

  int64_t Int(int col) const;
  std::string Text(int col) const;
  std::string Blob(int col) const;
  bool IsNull(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::optional<std::string> OptText(int col) const;

 private:
  SqliteDb* db_;
  sqlite3_stmt* stmt_;
  Status bind_error_;
};

// One connection. Not thread-safe: the owner serialises access.
class SqliteDb {
 public:
  struct Options {
    int busy_timeout_ms = 5000;
    std::string vfs;  // empty: SQLite's default VFS
  };

  static Result<std::unique_ptr<SqliteDb>> Open(const std::string& path, const Options& options);
  ~SqliteDb();
  SqliteDb(const SqliteDb&) = delete;
  SqliteDb& operator=(const SqliteDb&) = delete;

  Status Exec(const std::string& sql);
  Result<Statement> Prepare(std::string_view sql);
  // A cached statement for `sql` (a string literal: the pointer is the cache key), ready to
  // bind. The returned guard resets it when it goes out of scope, so no statement keeps a read
  // snapshot open between transactions. One guard per sql at a time.
  class CachedStatement;
  Result<CachedStatement> Cached(const char* sql);
  int64_t LastInsertId() const;
  int Changes() const;
  bool InTransaction() const;

  // The Status for SQLite result code `rc` of `operation`.
  Status Error(int rc, std::string_view operation) const;
  const std::string& path() const { return path_; }
  sqlite3* handle() { return db_; }

 private:
  SqliteDb(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_;
  std::string path_;
  std::map<const char*, std::unique_ptr<Statement>> cache_;
};

class SqliteDb::CachedStatement {
 public:
  explicit CachedStatement(Statement* stmt) : stmt_(stmt) {}
  CachedStatement(CachedStatement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  CachedStatement& operator=(CachedStatement&&) = delete;
  ~CachedStatement() {
    if (stmt_ != nullptr) stmt_->Reset();
  }
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

// BEGIN IMMEDIATE on construction (Begin()), ROLLBACK on destruction unless Commit() succeeded.
// IMMEDIATE takes the write lock up front, so two writers never deadlock on lock upgrade.
class Transaction {
 public:
  explicit Transaction(SqliteDb& db) : db_(db) {}
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Begin();
  Status Commit();

 private:
  SqliteDb& db_;
  bool open_ = false;
};

}  // namespace spool
