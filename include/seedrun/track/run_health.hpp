#pragma once
// One run's health (docs/health.md): its metric series read through the metric sources
// (metric_source.hpp) and its events file (event_log.hpp), evaluated by stats/health.hpp.
// Where a run's files are: `dir` (the run's output directory, or a --dir folder) holding
// health.metrics_file and health.events_file; a metric named in `health:` that is listed
// under `metrics:` is read from that metric's source instead (a `pattern` metric from the
// points the tracker stored, else from the run's log scanned with its pattern). Missing files
// are not errors: their rules say "not evaluated".
#include "seedrun/config/config.hpp"
#include "seedrun/report/health_report.hpp"
#include "seedrun/store/store.hpp"

#include <filesystem>
#include <optional>

namespace seedrun::track {

struct HealthTarget {
  std::filesystem::path dir;
  long long seed = 0;              // expands {seed} in file names
  std::optional<long long> run_id; // a run in the store: `pattern` metrics come from its points
  std::filesystem::path log_path;  // its printed output: `pattern` metrics not stored are scanned here
  report::RunHealth labels;        // label, campaign, arm, seed: copied into the result
};

// `window_from`: events before this time (seconds since 1970) are not looked at. `store` may
// be null (no stored points). Never throws for anything found in the files.
report::RunHealth check_run_health(const config::Config& cfg, const HealthTarget& target,
                                   std::optional<double> window_from, store::Store* store);

} // namespace seedrun::track
