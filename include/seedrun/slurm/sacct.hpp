#pragma once
// Reading sacct output. The tracker asks for exactly
//   sacct -X --parsable2 --noheader --format=<k_sacct_format> -j <ids>
// and reads it with parse_sacct(). Output captured by other tools (other columns, a header
// line, --parsable's trailing '|') is read by parse_sacct_with_header()/parse_sacct_columns().
//
// Facts about real sacct output these parsers are built on (docs/slurm-dev.md, NOTES 18-23):
// - right after sbatch a job can be missing, then shows as a placeholder row named
//   "allocation" in state PENDING even while it runs; the real record replaces it within ~5 s;
// - the last task of an array reuses the array's id as JobIDRaw (`25_4|25`);
// - array tasks not started yet come as ONE row `3_[2-4%1]|3|...|PENDING`;
// - a cancelled job's state is "CANCELLED by <uid>"; End is "Unknown" while running, Start is
//   "None" for a job cancelled before it started, NodeList "None assigned" while pending.
// No parser throws on bad input: a line it cannot read is skipped, logged at debug level and
// counted in unreadable_lines, so callers can say "2 lines unreadable".
#include "seedrun/slurm/job_state.hpp"
#include "seedrun/slurm/sacct_fields.hpp"
#include "seedrun/util/time.hpp"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::slurm {

// The --format value parse_sacct() expects, in this order.
inline constexpr std::string_view k_sacct_format = "JobIDRaw,JobID,JobName,State,ExitCode,Elapsed,Start,End,NodeList";

struct SacctRow {
  std::string job_id_raw;         // empty when the input has no JobIDRaw column
  std::string job_id;             // as printed: "123", "123_4", "123_[0-4%1]", "123.batch"
  std::string array_job_id;       // "123" for array rows, empty for plain jobs
  std::optional<int> array_task;  // 4 for "123_4"
  std::vector<int> pending_tasks; // {0,1,2,3,4} for "123_[0-4%1]"
  std::string step;               // "batch" for "123.batch" (never set with -X)
  std::string name;               // JobName, never truncated with --parsable2
  JobState state = JobState::unknown;
  std::string state_text;               // State as printed, e.g. "CANCELLED by 0"
  int exit_code = 0;                    // ExitCode "3:0" -> 3; 0 when the column is absent
  int signal = 0;                       // ExitCode "0:9" -> 9
  double elapsed_seconds = 0;           // Elapsed; 0 when the column is absent
  std::optional<util::TimePoint> start; // nullopt for "Unknown", "None", "" or an unreadable time
  std::optional<util::TimePoint> end;
  std::string nodelist;     // "" for "None assigned"
  bool placeholder = false; // name == "allocation": not recorded yet, see above
  // Columns the generic parsers do not map, by lower-case column name ("ncpus" -> "16").
  std::map<std::string, std::string> other;
};

struct SacctParse {
  std::vector<SacctRow> rows;   // in input order
  int unreadable_lines = 0;     // non-blank lines that were skipped
  std::string first_unreadable; // the first of them with the reason, for error messages
};

// Output of `sacct -X --parsable2 --noheader --format=<k_sacct_format>`. A line needs at least
// the 9 fields; more fields than 9 can only come from '|' inside a job name, so the fields
// between JobID and State are joined back into the name.
SacctParse parse_sacct(std::string_view text);

// --parsable or --parsable2 output without a header, with the given columns (sacct names,
// case-insensitive: "JobID", "jobid", "State", ...). A line must have exactly one field per
// column, or one more that is empty (--parsable's trailing '|'). A line is unreadable when
// its JobID (or JobIDRaw) is not a job id, or its ExitCode or Elapsed cannot be read; a
// State this code does not know is kept as text, never unreadable. Without a JobID and a
// JobIDRaw column every line is unreadable.
SacctParse parse_sacct_columns(std::string_view text, const std::vector<std::string>& columns);

// The same, with the column names taken from the first non-blank line (sacct without
// --noheader). When that line is not a list of names, every line counts as unreadable.
SacctParse parse_sacct_with_header(std::string_view text);

} // namespace seedrun::slurm
