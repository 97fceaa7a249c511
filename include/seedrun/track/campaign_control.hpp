#pragma once
// What the tracker's commands (refresh, cancel, retry, and the drive loop of baseline /
// experiment / wait) decide, as functions of (config, store, executor, now): which campaigns,
// which locks, orphans, cancellation, retry, resuming interrupted seeds. The command line only
// parses, calls these and prints what they return; tests drive them with a fake executor and a
// fixed time.
#include "seedrun/config/config.hpp"
#include "seedrun/exec/executor.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/track/tracker.hpp"
#include "seedrun/util/time.hpp"

#include <optional>
#include <string>
#include <vector>

namespace seedrun::track {

// The campaign named `name` (key or name), or with nullopt every campaign (only the ACTIVE ones
// with `active_only`). Throws UsageError for a name the store does not know.
std::vector<long long> select_campaigns(store::Store& store, const std::optional<std::string>& name, bool active_only);

struct RefreshOutcome {
  bool busy = false;                                 // another refresh holds the lock: nothing was done
  std::vector<std::pair<std::string, int>> orphaned; // campaign key → runs marked CANCELLED (orphans)
  StepResult step;
};

// One tracker step over `ids` under a non-blocking refresh lock (overlapping cron ticks: the
// second one does nothing). Local runs whose seedrun process is gone (nobody holds the local
// lock) are marked orphaned first. Local campaigns' planned runs are not started: training would
// die with this process.
RefreshOutcome refresh(const config::Config& cfg, store::Store& store, exec::Executor& executor,
                       const std::vector<long long>& ids, ProgressSink* sink, util::TimePoint now);

struct CancelOutcome {
  std::string key;
  bool stopped_elsewhere = false; // its local training belongs to a running seedrun, which stops it
};

// Cancels each campaign between two tracker steps (waiting for the refresh lock): the executor
// ends its live runs, its planned runs (and orphans) become CANCELLED, the campaign CANCELLED.
std::vector<CancelOutcome> cancel_campaigns(const config::Config& cfg, store::Store& store, exec::Executor& executor,
                                            const std::vector<long long>& ids, util::TimePoint now);

// Plans a new attempt of every failed (final, not COMPLETED) seed of `campaign`, or only `seed`,
// and makes the campaign ACTIVE when there was one. Returns how many.
int retry_failed(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                 std::optional<long long> seed, util::TimePoint now);

// True when none of `ids` is ACTIVE any more.
bool all_finished(store::Store& store, const std::vector<long long>& ids);

// Before a local drive: local runs left by a seedrun that is gone are resumed as new attempts.
// Returns campaign key → seeds resumed (only those with some).
std::vector<std::pair<std::string, int>> resume_local(const config::Config& cfg, store::Store& store,
                                                      const std::vector<long long>& ids, util::TimePoint now);

// `seedrun cancel` from another terminal marked a campaign CANCELLED whose local training runs in
// this process: end it here. Returns the keys of the campaigns whose live runs were stopped.
std::vector<std::string> stop_cancelled(store::Store& store, exec::Executor& executor,
                                        const std::vector<long long>& ids, util::TimePoint now);

// Ctrl-C of the process driving local training: its live runs end, CANCELLED as interrupted
// (resumed by the next run of the same command).
void interrupt(store::Store& store, exec::Executor& executor, const std::vector<long long>& ids, util::TimePoint now);

} // namespace seedrun::track
