#pragma once
// Slurm job states as sacct and squeue print them in long form (%T, State). The text Slurm
// prints is always kept next to the enum by the parsers, so a state this enum does not know
// (a newer Slurm, a typo in a captured file) is never lost, only reported as `unknown`.
#include "seedrun/store/domain.hpp"

#include <optional>
#include <string_view>

namespace seedrun::slurm {

enum class JobState {
  pending,
  running,
  completed,
  failed,
  timeout,
  cancelled, // sacct prints "CANCELLED by <uid>" for an scancel'd job
  out_of_memory,
  node_fail,
  preempted,
  requeued,
  boot_fail,
  deadline,
  suspended,
  completing,
  resizing,
  revoked,
  special_exit,
  configuring, // nodes booting for it
  stopped,     // SIGSTOPped, keeps its allocation
  unknown,     // anything else; the parsers keep the original text
};

// Reads a long-form state name, case-sensitive like Slurm's output. A trailing " by <uid>"
// (sacct appends it to CANCELLED) is ignored. Anything else, including the short codes
// ("R", "PD") and truncated names ("CANCELLED+"), returns JobState::unknown.
JobState parse_job_state(std::string_view text);

// The canonical upper-case name ("OUT_OF_MEMORY"); "UNKNOWN" for JobState::unknown.
std::string_view to_string(JobState state);

// True for states a job does not leave without a user acting: COMPLETED FAILED TIMEOUT
// CANCELLED OUT_OF_MEMORY NODE_FAIL PREEMPTED BOOT_FAIL DEADLINE REVOKED SPECIAL_EXIT.
// REQUEUED, SUSPENDED, COMPLETING, RESIZING, CONFIGURING, STOPPED and unknown are not final: the
// job may still run.
bool is_final(JobState state);

// The run state a job state means: COMPLETING and RESIZING are still RUNNING; the others have a
// run state of the same name. nullopt for unknown, CONFIGURING and STOPPED (the run keeps its
// state, as it always has).
std::optional<store::RunState> run_state_of(JobState state);

} // namespace seedrun::slurm
