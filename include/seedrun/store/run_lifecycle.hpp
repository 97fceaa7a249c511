#pragma once
// How a run's state changes, as named transitions on a Run value: the only code that assigns
// Run::state (besides reading it from the database). Executors (exec/, slurm/) and the campaign
// lifecycle (track/lifecycle.hpp) call these and store the result; they live in `store` because
// every component that moves a run depends on it. Each transition sets the fields that go with
// the state (times, reason, exit status, cancel cause) and nothing else.
//
// Also the one rule for which seeds count in the statistics (counts()).
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <optional>
#include <string>

namespace seedrun::store {

// PLANNED → SUBMITTING: the sbatch intent of submission `submission_id` holds it as task `index`.
void mark_submitting(Run& run, long long submission_id, int array_index);
// SUBMITTING → PLANNED: the submission never happened (sbatch failed, or no job of its name).
void release_to_planned(Run& run);
// → PENDING: queued for a local slot, or accepted by Slurm.
void mark_pending(Run& run);
// → RUNNING: a local process started now.
void mark_started(Run& run, util::TimePoint now);
// → FAILED: the local process could not be started now (`why` says what failed).
void mark_start_failed(Run& run, const std::string& why, util::TimePoint now);

// How a local process ended.
struct ProcessEnd {
  bool signaled = false;
  int signal = 0;
  int exit_code = 0;
  double wall_seconds = 0;
};
// → COMPLETED (exit 0) or FAILED (exit code or signal, said in the reason).
void mark_exited(Run& run, const ProcessEnd& end, util::TimePoint now);

// → CANCELLED for `cause`, with `reason` in words; `ended` when it was running.
void mark_cancelled(Run& run, CancelCause cause, const std::string& reason,
                    std::optional<util::TimePoint> ended = std::nullopt);

// → the state the scheduler reports (Slurm sacct/squeue, already mapped by slurm/job_state).
// A CANCELLED the scheduler reports was cancelled outside seedrun (CancelCause::external).
void mark_scheduler_state(Run& run, RunState state);

// COMPLETED → FAILED: its whole log was read and holds no value of `metric`.
void mark_no_metric(Run& run, const std::string& metric);

// Which seeds count in the statistics: COMPLETED with a finite last metric read from a log that
// was not replaced or lost while it ran. Reports, the verdict, "is the baseline complete",
// fail_fast and the failure announcements all ask this.
bool counts(const Run& run);

// A failure of the machines, not of the training (node failure, preemption, boot failure, and a
// timeout when `retry_timeouts`): retried automatically up to slurm.max_retries.
bool infrastructure_failure(RunState state, bool retry_timeouts);

// A CANCELLED run whose seedrun process was stopped or is gone: resumed as a new attempt, and its
// campaign waits for that instead of finishing.
bool interrupted(const Run& run);

} // namespace seedrun::store
