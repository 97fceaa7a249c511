#pragma once
// Internal to the summarize component: the steps scan_experiment() is made of, exposed so they
// can be tested one by one. Nothing here throws for what it finds on disk.
#include "seedrun/summarize/experiment_scan.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::summarize {

using JobTable = std::optional<std::map<std::string, JobInfo>>; // nullopt: accounting unavailable

// Regular files directly in `dir` whose name satisfies `keep`, sorted by name; empty when `dir`
// does not exist or cannot be listed.
template <typename Keep> std::vector<std::filesystem::path> list_files(const std::filesystem::path& dir, Keep keep) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && keep(it->path().filename().string())) {
      out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Subdirectories of `dir`, sorted; empty when there are none or `dir` cannot be listed.
std::vector<std::filesystem::path> list_dirs(const std::filesystem::path& dir);

// `slurm-<jobid>.out` files in `dir`, sorted by name.
std::vector<std::filesystem::path> slurm_outputs(const std::filesystem::path& dir);

// The most recently modified of `files` (ties: the later name); empty path for none.
std::filesystem::path newest(const std::vector<std::filesystem::path>& files);

// The eval job outputs and inspect-ai logs of one run ({run_dir}/eval and its cell folders).
struct EvalFiles {
  std::vector<std::filesystem::path> logs;
  std::vector<std::filesystem::path> slurm_outs;
};
EvalFiles find_eval_files(const std::filesystem::path& run_dir);

// The training stdout of a fine-tuned run: the newest slurm-*.out in {output_base}/ck-out-{run},
// else in {experiment}/{run}; empty path when there is none.
std::filesystem::path find_training_output(const ExperimentSpec& spec, const RunSpec& run);

// Reads the training stdout and decides the fine-tuning status.
TrainingResult scan_training(const ExperimentSpec& spec, const RunSpec& run, const std::filesystem::path& slurm_out,
                             const JobTable& jobs, std::vector<LogEntry>& log);

// Reads a run's eval logs and eval job outputs into rows, maps each to its training epoch,
// keeps the best of re-runs of one (task, epoch), and recovers rows from job stdout
// (`match/accuracy: X`) that have no .eval file.
std::vector<EvalResult> scan_evaluations(const ExperimentSpec& spec, const RunSpec& run, const EvalFiles& files,
                                         const JobTable& jobs, std::vector<LogEntry>& log);

// COMPLETED, PARTIAL (k/n), FAILED, NOT STARTED or N/A for a run's evaluations; `note` says why
// when it is not COMPLETED.
std::string evaluation_status(const ExperimentSpec& spec, const RunSpec& run, const std::vector<EvalResult>& evals,
                              const EvalFiles& files, std::string& note);

} // namespace seedrun::summarize
