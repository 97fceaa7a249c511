#pragma once
// The seam between summarizing and Slurm accounting. The summary needs, for the job ids it
// finds in `slurm-<jobid>.out` file names, each job's name (eval jobs are named
// `eval-{task}-{run}-ep{N}`, which maps an evaluation to its training epoch) and elapsed time
// (the Duration column). The real implementation (the CLI's) runs one
// `sacct -j id,id,... --format=JobID,JobName%50,Elapsed,State`; tests use a fake.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::summarize {

// What a job's accounting state means for a run's outcome. The JobLookup maps Slurm's state
// onto it (the CLI's through slurm/job_state, where Slurm's words are read); none: it says
// nothing (unknown, or no state).
enum class JobOutcome { none, pending, running, completed, failed, cancelled, timeout };

struct JobInfo {
  std::string name;                      // JobName
  std::optional<double> elapsed_seconds; // Elapsed, nullopt when not reported
  std::string state;                     // State as sacct prints it ("COMPLETED", "CANCELLED by 0"), may be ""
  JobOutcome outcome = JobOutcome::none; // what `state` means
};

class JobLookup {
public:
  virtual ~JobLookup() = default;
  // Called at most once per summary, with every job id found (sorted, no duplicates; array jobs
  // as "123_4"). Returns nullopt when accounting is unavailable (no sacct, timeout, garbage);
  // ids missing from the map are unknown to Slurm. Implementations should not throw; an
  // exception is treated as "unavailable".
  virtual std::optional<std::map<std::string, JobInfo>> lookup(const std::vector<std::string>& job_ids) = 0;
};

// For machines without Slurm: always unavailable.
class NoJobLookup final : public JobLookup {
public:
  std::optional<std::map<std::string, JobInfo>> lookup(const std::vector<std::string>&) override {
    return std::nullopt;
  }
};

// The job id in a `slurm-<jobid>.out` file name ("slurm-2773062.out" → "2773062",
// "slurm-12_3.out" → "12_3"); nullopt for other names.
std::optional<std::string> job_id_from_file_name(const std::string& file_name);

// The training epoch in an eval job name: a trailing `ep<N>` / `epoch<N>` / `epoch_<N>` after
// '-' or '_' ("eval-general_eval-lowlr-ep9" → 9).
std::optional<int> epoch_from_job_name(const std::string& job_name);

} // namespace seedrun::summarize
