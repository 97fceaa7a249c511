#include "seedrun/slurm/job_names.hpp"

#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>

using namespace seedrun::slurm;

TEST_CASE("seedrun job names put the arm after the last '-'") {
  CHECK(format_job_name("warmup", "baseline") == "seedrun-warmup-baseline");
  CHECK(format_job_name("lr-sweep-2", "lr_3e4") == "seedrun-lr-sweep-2-lr_3e4");
  auto p = parse_job_name("seedrun-lr-sweep-2-lr_3e4");
  REQUIRE(p);
  CHECK(p->campaign == "lr-sweep-2");
  CHECK(p->arm == "lr_3e4");
}

TEST_CASE("formatting then parsing gives back campaign and arm") {
  const std::pair<const char*, const char*> cases[] = {
      {"c", "a"}, {"my-campaign", "baseline"}, {"a-b-c-d", "warmup"}, {"x--y", "e1"}, {"-lead", "baseline"},
      {"trail-", "baseline"}, {"seedrun-nested", "z"}, {"dots.and_underscores", "arm.v2"}};
  for (const auto& [campaign, arm] : cases) {
    CAPTURE(campaign);
    auto parsed = parse_job_name(format_job_name(campaign, arm));
    REQUIRE(parsed);
    CHECK(*parsed == JobName{campaign, arm});
  }
}

TEST_CASE("names that would not round-trip are refused with the reason") {
  CHECK_THROWS_AS(format_job_name("c", "warm-up"), seedrun::UsageError);
  CHECK_THROWS_WITH(format_job_name("c", "warm-up"),
                    "cannot name a Slurm job after campaign 'c', arm 'warm-up': the arm name 'warm-up' contains '-', "
                    "which Slurm job names use as the separator before the arm (use '_' instead)");
  CHECK_THROWS_AS(format_job_name("", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name("c", ""), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name("a|b", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name("a b", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name("a,b", "baseline"), seedrun::UsageError);
  CHECK_THROWS_AS(format_job_name("a", "x\ny"), seedrun::UsageError);
  CHECK(job_name_problem("c", "baseline") == std::nullopt);
}

TEST_CASE("other job names are not seedrun's") {
  CHECK_FALSE(parse_job_name("allocation"));
  CHECK_FALSE(parse_job_name("wrap"));
  CHECK_FALSE(parse_job_name("seedrun-"));
  CHECK_FALSE(parse_job_name("seedrun-campaign"));
  CHECK_FALSE(parse_job_name("seedrun--arm"));
  CHECK_FALSE(parse_job_name("seedrun-campaign-"));
  CHECK_FALSE(parse_job_name("eval-general_eval-lowlr-ep3"));
}

TEST_CASE("evaluation job names give task, run and epoch") {
  auto p = parse_eval_job_name("eval-general_eval-lowlr-ep3");
  REQUIRE(p);
  CHECK(*p == EvalJobName{"general_eval", "lowlr", 3});
  CHECK(parse_eval_job_name("eval-general_eval-lowlr-ep0")->epoch == 0);
  CHECK(parse_eval_job_name("eval-general_eval-lowlr-ep12")->epoch == 12);
  auto dashed = parse_eval_job_name("eval-general_eval-rank16_lr1e-5-ep3");
  REQUIRE(dashed);
  CHECK(*dashed == EvalJobName{"general_eval", "rank16_lr1e-5", 3});
  auto ep_in_run = parse_eval_job_name("eval-mmlu-deep-ep-ep7");
  REQUIRE(ep_in_run);
  CHECK(*ep_in_run == EvalJobName{"mmlu", "deep-ep", 7});
}

TEST_CASE("names without the evaluation shape are refused") {
  CHECK_FALSE(parse_eval_job_name("allocation"));
  CHECK_FALSE(parse_eval_job_name("eval-general_eval-lowlr"));
  CHECK_FALSE(parse_eval_job_name("eval-general_eval-lowlr-ep"));
  CHECK_FALSE(parse_eval_job_name("eval-general_eval-lowlr-epX"));
  CHECK_FALSE(parse_eval_job_name("eval-general_eval-ep3"));
  CHECK_FALSE(parse_eval_job_name("eval--lowlr-ep3"));
  CHECK_FALSE(parse_eval_job_name("eval-task--ep3"));
  CHECK_FALSE(parse_eval_job_name("evaluate-a-b-ep3"));
}
