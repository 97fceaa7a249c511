#include "seedrun/store/sqlite.hpp"

#include "seedrun/util/error.hpp"

#include <cmath>
#include <fmt/format.h>
#include <sqlite3.h>

namespace seedrun::store {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
  throw Error(fmt::format("database: {}: {}", what, db ? sqlite3_errmsg(db) : "out of memory"));
}

} // namespace

Statement::Statement(sqlite3* db, std::string_view sql) : m_db(db) {
  if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &m_stmt, nullptr) != SQLITE_OK) {
    fail(db, fmt::format("preparing '{}'", sql.substr(0, 60)));
  }
}

Statement::Statement(Database& owner, sqlite3_stmt* stmt, std::string sql)
    : m_db(owner.m_db), m_stmt(stmt), m_owner(&owner), m_sql(std::move(sql)) {}

Statement::~Statement() {
  if (m_owner != nullptr) {
    m_owner->give_back(std::move(m_sql), m_stmt);
  } else {
    sqlite3_finalize(m_stmt);
  }
}

Statement& Statement::bind(int index, std::optional<long long> value) {
  int rc = value ? sqlite3_bind_int64(m_stmt, index, *value) : sqlite3_bind_null(m_stmt, index);
  if (rc != SQLITE_OK) {
    fail(m_db, "bind");
  }
  return *this;
}

Statement& Statement::bind(int index, std::optional<double> value) {
  if (value && !std::isfinite(*value)) {
    return bind(index, std::optional<std::string>(std::isnan(*value) ? "nan" : (*value > 0 ? "inf" : "-inf")));
  }
  int rc = value ? sqlite3_bind_double(m_stmt, index, *value) : sqlite3_bind_null(m_stmt, index);
  if (rc != SQLITE_OK) {
    fail(m_db, "bind");
  }
  return *this;
}

Statement& Statement::bind_text(int index, std::string_view value) {
  if (sqlite3_bind_text(m_stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT) != SQLITE_OK) {
    fail(m_db, "bind");
  }
  return *this;
}

Statement& Statement::bind(int index, std::optional<std::string> value) {
  int rc = value ? sqlite3_bind_text(m_stmt, index, value->data(), static_cast<int>(value->size()), SQLITE_TRANSIENT)
                 : sqlite3_bind_null(m_stmt, index);
  if (rc != SQLITE_OK) {
    fail(m_db, "bind");
  }
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(m_stmt);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  fail(m_db, "step");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() {
  sqlite3_reset(m_stmt);
  sqlite3_clear_bindings(m_stmt);
}

bool Statement::is_null(int col) const {
  return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

long long Statement::get_int(int col) const {
  return sqlite3_column_int64(m_stmt, col);
}

std::optional<long long> Statement::get_opt_int(int col) const {
  return is_null(col) ? std::nullopt : std::optional<long long>(get_int(col));
}

double Statement::get_double(int col) const {
  if (sqlite3_column_type(m_stmt, col) == SQLITE_TEXT) {
    std::string t = get_text(col);
    if (t == "nan") {
      return std::nan("");
    }
    if (t == "inf") {
      return INFINITY;
    }
    if (t == "-inf") {
      return -INFINITY;
    }
  }
  return sqlite3_column_double(m_stmt, col);
}

std::optional<double> Statement::get_opt_double(int col) const {
  return is_null(col) ? std::nullopt : std::optional<double>(get_double(col));
}

std::string Statement::get_text(int col) const {
  auto p = sqlite3_column_text(m_stmt, col);
  return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(m_stmt, col)))
           : std::string();
}

std::optional<std::string> Statement::get_opt_text(int col) const {
  return is_null(col) ? std::nullopt : std::optional<std::string>(get_text(col));
}

Database::Database(const std::filesystem::path& path, int busy_timeout_ms) {
  if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      nullptr) != SQLITE_OK) {
    std::string msg = m_db ? sqlite3_errmsg(m_db) : "out of memory";
    sqlite3_close(m_db);
    throw Error(fmt::format("cannot open the store {}: {}", path.string(), msg));
  }
  sqlite3_busy_timeout(m_db, busy_timeout_ms);
  sqlite3_extended_result_codes(m_db, 1);
}

Database::~Database() {
  for (auto& [sql, stmt] : m_cache) {
    sqlite3_finalize(stmt);
  }
  sqlite3_close_v2(m_db);
}

namespace {
// Distinct statements kept; seedrun's store has a few dozen, so this only bounds a caller that
// formats values into SQL text.
constexpr size_t k_max_cached = 256;
} // namespace

Statement Database::prepare(std::string_view sql) {
  std::string key(sql);
  if (auto it = m_cache.find(key); it != m_cache.end()) {
    sqlite3_stmt* stmt = it->second;
    m_cache.erase(it);
    return Statement(*this, stmt, std::move(key));
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v3(m_db, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) !=
      SQLITE_OK) {
    fail(m_db, fmt::format("preparing '{}'", sql.substr(0, 60)));
  }
  return Statement(*this, stmt, std::move(key));
}

void Database::give_back(std::string sql, sqlite3_stmt* stmt) {
  if (stmt == nullptr) {
    return;
  }
  sqlite3_reset(stmt); // ends the statement's read; an error it reports was thrown by step()
  sqlite3_clear_bindings(stmt);
  if (m_cache.size() >= k_max_cached) {
    sqlite3_finalize(stmt);
    return;
  }
  m_cache.emplace(std::move(sql), stmt);
}

void Database::exec(std::string_view sql) {
  std::string s(sql);
  char* err = nullptr;
  if (sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "unknown error";
    sqlite3_free(err);
    throw Error(fmt::format("database: {}", msg));
  }
}

long long Database::last_insert_id() const {
  return sqlite3_last_insert_rowid(m_db);
}

void Database::release_memory() {
  sqlite3_db_release_memory(m_db);
}

int Database::changes() const {
  return sqlite3_changes(m_db);
}

void Database::transaction(const std::function<void()>& fn) {
  if (m_depth > 0) { // nested: join the outer transaction
    ++m_depth;
    try {
      fn();
    } catch (...) {
      --m_depth;
      throw;
    }
    --m_depth;
    return;
  }
  prepare("BEGIN IMMEDIATE").run();
  m_depth = 1;
  try {
    fn();
    prepare("COMMIT").run();
    m_depth = 0;
  } catch (...) {
    m_depth = 0;
    sqlite3_exec(m_db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

int Database::user_version() {
  auto st = prepare("PRAGMA user_version");
  st.step();
  return static_cast<int>(st.get_int(0));
}

void Database::set_user_version(int v) {
  exec(fmt::format("PRAGMA user_version = {}", v));
}

} // namespace seedrun::store
