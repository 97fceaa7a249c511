#include "seedrun/slurm/job_state.hpp"

#include <doctest/doctest.h>
#include <string>

using namespace seedrun::slurm;

TEST_CASE("every long-form state name sacct prints is recognised and printed back the same") {
  const char* names[] = {"PENDING",       "RUNNING",    "COMPLETED", "FAILED",   "TIMEOUT",     "CANCELLED",
                         "OUT_OF_MEMORY", "NODE_FAIL",  "PREEMPTED", "REQUEUED", "BOOT_FAIL",   "DEADLINE",
                         "SUSPENDED",     "COMPLETING", "RESIZING",  "REVOKED",  "SPECIAL_EXIT"};
  for (const char* name : names) {
    CAPTURE(name);
    JobState s = parse_job_state(name);
    CHECK(s != JobState::unknown);
    CHECK(std::string(to_string(s)) == name);
  }
}

TEST_CASE("a cancelled job's state carries the uid of whoever cancelled it") {
  CHECK(parse_job_state("CANCELLED by 0") == JobState::cancelled);
  CHECK(parse_job_state("CANCELLED by 1000") == JobState::cancelled);
}

TEST_CASE("unknown, short, truncated and misspelt states are unknown") {
  CHECK(parse_job_state("RUNING") == JobState::unknown);
  CHECK(parse_job_state("R") == JobState::unknown);
  CHECK(parse_job_state("CANCELLED+") == JobState::unknown);
  CHECK(parse_job_state("completed") == JobState::unknown);
  CHECK(parse_job_state("") == JobState::unknown);
  CHECK(parse_job_state("CANCELLED soon") == JobState::unknown);
  CHECK(to_string(JobState::unknown) == "UNKNOWN");
}

TEST_CASE("final states are the ones a job does not leave by itself") {
  CHECK(is_final(JobState::completed));
  CHECK(is_final(JobState::failed));
  CHECK(is_final(JobState::timeout));
  CHECK(is_final(JobState::cancelled));
  CHECK(is_final(JobState::out_of_memory));
  CHECK(is_final(JobState::node_fail));
  CHECK(is_final(JobState::preempted));
  CHECK(is_final(JobState::boot_fail));
  CHECK(is_final(JobState::deadline));
  CHECK(is_final(JobState::revoked));
  CHECK(is_final(JobState::special_exit));
  CHECK_FALSE(is_final(JobState::pending));
  CHECK_FALSE(is_final(JobState::running));
  CHECK_FALSE(is_final(JobState::requeued));
  CHECK_FALSE(is_final(JobState::suspended));
  CHECK_FALSE(is_final(JobState::completing));
  CHECK_FALSE(is_final(JobState::resizing));
  CHECK_FALSE(is_final(JobState::unknown));
}

TEST_CASE("each job state means one run state; COMPLETING and RESIZING still run; unknown keeps the run's") {
  using seedrun::store::RunState;
  CHECK(run_state_of(JobState::pending) == RunState::pending);
  CHECK(run_state_of(JobState::running) == RunState::running);
  CHECK(run_state_of(JobState::completing) == RunState::running);
  CHECK(run_state_of(JobState::resizing) == RunState::running);
  CHECK(run_state_of(JobState::requeued) == RunState::requeued);
  CHECK(run_state_of(JobState::suspended) == RunState::suspended);
  CHECK(run_state_of(JobState::cancelled) == RunState::cancelled);
  CHECK(run_state_of(JobState::out_of_memory) == RunState::out_of_memory);
  CHECK(run_state_of(JobState::node_fail) == RunState::node_fail);
  CHECK(run_state_of(JobState::special_exit) == RunState::special_exit);
  CHECK_FALSE(run_state_of(JobState::unknown));
  // The run state of a job state has the job state's name, except where the run still runs.
  for (auto s : {JobState::completed, JobState::failed, JobState::timeout, JobState::preempted, JobState::boot_fail,
                 JobState::deadline, JobState::revoked}) {
    CHECK(to_string(*run_state_of(s)) == to_string(s));
    CHECK(seedrun::store::is_final(*run_state_of(s)) == is_final(s));
  }
}

TEST_CASE("CONFIGURING and STOPPED are read, not final, and leave a run's state as it is") {
  CHECK(parse_job_state("CONFIGURING") == JobState::configuring);
  CHECK(parse_job_state("STOPPED") == JobState::stopped);
  CHECK(to_string(JobState::configuring) == "CONFIGURING");
  CHECK_FALSE(is_final(JobState::configuring));
  CHECK_FALSE(is_final(JobState::stopped));
  CHECK_FALSE(run_state_of(JobState::configuring));
  CHECK_FALSE(run_state_of(JobState::stopped));
}
