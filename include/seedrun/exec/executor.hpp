#pragma once
// Where runs execute. Campaign logic (track/) hands an Executor the runs it wants started and
// asks it to bring run states up to date; it never knows whether a local process or a Slurm
// array task does the work. Executors write run state (state, exit code, times, job ids) to
// the store themselves; reading metrics from logs is the tracker's job.
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace seedrun::exec {

// One run to start: already stored (state PLANNED), with its expanded argument vector.
struct RunLaunch {
  long long run_id = 0;
  long long seed = 0;
  std::vector<std::string> argv;
  std::filesystem::path log_path;
  std::filesystem::path output_dir;
};

class Executor {
public:
  virtual ~Executor() = default;
  virtual std::string name() const = 0;

  // Starts (local) or submits (Slurm) runs of one arm of a campaign. On success each run has
  // left PLANNED. On failure throws seedrun::Error and leaves runs that were not started
  // PLANNED, so nothing is recorded as started that was not.
  virtual void launch(store::Store& store, const store::Campaign& campaign, const std::string& arm,
                      const std::string& phase, const std::vector<RunLaunch>& runs, util::TimePoint now) = 0;

  // Brings every unfinished run this executor owns up to date (local: polls children and
  // starts queued ones; Slurm: one sacct call). Throws seedrun::Error(slurm_unreachable)
  // without touching the store when the scheduler cannot be asked.
  virtual void poll(store::Store& store, util::TimePoint now) = 0;

  // Ends the unfinished runs of a campaign and marks them CANCELLED for `cause` with `reason`
  // (store::mark_cancelled).
  virtual void cancel(store::Store& store, const store::Campaign& campaign, store::CancelCause cause,
                      const std::string& reason, util::TimePoint now) = 0;

  // True when runs progress only while this process is alive and polling (local execution).
  virtual bool attached() const = 0;
};

} // namespace seedrun::exec
