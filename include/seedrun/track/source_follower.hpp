#pragma once
// Follows a run's metrics that are read from files (jsonl, hf_trainer_state, tensorboard:
// metric_source.hpp) the way log_follower.hpp follows its log: each source is read from the
// cursor stored with the run's points (Store::metric_cursor), and what is new is stored under
// the metric's name together with the new cursor, in one transaction. Nothing is read twice;
// a source that went back (truncated, replaced, steps rewound) has its points forgotten first.
// Nothing found in the files is fatal: problems come back as one warning.
#include "seedrun/config/config.hpp"
#include "seedrun/store/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::track {

struct SourceFollowResult {
  size_t new_points = 0;
  // The primary metric's last value read now (when it is one of `metrics`), and whether its
  // points were forgotten (so the run's final_metric is to be forgotten unless a value follows).
  std::optional<double> primary_last;
  bool primary_reset = false;
  std::optional<std::string> warning; // each source's warning, "; "-joined, named by metric
};

// Reads every metric of `metrics` (none may be a `pattern` metric) for `run`, whose files are
// under run.output_dir. `primary`: the name of the campaign's verdict metric. `final_read`: the
// run has ended (a trailing line or a record cut short is read or reported).
SourceFollowResult follow_sources(store::Store& store, const store::Run& run,
                                  const std::vector<const config::MetricSpec*>& metrics, const std::string& primary,
                                  bool final_read);

} // namespace seedrun::track
