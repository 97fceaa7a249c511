#pragma once
// The Slurm job names seedrun writes and reads.
//
// seedrun's own jobs are named `seedrun-<campaign>-<arm>`. The campaign may contain '-', the
// arm may not: the arm is everything after the LAST '-'. Arms are "baseline" or an
// experiment name, so experiment names must not contain '-' (use '_'). Neither part may be
// empty or contain '|' (sacct's field separator), ',' (sacct --name's list separator),
// whitespace or control characters. With
// these rules parse_job_name(format_job_name(c, a)) == {c, a} for every valid pair.
//
// Evaluation jobs of seed 001 (scaffold-inspect) are named `eval-{task}-{run}-ep{N}`. The
// task is everything up to the FIRST '-' after "eval-" (tasks contain '_' but no '-'), the
// epoch is the number after the LAST "-ep", and the run is what lies between (runs may
// contain '-' and '_': "eval-general_eval-rank16_lr1e-5-ep3" is task general_eval, run
// rank16_lr1e-5, epoch 3).
#include <optional>
#include <string>
#include <string_view>

namespace seedrun::slurm {

inline constexpr std::string_view k_job_name_prefix = "seedrun-";

struct JobName {
  std::string campaign;
  std::string arm;
  bool operator==(const JobName&) const = default;
};

// Why `campaign`/`arm` cannot form a job name, or nullopt when they can.
std::optional<std::string> job_name_problem(std::string_view campaign, std::string_view arm);

// "seedrun-<campaign>-<arm>". Throws seedrun::UsageError with job_name_problem()'s text
// when the parts break the rules above.
std::string format_job_name(std::string_view campaign, std::string_view arm);

// The parts of a name format_job_name() wrote; nullopt for any other name (including the
// sacct placeholder "allocation").
std::optional<JobName> parse_job_name(std::string_view name);

struct EvalJobName {
  std::string task;
  std::string run;
  int epoch = 0;
  bool operator==(const EvalJobName&) const = default;
};

// "eval-{task}-{run}-ep{N}" as described above; nullopt when the name does not have that
// shape (missing prefix, no "-ep<digits>" at the end, empty task or run).
std::optional<EvalJobName> parse_eval_job_name(std::string_view name);

} // namespace seedrun::slurm
