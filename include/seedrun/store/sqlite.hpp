#pragma once
// A thin RAII layer over the SQLite C API; the only file that includes sqlite3.h is
// src/store/sqlite.cpp. Every failure becomes seedrun::Error with SQLite's message.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace seedrun::store {

class Database;

// One prepared statement. Made by Database::prepare, it comes from the database's cache and goes
// back to it (reset, bindings cleared) when destroyed, so a statement run once per run of a
// 100,000-run campaign is compiled once per process, not once per call. A Statement must not
// outlive its Database.
class Statement {
public:
  Statement(sqlite3* db, std::string_view sql); // not cached: finalized when destroyed
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds by 1-based index. std::nullopt binds NULL; non-finite doubles are stored as text
  // ('nan', 'inf', '-inf') because SQLite turns NaN into NULL.
  Statement& bind(int index, std::optional<long long> value);
  Statement& bind(int index, std::optional<double> value);
  Statement& bind(int index, std::optional<std::string> value);
  Statement& bind(int index, const char* value) { return bind(index, std::optional<std::string>(value)); }
  Statement& bind(int index, int value) { return bind(index, std::optional<long long>(value)); }
  Statement& bind(int index, long long value) { return bind(index, std::optional<long long>(value)); }
  Statement& bind(int index, double value) { return bind(index, std::optional<double>(value)); }
  Statement& bind(int index, const std::string& value) { return bind_text(index, value); }
  // Text without a copy into a std::optional first (SQLite copies it): one allocation less per
  // bound string, which counts when storing 150,000 points.
  Statement& bind_text(int index, std::string_view value);

  // Advances; true while a row is available.
  bool step();
  // Runs to completion (for statements without rows).
  void run();
  void reset();

  bool is_null(int col) const;
  long long get_int(int col) const;
  std::optional<long long> get_opt_int(int col) const;
  double get_double(int col) const; // reads back 'nan'/'inf' text too
  std::optional<double> get_opt_double(int col) const;
  std::string get_text(int col) const;
  std::optional<std::string> get_opt_text(int col) const;

private:
  friend class Database;
  Statement(Database& owner, sqlite3_stmt* stmt, std::string sql);

  sqlite3* m_db;
  sqlite3_stmt* m_stmt = nullptr;
  Database* m_owner = nullptr; // set: given back to m_owner's cache under m_sql
  std::string m_sql;
};

class Database {
public:
  // Opens (creating) the file. busy_timeout is set so concurrent writers wait, not fail.
  explicit Database(const std::filesystem::path& path, int busy_timeout_ms = 15000);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  void exec(std::string_view sql);
  // A statement for `sql`, from the cache when one is free (a statement still in use is not
  // shared: a second one is prepared).
  Statement prepare(std::string_view sql);
  long long last_insert_id() const;
  int changes() const;
  // Gives the page cache's unused pages back (sqlite3_db_release_memory): after a refresh has
  // settled 100,000 runs, before it builds their reports.
  void release_memory();

  // Runs `fn` inside BEGIN IMMEDIATE ... COMMIT; rolls back and rethrows on any exception.
  // IMMEDIATE takes the write lock up front so two refreshes never interleave a read-modify-write.
  void transaction(const std::function<void()>& fn);
  bool in_transaction() const { return m_depth > 0; }

  int user_version();
  void set_user_version(int v);

private:
  friend class Statement;
  void give_back(std::string sql, sqlite3_stmt* stmt);

  sqlite3* m_db = nullptr;
  int m_depth = 0;
  // Free prepared statements by their SQL text (bounded: k_max_cached).
  std::unordered_multimap<std::string, sqlite3_stmt*> m_cache;
};

} // namespace seedrun::store
