#pragma once
// Forward-only schema migrations keyed by PRAGMA user_version. Throws seedrun::Error when the
// file is newer than this binary understands (never downgrades, never guesses).
#include "seedrun/store/sqlite.hpp"
#include "seedrun/util/error.hpp"

namespace seedrun::store {

int latest_schema_version();
void migrate(Database& db);

} // namespace seedrun::store
