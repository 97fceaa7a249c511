#pragma once
// Training-health rules (seed 000, docs/health.md) as pure functions over a run's metric series
// and its events. Nothing here reads files or the clock: the caller (track/run_health.hpp)
// reads the series and events and passes the window. Every comparison is strict, as the seed
// writes its targets ("< 0.1", "> 95%"): a value exactly at a threshold is a miss.
#include "seedrun/config/health_options.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::stats {

// One point of a metric series; `step` is the point's index when the source had none.
struct SeriesPoint {
  long long step = 0;
  double value = 0; // may be non-finite
};
using Series = std::vector<SeriesPoint>;

enum class EventKind { rollout, error, extraction, other };

// One line of an events file (track/event_log.hpp reads them).
struct HealthEvent {
  double time = 0; // seconds since 1970-01-01 UTC
  EventKind kind = EventKind::other;
  double duration = 0; // rollout: seconds
  bool ok = true;      // extraction: whether the answer could be extracted
  std::optional<long long> step;
};

enum class Severity { warning, problem };

// What a rule found. `step` (metric rules) or `time` (event rules) says where; `value` is the
// value that missed (the peak of an excursion, the p95, the rate).
struct Finding {
  std::string rule;   // kl_spike, kl_unstable, grad_norm, nonfinite, loss_not_decreasing, rollout_p95, ...
  std::string metric; // the series or event measure
  Severity severity = Severity::problem;
  std::optional<long long> step;       // where the value is (the peak)
  std::optional<long long> first_step; // the excursion (or window) from..to
  std::optional<long long> last_step;
  std::optional<double> time_from; // event rules: the events' window (epoch seconds)
  std::optional<double> time_to;
  double value = 0;
  double threshold = 0;
  size_t count = 0;      // points in the excursion, events in the window
  std::string rule_text; // "KL stable below 0.1, a spike above 0.2"
  std::string action;    // the seed's "action if miss" (or seedrun's, docs/health.md)
  std::string detail;    // one line with the numbers
};

// Whether a rule could be evaluated and how it came out (a report lists every rule).
struct RuleCheck {
  enum class Status { ok, miss, no_data };
  std::string rule;
  std::string metric;
  Status status = Status::no_data;
  std::optional<double> value; // the deciding number: max, p95, rate
  size_t n = 0;                // points or events looked at
  std::string note;
};

struct HealthResult {
  std::vector<Finding> findings; // in rule order, then by step
  std::vector<RuleCheck> checks;
};

// KL: each maximal run of consecutive finite points at or above kl_stable_below is one finding at its
// peak: kl_spike (problem) when the peak is above kl_spike_above, else kl_unstable (warning).
std::vector<Finding> kl_findings(const Series& kl, const config::HealthOptions& o, const std::string& metric = "kl");
// Grad norm: each maximal run of consecutive finite points at or above grad_norm_below is one
// finding at its peak.
std::vector<Finding> grad_norm_findings(const Series& g, const config::HealthOptions& o,
                                        const std::string& metric = "grad_norm");
// NaN/inf: one finding per series with a non-finite point, at the first one (count = how many).
std::optional<Finding> nonfinite_finding(const Series& s, const std::string& metric);
// Loss: with the last K finite evals v1..vK, flagged when no later one is below v1
// (min(v2..vK) >= v1). nullopt also when there are fewer than K evals (the check says so).
std::optional<Finding> loss_finding(const Series& loss, int k, const std::string& metric);

// The q-quantile (0..1) with linear interpolation between order statistics (numpy's default,
// Hyndman-Fan type 7). NaN for an empty list.
double quantile(std::vector<double> values, double q);

// What the event rules look at: the events with time >= from (all when from is nullopt).
struct EventTotals {
  std::vector<double> rollout_durations;
  size_t rollouts = 0;
  size_t errors = 0;
  size_t extractions = 0;
  size_t extracted = 0;
  std::optional<double> first_time;
  std::optional<double> last_time;
  size_t outside_window = 0;
};
EventTotals total_events(const std::vector<HealthEvent>& events, std::optional<double> from);

// Rollout p95 duration at or above the threshold; extraction rate (extracted / extractions) at
// or below its threshold; error rate (errors / (rollouts + errors)) at or above its threshold.
std::optional<Finding> rollout_finding(const EventTotals& t, const config::HealthOptions& o);
std::optional<Finding> extraction_finding(const EventTotals& t, const config::HealthOptions& o);
std::optional<Finding> error_rate_finding(const EventTotals& t, const config::HealthOptions& o);

// A run's series by role; an absent series is nullopt (its rules are reported as no_data).
struct RunSeries {
  std::optional<Series> kl;
  std::optional<Series> grad_norm;
  std::optional<Series> loss;
  std::vector<std::pair<std::string, std::optional<Series>>> others; // finite_metrics
};

// Every rule over one run: findings and one check per rule.
HealthResult evaluate_health(const RunSeries& series, const std::optional<EventTotals>& events,
                             const config::HealthOptions& o);

} // namespace seedrun::stats
