// Job names: the configured pattern filled in, and the rules that keep names usable with sacct.
#include "seedrun/slurm/job_names.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>

using namespace seedrun::slurm;

TEST_CASE("the default pattern names jobs after project, campaign and arm") {
  const std::string pattern = "seedrun-{project}-{campaign}-{arm}";
  CHECK(format_job_name(pattern, "nanogpt", "warmup_1M", "baseline") == "seedrun-nanogpt-warmup_1M-baseline");
  CHECK(format_job_name(pattern, "lr-sweep", "lr_3e4_1M", "experiment") == "seedrun-lr_sweep-lr_3e4_1M-experiment");
  CHECK(format_job_name("seedrun-{campaign}-{arm}", "ignored", "c", "baseline") == "seedrun-c-baseline");
  CHECK(format_job_name("{arm}.{campaign}.{arm}", "p", "c", "a") == "a.c.a");
}

TEST_CASE("a project name is made safe for job names") {
  CHECK(job_name_project("my project|x,y") == "my_project_x_y");
  CHECK(job_name_project("") == "seedrun");
  CHECK(job_name_project("gpt-2") == "gpt_2");
}

TEST_CASE("campaign and arm names that sacct could not tell apart are refused") {
  const std::string pattern = "seedrun-{project}-{campaign}-{arm}";
  CHECK_THROWS_AS(format_job_name(pattern, "p", "c", "warm-up"), seedrun::UsageError);
  CHECK_THROWS_WITH(format_job_name(pattern, "p", "c", "warm-up"),
                    "cannot name a Slurm job after campaign 'c', arm 'warm-up': the arm name 'warm-up' contains '-', "
                    "which Slurm job names use as the separator before the arm (use '_' instead)");
  CHECK_THROWS_AS(format_job_name(pattern, "p", "", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name(pattern, "p", "c", ""), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name(pattern, "p", "a|b", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name(pattern, "p", "a b", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name(pattern, "p", "a,b", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name(pattern, "p", "a", "x\ny"), seedrun::UsageError);
  CHECK_FALSE(job_name_problem("lr-sweep-2", "lr_3e4"));
}
