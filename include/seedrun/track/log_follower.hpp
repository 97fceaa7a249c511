#pragma once
// Reads only the bytes of a run's log that were not read before (the offset is kept in the
// store) and stores the metric values found, in one transaction with the new offset. A log
// that was deleted, truncated or replaced (rotated: another inode) since the last read is
// detected; its points are forgotten and it is read again from the start, so no point is
// ever stored twice.
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/store/store.hpp"

#include <memory>
#include <string>
#include <vector>

namespace seedrun::track {

struct FollowResult {
  size_t new_points = 0;
  std::optional<double> last_value;
  std::optional<std::string> warning; // e.g. "log was truncated; re-read from the start"
  // The log vanished or was replaced after some of it was read: what the trainer wrote since
  // is out of reach, so the run's last value is not to be trusted (store::Run::metric_unreliable).
  bool lost = false;
};

// One metric read from the log by its pattern (issue 12: a campaign may follow several).
struct LogMetric {
  std::string name;
  std::shared_ptr<const config::MetricPattern> pattern; // compiled once by the caller
  bool primary = false; // its last value is the run's final_metric (FollowResult::last_value)
};

// `final_read` marks the run's log as complete (the trailing partial line is scanned too).
// A line that cannot be read (longer than LogScanner::k_max_line, or a match that is not a
// number) is skipped, never fatal: the offset moves past it and `warning` says where it was.
// Every metric of `metrics` is matched on every line; the log is read once. With no metric at
// all (every metric is read from a file), the log is not scanned: a final read only marks it done.
FollowResult follow_log(store::Store& store, store::Run& run, const std::vector<LogMetric>& metrics, bool final_read);

// The single-metric form: `metric_name` is the primary.
FollowResult follow_log(store::Store& store, store::Run& run, const std::string& metric_name,
                        const std::shared_ptr<const config::MetricPattern>& pattern, bool final_read);

} // namespace seedrun::track
