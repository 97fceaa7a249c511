#include "seedrun/slurm/squeue.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <doctest/doctest.h>

using namespace seedrun::slurm;

TEST_CASE("captured squeue output gives id, name and state per row") {
  const std::string path = std::string(SEEDRUN_SOURCE_DIR) + "/tests/fixtures/slurm/squeue_array.txt";
  auto p = parse_squeue(seedrun::util::read_file(path));
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 3);
  CHECK(p.rows[0].job_id == "13_[1-3%1]");
  CHECK(p.rows[0].array_job_id == "13");
  CHECK(p.rows[0].pending_tasks == std::vector<int>{1, 2, 3});
  CHECK(p.rows[0].state == JobState::pending);
  CHECK(p.rows[1].array_task == 0);
  CHECK(p.rows[1].state == JobState::running);
  CHECK(p.rows[1].name == "seedrun-cap-lr-warmup");
  CHECK(p.rows[2].job_id == "14");
  CHECK(p.rows[2].array_job_id.empty());
  CHECK(p.rows[2].name == "eval-general_eval-rank16_lr1e-5-ep0");
}

TEST_CASE("a '|' in a job name stays in the name; bad lines are counted") {
  auto p = parse_squeue("7|a|b|CANCELLED\nnonsense\nx|name|RUNNING\n8||COMPLETING\n");
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].name == "a|b");
  CHECK(p.rows[0].state == JobState::cancelled);
  CHECK(p.rows[1].name.empty());
  CHECK(p.rows[1].state == JobState::completing);
  CHECK(p.unreadable_lines == 2);
  CHECK(p.first_unreadable == "line 2: expected <id>|<name>|<state>: nonsense");
}
