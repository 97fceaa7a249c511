#pragma once
// Reading what `sbatch --parsable` prints: "<jobid>" or "<jobid>;<cluster>" on one line.
#include <optional>
#include <string>
#include <string_view>

namespace seedrun::slurm {

struct SbatchParse {
  std::optional<std::string> job_id; // set on success: "123"
  std::string cluster;               // "cluster" for "123;cluster", else empty
  std::string error;                 // set when job_id is not: why the text is not a job id
};

// Accepts exactly one non-blank line holding a job id (digits) optionally followed by
// ";<cluster>"; surrounding whitespace is ignored. Anything else (empty output, several lines,
// "Submitted batch job 123" from a call without --parsable) is an error naming the text.
SbatchParse parse_sbatch_parsable(std::string_view text);

} // namespace seedrun::slurm
