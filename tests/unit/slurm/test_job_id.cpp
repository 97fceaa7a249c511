#include "seedrun/slurm/job_id.hpp"

#include <doctest/doctest.h>

using namespace seedrun::slurm;

TEST_CASE("a plain job id has no array parts") {
  auto p = parse_job_id("123");
  REQUIRE(p);
  CHECK(p->job == "123");
  CHECK(p->array_job_id.empty());
  CHECK_FALSE(p->array_task);
  CHECK(p->pending_tasks.empty());
  CHECK(p->step.empty());
}

TEST_CASE("an array task id names the array and the task") {
  auto p = parse_job_id("25_4");
  REQUIRE(p);
  CHECK(p->job == "25");
  CHECK(p->array_job_id == "25");
  REQUIRE(p->array_task);
  CHECK(*p->array_task == 4);
  CHECK(p->pending_tasks.empty());
}

TEST_CASE("pending array tasks expand to their task list without the throttle") {
  SUBCASE("range with throttle") {
    auto p = parse_job_id("123_[0-4%1]");
    REQUIRE(p);
    CHECK(p->array_job_id == "123");
    CHECK_FALSE(p->array_task);
    CHECK(p->pending_tasks == std::vector<int>{0, 1, 2, 3, 4});
  }
  SUBCASE("range") {
    auto p = parse_job_id("3_[2-4]");
    REQUIRE(p);
    CHECK(p->pending_tasks == std::vector<int>{2, 3, 4});
  }
  SUBCASE("list with ranges") {
    auto p = parse_job_id("3_[1,3,5-7]");
    REQUIRE(p);
    CHECK(p->pending_tasks == std::vector<int>{1, 3, 5, 6, 7});
  }
  SUBCASE("single task in brackets, large throttle") {
    auto p = parse_job_id("20956421_[7%25]");
    REQUIRE(p);
    CHECK(p->pending_tasks == std::vector<int>{7});
  }
}

TEST_CASE("task lists accept steps and drop duplicates") {
  CHECK(expand_task_list("0-10:5") == std::vector<int>{0, 5, 10});
  CHECK(expand_task_list("3,1,3") == std::vector<int>{1, 3});
}

TEST_CASE("malformed task lists are refused") {
  CHECK_FALSE(expand_task_list(""));
  CHECK_FALSE(expand_task_list("4-2"));
  CHECK_FALSE(expand_task_list("a-b"));
  CHECK_FALSE(expand_task_list("1-3%"));
  CHECK_FALSE(expand_task_list("1-3:0"));
  CHECK_FALSE(expand_task_list("1,,2"));
  CHECK_FALSE(expand_task_list("0-999999999"));
}

TEST_CASE("steps and heterogeneous components are recognised") {
  auto batch = parse_job_id("123.batch");
  REQUIRE(batch);
  CHECK(batch->job == "123");
  CHECK(batch->step == "batch");
  auto task_step = parse_job_id("123_4.0");
  REQUIRE(task_step);
  CHECK(task_step->array_task == 4);
  CHECK(task_step->step == "0");
  auto truncated = parse_job_id("5610980.ext+");
  REQUIRE(truncated);
  CHECK(truncated->step == "ext+");
  auto het = parse_job_id("77+1");
  REQUIRE(het);
  CHECK(het->job == "77");
  CHECK(het->het_suffix == "1");
  CHECK(het->array_job_id.empty());
}

TEST_CASE("text that is not a job id is refused") {
  CHECK_FALSE(parse_job_id(""));
  CHECK_FALSE(parse_job_id("abc"));
  CHECK_FALSE(parse_job_id("12x"));
  CHECK_FALSE(parse_job_id("12_"));
  CHECK_FALSE(parse_job_id("12_[1-3"));
  CHECK_FALSE(parse_job_id("12_[x]"));
  CHECK_FALSE(parse_job_id("12."));
  CHECK_FALSE(parse_job_id(" 12"));
}
