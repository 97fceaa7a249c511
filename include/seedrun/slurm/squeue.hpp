#pragma once
// Reading `squeue -h -o '%i|%j|%T' -j <ids>`, the fallback when accounting (sacct) is
// disabled. squeue only knows jobs that are queued, running or finished less than
// MinJobAge (300 s by default) ago; a job it does not list has left the queue.
#include "seedrun/slurm/job_state.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::slurm {

// The format string the parser expects.
inline constexpr std::string_view k_squeue_format = "%i|%j|%T";

struct SqueueRow {
  std::string job_id;             // as printed: "123", "123_4", "123_[2-4%1]"
  std::string array_job_id;       // "123" for array rows, else empty
  std::optional<int> array_task;  // 4 for "123_4"
  std::vector<int> pending_tasks; // {2,3,4} for "123_[2-4%1]"
  std::string name;
  JobState state = JobState::unknown;
  std::string state_text; // as printed
};

struct SqueueParse {
  std::vector<SqueueRow> rows;
  int unreadable_lines = 0;
  std::string first_unreadable;
};

// One row per line. The id is the first field and the state the last, so a '|' inside a
// job name is kept in the name. Lines with fewer than 3 fields or an unreadable id are
// skipped, logged at debug and counted.
SqueueParse parse_squeue(std::string_view text);

} // namespace seedrun::slurm
