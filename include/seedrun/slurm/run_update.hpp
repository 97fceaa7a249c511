#pragma once
// How Slurm's answers change the store, as functions of (store, rows) so they can be tested on
// captured sacct text without a cluster. Callers wrap them in one transaction.
//
// Rules (docs/slurm-dev.md, NOTES 18-23): a job absent from sacct, or shown as the
// "allocation" placeholder, is "not recorded yet": its run keeps its previous state. A run is
// final only when sacct shows a final state under the real job name. An answer is applied to a
// run only if the store still holds the state the caller read before asking Slurm (a cancel in
// between wins).
#include "seedrun/config/config.hpp"
#include "seedrun/slurm/sacct.hpp"
#include "seedrun/slurm/squeue.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::slurm {

// What the scheduler's answer reads and writes of a run (Store::update_scheduler_state), and
// nothing else: ~150 bytes against a whole store::Run's 472 and its strings (100,000 runs
// waiting: 15 MB rather than 48).
struct SchedulerView {
  long long id = 0;
  long long campaign_id = 0;
  std::optional<int> array_index;
  store::RunState state = store::RunState::planned;
  std::optional<store::CancelCause> cancel_cause;
  std::optional<std::string> reason;
  std::optional<int> exit_code;
  std::optional<int> signal;
  std::optional<util::TimePoint> started_at;
  std::optional<util::TimePoint> ended_at;
  std::optional<double> wall_time;

  static SchedulerView of(store::Run&& run);
  store::Run to_run() const; // a Run holding these columns (the others at their defaults)
};

struct TrackedRun {
  SchedulerView run;
  // Its array, shared by the runs of one submission (not a copy of its strings per run).
  std::shared_ptr<const store::Submission> submission;

  const std::string& array_job_id() const { return *submission->job_id; } // from sbatch --parsable
  const std::string& job_name() const { return submission->job_name; }
  const std::string& submitted_at() const { return submission->created_at; }
};

// Every run waiting for Slurm (PENDING, RUNNING, REQUEUED, SUSPENDED) with its submission, by
// campaign and id.
std::vector<TrackedRun> unfinished_runs(store::Store& store);

// A submission confirmed (by sbatch or by reconciliation): its runs still SUBMITTING become
// PENDING with job id "<array>_<index>" and their output file path. Returns how many; 0 means
// every run was cancelled meanwhile and the job should be scancelled.
int adopt_submission(store::Store& store, const store::Submission& sub, const config::Config& cfg);
// A submission that never happened: its runs go back to PLANNED.
void release_submission(store::Store& store, const store::Submission& sub);

// Applies one sacct answer. Returns the number of runs whose state changed.
int apply_sacct(store::Store& store, const std::vector<TrackedRun>& tracked, const std::vector<SacctRow>& rows,
                util::TimePoint now);
// The squeue fallback (accounting disabled): jobs squeue no longer lists have ended; their
// output file is all we know, so they become COMPLETED and the tracker decides from the
// metric (no metric → FAILED).
int apply_squeue(store::Store& store, const std::vector<TrackedRun>& tracked, const SqueueParse& rows,
                 util::TimePoint now);

} // namespace seedrun::slurm
