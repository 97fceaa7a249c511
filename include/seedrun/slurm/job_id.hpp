#pragma once
// The JobID column of sacct and squeue (%i), taken apart. Forms seen in real output:
//   123            a plain job
//   123_4          task 4 of array job 123
//   123_[0-4%1]    array tasks not started yet, all in one row (the %N throttle is dropped)
//   3_[1,3,5-7]    the same with a list
//   123.batch      a step of a job (sacct without -X); also 123_4.0, 123.ext+ (truncated)
//   123+0          a heterogeneous job component (kept as text, no array parts)
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::slurm {

// Expanding a pending-task list larger than this is refused (Slurm's default MaxArraySize
// is 1001; this bound only protects against garbage such as "1_[0-999999999]").
inline constexpr int k_max_pending_tasks = 100000;

struct JobIdParts {
  std::string job;                // the leading number: "123" for all forms above
  std::string array_job_id;       // "123" for 123_4 and 123_[..]; empty for a plain job
  std::optional<int> array_task;  // 4 for 123_4
  std::vector<int> pending_tasks; // ascending, without duplicates, for 123_[..]
  std::string step;               // "batch" for 123.batch, "0" for 123_4.0; empty otherwise
  std::string het_suffix;         // "0" for 123+0
};

// Parses one JobID. nullopt when the text is not one of the forms above (empty, no leading
// number, malformed brackets, a range larger than k_max_pending_tasks).
std::optional<JobIdParts> parse_job_id(std::string_view text);

// Expands a task list as printed inside the brackets ("0-4%1", "1,3,5-7", "0-15:4"): the
// throttle after '%' is dropped, ranges may carry a ':step'. nullopt on anything malformed.
std::optional<std::vector<int>> expand_task_list(std::string_view list);

} // namespace seedrun::slurm
