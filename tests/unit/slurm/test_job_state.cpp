#include "seedrun/slurm/job_state.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace seedrun::slurm;

TEST_CASE("every long-form state name sacct prints is recognised and printed back the same") {
  const char* names[] = {"PENDING",   "RUNNING",  "COMPLETED", "FAILED",    "TIMEOUT",    "CANCELLED",
                         "OUT_OF_MEMORY", "NODE_FAIL", "PREEMPTED", "REQUEUED", "BOOT_FAIL", "DEADLINE",
                         "SUSPENDED", "COMPLETING", "RESIZING", "REVOKED",  "SPECIAL_EXIT"};
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
