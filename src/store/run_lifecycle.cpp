#include "seedrun/store/run_lifecycle.hpp"

#include <cmath>
#include <csignal>
#include <cstring>
#include <fmt/format.h>

namespace seedrun::store {
namespace {

// The store keeps seconds (ISO 8601 text): a value held in memory equals the one read back.
util::TimePoint seconds_of(util::TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t);
}

} // namespace

void mark_submitting(Run& run, long long submission_id, int array_index) {
  run.state = RunState::submitting;
  run.submission_id = submission_id;
  run.array_index = array_index;
}

void release_to_planned(Run& run) {
  run.state = RunState::planned;
  run.submission_id.reset();
  run.array_index.reset();
  run.job_id.reset();
}

void mark_pending(Run& run) {
  run.state = RunState::pending;
}

void mark_started(Run& run, util::TimePoint now) {
  run.state = RunState::running;
  run.started_at = seconds_of(now);
}

void mark_start_failed(Run& run, const std::string& why, util::TimePoint now) {
  run.state = RunState::failed;
  run.reason = why;
  run.started_at = seconds_of(now); // when the start was attempted
  run.ended_at = seconds_of(now);
}

void mark_exited(Run& run, const ProcessEnd& end, util::TimePoint now) {
  run.ended_at = seconds_of(now);
  run.wall_time = end.wall_seconds;
  if (end.signaled) {
    run.state = RunState::failed;
    run.signal = end.signal;
    run.exit_code = std::nullopt;
    run.reason = fmt::format("killed by signal {} ({})", end.signal, strsignal(end.signal));
    return;
  }
  run.exit_code = end.exit_code;
  run.state = end.exit_code == 0 ? RunState::completed : RunState::failed;
  if (end.exit_code != 0) {
    run.reason = fmt::format("exit code {}", end.exit_code);
  }
}

void mark_cancelled(Run& run, CancelCause cause, const std::string& reason, std::optional<util::TimePoint> ended) {
  run.state = RunState::cancelled;
  run.cancel_cause = cause;
  run.reason = reason;
  if (ended) {
    run.ended_at = seconds_of(*ended);
  }
}

void mark_scheduler_state(Run& run, RunState state) {
  if (state == RunState::cancelled && run.state != RunState::cancelled) {
    run.cancel_cause = CancelCause::external;
  }
  run.state = state;
}

void mark_no_metric(Run& run, const std::string& metric) {
  run.state = RunState::failed;
  run.reason = fmt::format("no {} found", metric);
}

bool counts(const Run& run) {
  return run.state == RunState::completed && run.final_metric && std::isfinite(*run.final_metric) &&
         !run.metric_unreliable;
}

bool infrastructure_failure(RunState state, bool retry_timeouts) {
  return state == RunState::node_fail || state == RunState::preempted || state == RunState::boot_fail ||
         (state == RunState::timeout && retry_timeouts);
}

bool interrupted(const Run& run) {
  return run.state == RunState::cancelled && run.cancel_cause && is_interruption(*run.cancel_cause);
}

} // namespace seedrun::store
