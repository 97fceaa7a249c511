// The named transitions of a run value and the one rule for which seeds count.
#include "seedrun/store/run_lifecycle.hpp"

#include <cmath>
#include <csignal>
#include <doctest/doctest.h>

using namespace seedrun;
using store::RunState;

namespace {

util::TimePoint at(const char* text) {
  return *util::parse_iso8601(text);
}

} // namespace

TEST_CASE("a local run goes pending, running, then completed or failed with its exit status") {
  store::Run r;
  store::mark_pending(r);
  CHECK(r.state == RunState::pending);
  store::mark_started(r, at("2026-11-23T10:00:00Z") + std::chrono::milliseconds(700));
  CHECK(r.state == RunState::running);
  CHECK(r.started_at == at("2026-11-23T10:00:00Z")); // seconds, as the store keeps them

  SUBCASE("exit 0") {
    store::mark_exited(r, {false, 0, 0, 12.5}, at("2026-11-23T10:00:12Z"));
    CHECK(r.state == RunState::completed);
    CHECK(r.exit_code == 0);
    CHECK_FALSE(r.reason);
    CHECK(r.wall_time == 12.5);
  }
  SUBCASE("exit 3") {
    store::mark_exited(r, {false, 0, 3, 1}, at("2026-11-23T10:00:01Z"));
    CHECK(r.state == RunState::failed);
    CHECK(r.reason == "exit code 3");
  }
  SUBCASE("killed") {
    store::mark_exited(r, {true, SIGKILL, 0, 1}, at("2026-11-23T10:00:01Z"));
    CHECK(r.state == RunState::failed);
    CHECK_FALSE(r.exit_code);
    CHECK(r.signal == SIGKILL);
    CHECK(r.reason->starts_with("killed by signal 9"));
  }
}

TEST_CASE("a submission that never happened gives its runs back as PLANNED") {
  store::Run r;
  store::mark_submitting(r, 7, 2);
  CHECK(r.state == RunState::submitting);
  CHECK(r.submission_id == 7);
  CHECK(r.array_index == 2);
  r.job_id = "100_2";
  store::release_to_planned(r);
  CHECK(r.state == RunState::planned);
  CHECK_FALSE(r.submission_id);
  CHECK_FALSE(r.array_index);
  CHECK_FALSE(r.job_id);
}

TEST_CASE("a cancelled run records its cause; only a signal or a gone process is an interruption") {
  store::Run r;
  r.state = RunState::running;
  store::mark_cancelled(r, store::CancelCause::signal, "interrupted (Ctrl-C)", at("2026-11-23T10:00:00Z"));
  CHECK(r.state == RunState::cancelled);
  CHECK(r.ended_at == at("2026-11-23T10:00:00Z"));
  CHECK(store::interrupted(r));
  store::mark_cancelled(r, store::CancelCause::user_cancel, "cancelled by seedrun cancel");
  CHECK_FALSE(store::interrupted(r));
}

TEST_CASE("a CANCELLED from the scheduler was cancelled outside seedrun") {
  store::Run r;
  r.state = RunState::running;
  store::mark_scheduler_state(r, RunState::cancelled);
  CHECK(r.cancel_cause == store::CancelCause::external);
  CHECK_FALSE(store::interrupted(r));
}

TEST_CASE("a seed counts only when COMPLETED with a finite value read from a log that was not replaced") {
  store::Run r;
  r.state = RunState::completed;
  r.final_metric = 2.5;
  CHECK(store::counts(r));
  SUBCASE("no value") {
    r.final_metric.reset();
    CHECK_FALSE(store::counts(r));
  }
  SUBCASE("nan") {
    r.final_metric = std::nan("");
    CHECK_FALSE(store::counts(r));
  }
  SUBCASE("unreliable") {
    r.metric_unreliable = true;
    CHECK_FALSE(store::counts(r));
  }
  SUBCASE("failed") {
    r.state = RunState::failed;
    CHECK_FALSE(store::counts(r));
  }
  SUBCASE("no metric after exit 0") {
    r.final_metric.reset();
    store::mark_no_metric(r, "val_loss");
    CHECK(r.state == RunState::failed);
    CHECK(r.reason == "no val_loss found");
  }
}

TEST_CASE("node failures, preemption and boot failures are retried; timeouts only when asked") {
  CHECK(store::infrastructure_failure(RunState::node_fail, false));
  CHECK(store::infrastructure_failure(RunState::preempted, false));
  CHECK(store::infrastructure_failure(RunState::boot_fail, false));
  CHECK_FALSE(store::infrastructure_failure(RunState::timeout, false));
  CHECK(store::infrastructure_failure(RunState::timeout, true));
  CHECK_FALSE(store::infrastructure_failure(RunState::failed, true));
}
