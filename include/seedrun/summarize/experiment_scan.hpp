#pragma once
// What is on disk for an experiment, read into plain values: the training outcome of each
// fine-tuned run and one row per evaluation. Layout (docs/summarize.md):
//
//   {experiment}/experiment_summary.yaml
//   {output_base}/ck-out-{run}/slurm-<jobid>.out   training stdout (newest by mtime is used;
//                                                  {experiment}/{run}/slurm-*.out as fallback)
//   {output_base}/ck-out-{run}/epoch_<N>/          checkpoints
//   {experiment}/{run}/eval/logs/*.eval            inspect-ai logs (also eval/<cell>/logs/*.eval)
//   {experiment}/{run}/eval/slurm-<jobid>.out      eval job stdout (also eval/<cell>/slurm-*.out)
//
// Scanning never throws for anything found on disk: unreadable files become statuses and
// messages. Job accounting is asked once, through JobLookup.
#include "seedrun/config/experiment_spec.hpp"
#include "seedrun/summarize/job_lookup.hpp"
#include "seedrun/summarize/training_log.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::summarize {

// The design file is read by config (the one reader of YAML); summarizing uses its values.
using config::ExperimentSpec;
using config::load_experiment_spec;
using config::MatrixEntry;
using config::parse_experiment_spec;
using config::run_type_label;
using config::RunSpec;
using config::RunType;

// One `[timestamp] ACTION: details` line of logs/summarize-experiment.log, before timestamping.
struct LogEntry {
  std::string action;  // DISCOVER_EXPERIMENT, PARSE_STATUS, QUERY_JOBS, EXTRACT_LOSS, EXTRACT_ACCURACY,
                       // GENERATE_SUMMARY, COMPLETE
  std::string details; // starts with "WARNING: " or "ERROR: " for problems
};

struct TrainingResult {
  std::string run;
  std::string status; // COMPLETED FAILED TIMEOUT CANCELLED RUNNING PENDING NOT STARTED UNKNOWN
  std::filesystem::path output_dir;
  std::filesystem::path slurm_out; // empty when none was found
  std::string job_id;
  std::optional<TrainingLog> log;
  std::optional<double> elapsed_seconds;
  std::string note; // why it is not COMPLETED, for the Incomplete Runs table
};

struct EvalResult {
  std::string run;
  std::string task;           // the matrix task this row answers (log_task when none matches)
  std::string log_task;       // the task name the log itself gives ("inspect_evals/mmlu_0_shot")
  std::string task_match;     // how task was found from log_task: TaskMatch::how ("" for job stdout rows)
  std::optional<int> epoch;   // training epoch of the evaluated checkpoint
  std::string epoch_source;   // "eval spec", "job <id> <name>", "directory", "accuracy of job <id>"
  std::filesystem::path path; // the .eval file; empty for a row recovered from a job's stdout
  std::string job_id;
  bool readable = false;
  std::string status; // the log's status, "error" when unreadable
  std::string message;
  std::string created;
  std::optional<double> accuracy;
  std::optional<long long> samples;
  std::string scorer;
  bool binary = false;
  std::optional<double> balanced_accuracy;
  std::optional<double> f1;
  // A finished evaluation whose numbers count (best performer, completeness).
  bool ok() const { return readable && status == "success"; }
};

struct RunStatus {
  RunSpec spec;
  std::string training = "N/A"; // N/A for control runs
  std::string evaluation = "N/A";
  std::string evaluation_note;
  // Both stages done (or not applicable): counts toward "X/Y complete".
  bool complete() const {
    return (training == "COMPLETED" || training == "N/A") && (evaluation == "COMPLETED" || evaluation == "N/A");
  }
};

struct ExperimentScan {
  ExperimentSpec spec;
  std::vector<RunStatus> runs;
  std::vector<TrainingResult> training; // fine-tuned runs only, in runs order
  std::vector<EvalResult> evals;        // sorted by run order, task, epoch
  bool jobs_available = false;          // JobLookup answered
  std::vector<std::string> job_ids;     // every id asked about
  std::vector<LogEntry> log;
};

// Scans the experiment described by `spec` (already loaded).
ExperimentScan scan_experiment(const ExperimentSpec& spec, JobLookup& lookup);

// Which matrix task an inspect-ai task name answers, and how it was decided. First rule that
// applies (inspect-ai task names are usually namespaced: `inspect_evals/mmlu_0_shot`):
//  1. "exact": the log's task equals a matrix task;
//  2. "name after '/'": the part after the last '/' of one equals that part of the other
//     (`inspect_evals/mmlu` answers `mmlu`, `mmlu` answers `inspect_evals/mmlu`);
//  3. "prefix": that part of the log's name starts with a matrix task followed by `_`, `-`, `.`
//     or `:` (`mmlu_0_shot` answers `mmlu`, `cap_rank4` answers `cap`; `capx` does not answer
//     `cap`); the longest such matrix task wins.
// No match: task is the log's name unchanged and how is "no match".
struct TaskMatch {
  std::string task;
  std::string how; // "exact", "name after '/'", "prefix", "no match"
};
TaskMatch match_matrix_task(const std::string& log_task, const std::vector<std::string>& matrix_tasks);

// match_matrix_task(...).task.
std::string matrix_task_for(const std::string& log_task, const std::vector<std::string>& matrix_tasks);

} // namespace seedrun::summarize
