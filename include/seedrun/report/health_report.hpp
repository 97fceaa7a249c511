#pragma once
// `seedrun health`: the findings of every run, as text for a terminal and as JSON
// (docs/health.md, "Training health"). Pure formatting: the caller evaluated the rules.
#include "seedrun/config/health_options.hpp"
#include "seedrun/stats/health.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::report {

// One run's health: where its files are, what the rules found, what could not be read.
struct RunHealth {
  std::string label; // "warmup/experiment seed 42" or the --dir folder
  std::string dir;   // the folder its files were read from
  std::optional<std::string> campaign;
  std::optional<std::string> arm;
  std::optional<long long> seed;
  stats::HealthResult result;
  std::vector<std::string> warnings; // unreadable lines, missing files
  bool events_file = false;          // the events file was there
  size_t events = 0;                 // events read (in the window)
  size_t events_outside_window = 0;
};

struct HealthReport {
  std::string generated_at;               // ISO 8601
  std::optional<std::string> window;      // --last as given ("6h")
  std::optional<std::string> window_from; // ISO 8601: events before it are not looked at
  config::HealthOptions thresholds;
  std::vector<RunHealth> runs;
};

// A run with a finding of severity problem is unhealthy; warnings alone leave it healthy.
bool healthy(const RunHealth& r);

// One block per run: its findings (metric, step or time, value, rule, action), then one line
// with the rules that passed and those without data.
std::string health_text(const HealthReport& r);
nlohmann::json health_json(const HealthReport& r);
// One finding as health_json writes it (times as ISO 8601, a non-finite value as its word).
nlohmann::json health_finding_json(const stats::Finding& f);

} // namespace seedrun::report
