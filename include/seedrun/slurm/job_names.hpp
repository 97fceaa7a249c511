#pragma once
// The Slurm job names seedrun writes.
//
// seedrun's jobs are named after slurm.job_name_pattern, by default
// `seedrun-{project}-{campaign}-{arm}` (project = the `name:` of seedrun.yaml), so jobs of
// several projects can be told apart in squeue. seedrun never parses a name back: it stores the
// name of every submission before sbatch runs and finds its jobs by id, or after a crash by that
// stored name (so jobs submitted under an older pattern are still found).
//
// No part may be empty or contain '|' (sacct's field separator), ',' (sacct --name's list
// separator), whitespace or control characters; the arm may not contain '-' (use '_').
#include <optional>
#include <string>
#include <string_view>

namespace seedrun::slurm {

// Why `campaign`/`arm` cannot form a job name, or nullopt when they can.
std::optional<std::string> job_name_problem(std::string_view campaign, std::string_view arm);

// The project part of a job name: `name` with every character a job name may not hold
// ('|', ',', whitespace, control characters, '-') replaced by '_'; "seedrun" when empty.
std::string job_name_project(std::string_view name);

// `pattern` with {project}, {campaign} and {arm} filled in. Throws seedrun::UsageError with
// job_name_problem()'s text when campaign or arm break the rules above.
std::string format_job_name(std::string_view pattern, std::string_view project, std::string_view campaign,
                            std::string_view arm);

} // namespace seedrun::slurm
