#pragma once
// The training-health findings `seedrun refresh` computed, kept per campaign so that `status`
// and `analyze` show them without reading every run's files again (docs/health.md, "In
// refresh, status and analyze"). One JSON file per campaign, <state>/health/campaign-<id>.json,
// written atomically. A cache that is missing, unreadable or from another version reads as
// empty (the next refresh rebuilds it); it is never an error.
#include "seedrun/report/health_report.hpp"
#include "seedrun/stats/health.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace seedrun::report {

// One run's findings as the last refresh that looked at it found them.
struct CachedRunHealth {
  std::string fingerprint; // what the run's data looked like then (track/health_refresh.cpp)
  std::string settings;    // the thresholds it was checked with (a digest)
  bool final = false;      // the run had ended: its data does not change any more
  std::string checked_at;  // ISO 8601
  bool evaluated = false;  // at least one rule had data
  std::vector<stats::Finding> findings;
  std::vector<std::string> warnings; // unreadable lines, missing files
};

struct HealthCache {
  std::map<long long, CachedRunHealth> runs; // by run id
};

std::filesystem::path health_cache_path(const std::filesystem::path& state_dir, long long campaign_id);
HealthCache read_health_cache(const std::filesystem::path& path);
// Throws seedrun::Error when the file cannot be written.
void write_health_cache(const std::filesystem::path& path, const HealthCache& cache);

// The findings of a check (fingerprint, final and checked_at are left to the caller).
CachedRunHealth to_cached(const RunHealth& health);

// "ok", "no data", or "2 findings" (one word for a status column).
std::string health_short(const CachedRunHealth& h);
// "ok", "no data", or "1 problem, 0 warnings: kl_spike at step 70, rollout_p95".
std::string health_phrase(const std::vector<stats::Finding>& findings, bool evaluated);
// A run with a finding of severity problem is unhealthy; warnings alone leave it healthy.
bool healthy(const std::vector<stats::Finding>& findings);

} // namespace seedrun::report
