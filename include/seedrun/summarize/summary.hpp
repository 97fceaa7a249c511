#pragma once
// `seedrun summarize`: summary.md and logs/summarize-experiment.log for a fine-tune-and-evaluate
// experiment directory (the seed's summarize-experiment skill; docs/summarize.md).
//
// summary.md sections, in order: title line (experiment, generated time, X/Y runs complete),
// Run Status, Training Results, Evaluation Results (+ best performer by balanced accuracy, or
// by accuracy when no task is binary), Incomplete Runs, Next Steps (troubleshooting steps when
// no run produced a result). Numbers: loss with 4 significant digits, accuracy / balanced
// accuracy / F1 with 2 decimals, "-" where a metric does not apply, "N/A" where the data is
// missing, the inspect-ai status in capitals (ERROR, CANCELLED, STARTED) instead of an accuracy
// that is not final.
//
// Log lines are `[<ISO 8601 UTC>] ACTION: details`; details start with "WARNING: " or
// "ERROR: " for problems. Every line carries `now`, the time the command started.
#include "seedrun/summarize/experiment_scan.hpp"
#include "seedrun/summarize/job_lookup.hpp"

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace seedrun::summarize {

struct SummaryResult {
  bool ok = false;                    // false: the experiment could not be summarized at all (see error)
  std::string error;                  // e.g. experiment_summary.yaml missing or invalid, or a write failure
  std::string markdown;               // summary.md
  std::vector<std::string> log_lines; // this invocation's lines, without trailing newlines
  ExperimentScan scan;                // the data behind the tables
  int complete_runs = 0;
  int total_runs = 0;
  bool no_results = false;            // no run finished fine-tuning and no evaluation succeeded
  std::filesystem::path summary_path; // set once written
  std::filesystem::path log_path;     // set once written
};

// True when no run finished fine-tuning and no evaluation succeeded (summary.md then says so
// and lists troubleshooting steps instead of the usual next steps).
bool produced_no_results(const ExperimentScan& scan);

// The summary.md text for a scan.
std::string render_summary_markdown(const ExperimentScan& scan, std::chrono::system_clock::time_point now);

// Reads `dir`/experiment_summary.yaml and everything it points to, asks `lookup` once, and
// returns the summary and log lines without writing anything. Never throws: a missing or
// invalid experiment_summary.yaml gives ok == false and the reason in `error`.
SummaryResult build_summary(const std::filesystem::path& dir, JobLookup& lookup,
                            std::chrono::system_clock::time_point now);

// Appends `lines` (each followed by '\n') to a process log such as
// logs/summarize-experiment.log in one write; a missing final newline of the old content is added
// first. The file is opened with O_NOFOLLOW and created 0644 less the umask; a symbolic link, or
// anything but a regular file with a single link (FIFO, device, hard link), is refused before a
// byte is written, and the old content is never read back or copied. Creates the parent
// directory. Throws seedrun::Error naming the path when it refuses or cannot write.
void append_process_log(const std::filesystem::path& path, const std::vector<std::string>& lines);

// build_summary, then writes `dir`/summary.md (replaced atomically: temp file + rename) and
// appends the log lines to `dir`/logs/summarize-experiment.log in one write (the old content is
// never read back or copied). Files are created 0644 less the umask. A symbolic link at either
// path, or a log that is not a regular file with a single link (FIFO, device, hard link), is
// refused before anything is written: ok == false and `error` names it. When the experiment
// cannot be summarized, summary.md is left alone and only the log (if `dir` exists) records why.
// Never throws: a write failure gives ok == false and the reason in `error`.
SummaryResult summarize_experiment(const std::filesystem::path& dir, JobLookup& lookup,
                                   std::chrono::system_clock::time_point now);

} // namespace seedrun::summarize
