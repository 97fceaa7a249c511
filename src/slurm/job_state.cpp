#include "seedrun/slurm/job_state.hpp"

#include <array>
#include <utility>

namespace seedrun::slurm {
namespace {

constexpr std::array<std::pair<std::string_view, JobState>, 19> k_states{{
    {"PENDING", JobState::pending},
    {"RUNNING", JobState::running},
    {"COMPLETED", JobState::completed},
    {"FAILED", JobState::failed},
    {"TIMEOUT", JobState::timeout},
    {"CANCELLED", JobState::cancelled},
    {"OUT_OF_MEMORY", JobState::out_of_memory},
    {"NODE_FAIL", JobState::node_fail},
    {"PREEMPTED", JobState::preempted},
    {"REQUEUED", JobState::requeued},
    {"BOOT_FAIL", JobState::boot_fail},
    {"DEADLINE", JobState::deadline},
    {"SUSPENDED", JobState::suspended},
    {"COMPLETING", JobState::completing},
    {"RESIZING", JobState::resizing},
    {"REVOKED", JobState::revoked},
    {"SPECIAL_EXIT", JobState::special_exit},
    {"CONFIGURING", JobState::configuring},
    {"STOPPED", JobState::stopped},
}};

} // namespace

JobState parse_job_state(std::string_view text) {
  // "CANCELLED by 0": the uid of whoever cancelled is appended after a space.
  if (auto space = text.find(' '); space != std::string_view::npos) {
    if (text.substr(space).starts_with(" by ")) {
      text = text.substr(0, space);
    } else {
      return JobState::unknown;
    }
  }
  for (const auto& [name, state] : k_states) {
    if (text == name) {
      return state;
    }
  }
  return JobState::unknown;
}

std::string_view to_string(JobState state) {
  for (const auto& [name, s] : k_states) {
    if (s == state) {
      return name;
    }
  }
  return "UNKNOWN";
}

std::optional<store::RunState> run_state_of(JobState state) {
  using store::RunState;
  switch (state) {
  case JobState::pending: return RunState::pending;
  case JobState::running:
  case JobState::completing:
  case JobState::resizing: return RunState::running;
  case JobState::completed: return RunState::completed;
  case JobState::failed: return RunState::failed;
  case JobState::timeout: return RunState::timeout;
  case JobState::cancelled: return RunState::cancelled;
  case JobState::out_of_memory: return RunState::out_of_memory;
  case JobState::node_fail: return RunState::node_fail;
  case JobState::preempted: return RunState::preempted;
  case JobState::requeued: return RunState::requeued;
  case JobState::boot_fail: return RunState::boot_fail;
  case JobState::deadline: return RunState::deadline;
  case JobState::suspended: return RunState::suspended;
  case JobState::revoked: return RunState::revoked;
  case JobState::special_exit: return RunState::special_exit;
  case JobState::configuring:
  case JobState::stopped:
  case JobState::unknown: return std::nullopt;
  }
  return std::nullopt;
}

bool is_final(JobState state) {
  switch (state) {
  case JobState::completed:
  case JobState::failed:
  case JobState::timeout:
  case JobState::cancelled:
  case JobState::out_of_memory:
  case JobState::node_fail:
  case JobState::preempted:
  case JobState::boot_fail:
  case JobState::deadline:
  case JobState::revoked:
  case JobState::special_exit: return true;
  case JobState::pending:
  case JobState::running:
  case JobState::requeued:
  case JobState::suspended:
  case JobState::completing:
  case JobState::resizing:
  case JobState::configuring:
  case JobState::stopped:
  case JobState::unknown: return false;
  }
  return false;
}

} // namespace seedrun::slurm
