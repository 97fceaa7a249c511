#pragma once
// The numbers of one arm as the statistics see them, collected from the store: which seeds
// count, their metric and wall time, and which were excluded and why. Failed, cancelled,
// non-finite and unreliable runs are listed, never silently averaged. This is the one place
// that decides which seed counts.
#include "seedrun/config/config.hpp"
#include "seedrun/stats/assessment.hpp"
#include "seedrun/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::report {

struct SeedResult {
  long long seed = 0;
  int attempt = 1;
  store::RunState state = store::RunState::planned;
  std::optional<double> metric;    // last value of the campaign metric
  std::optional<double> wall_time; // seconds
  std::optional<std::string> reason;
  std::string phase;
  bool counted = false;    // completed with a finite, reliable metric: part of the statistics
  bool unreliable = false; // its log vanished or was replaced while it ran
  std::string log_path;
};

// The first seed that failed (in plan order), with the last lines of its log: the cause a
// user needs, shown in the terminal, in `status` and in the report.
struct FailureDetail {
  long long seed = 0;
  store::RunState state = store::RunState::planned;
  std::string reason;
  std::string log_path;
  std::vector<std::string> tail;
};

struct ArmData {
  std::vector<SeedResult> seeds;         // current attempt of every seed, in seed-plan order
  std::vector<double> metric;            // counted values
  std::vector<double> wall_time;         // wall times of counted seeds (when known)
  std::vector<std::string> notes;        // "seed 256 FAILED (exit code 3): excluded"
  std::vector<std::string> log_warnings; // "seed 42: log …: 1 line skipped, …" (store::Run::warning)
  int attempts = 0;                      // all attempts, including superseded ones
  bool all_final = false;
  std::optional<FailureDetail> first_failure;
};

// `primary`: the config's primary metric; when it is the campaign's metric and its `reduce` is not
// `last`, each run's value is its points reduced (min, max, mean of the last k) instead of its
// last value, and a seed whose reduced value is not finite is not counted. Without it (or with
// `reduce: last`) the value is the run's last, as before.
ArmData collect_arm(store::Store& store, const store::Campaign& campaign, const config::MetricSpec* primary = nullptr);

// What the assessment needs of an arm: counted values, planned/final counts, failed seeds.
stats::ArmEvidence evidence_of(const ArmData& arm);

// "seed 42 FAILED (exit code 1)" and its last log lines, indented, for terminals.
std::string failure_text(const FailureDetail& f);

} // namespace seedrun::report
