// `seedrun health` output (report/health_report.hpp): a run is unhealthy only with a problem,
// findings give metric, where, value, rule and action, rules without data are named, and
// non-finite values are words in JSON.
#include "seedrun/report/health_report.hpp"

#include <doctest/doctest.h>
#include <limits>

using namespace seedrun;

namespace {

report::HealthReport one_run(std::vector<stats::Finding> findings) {
  report::HealthReport r;
  r.generated_at = "2026-11-23T10:12:00Z";
  report::RunHealth run;
  run.label = "/runs/a";
  run.dir = "/runs/a";
  run.result.findings = std::move(findings);
  run.result.checks = {
      {"grad_norm", "grad_norm", stats::RuleCheck::Status::ok, 3.0, 10, ""},
      {"rollout_p95", "rollout_duration_p95", stats::RuleCheck::Status::no_data, std::nullopt, 0, "no events file"}};
  r.runs.push_back(run);
  return r;
}

stats::Finding nan_loss() {
  stats::Finding f;
  f.rule = "nonfinite";
  f.metric = "loss";
  f.step = 1010;
  f.value = std::numeric_limits<double>::quiet_NaN();
  f.threshold = std::numeric_limits<double>::quiet_NaN();
  f.count = 1;
  f.rule_text = "every value finite (no NaN or inf)";
  f.action = "act";
  f.detail = "loss is nan at step 1010 (1 non-finite point)";
  return f;
}

} // namespace

TEST_CASE("a run with a problem is unhealthy; the text names every part of the finding") {
  auto r = one_run({nan_loss()});
  CHECK_FALSE(report::healthy(r.runs[0]));
  CHECK(report::health_text(r) ==
        "/runs/a: UNHEALTHY\n"
        "  PROBLEM  loss                 step 1010           nan  loss is nan at step 1010 (1 non-finite point)\n"
        "           rule: every value finite (no NaN or inf); action: act\n"
        "  ok: grad norm\n"
        "  not evaluated: rollout p95 (no events file)\n");
}

TEST_CASE("warnings alone leave a run healthy") {
  auto f = nan_loss();
  f.severity = stats::Severity::warning;
  auto r = one_run({f});
  CHECK(report::healthy(r.runs[0]));
  CHECK(report::health_text(r).starts_with("/runs/a: healthy, with warnings\n"));
  CHECK(report::health_text(one_run({})).starts_with("/runs/a: healthy\n"));
}

TEST_CASE("JSON spells a non-finite value as a word and a missing number as null") {
  auto j = report::health_json(one_run({nan_loss()}));
  const auto& f = j["runs"][0]["findings"][0];
  CHECK(f["value"] == "nan");
  CHECK(f["threshold"].is_null());
  CHECK(f["step"] == 1010);
  CHECK(f["time_from"].is_null());
  CHECK(j["runs"][0]["healthy"] == false);
  CHECK(j["runs"][0]["checks"][1]["status"] == "no_data");
  CHECK(j["runs"][0]["checks"][1]["value"].is_null());
  CHECK(j["window"].is_null());
  CHECK(j["thresholds"]["kl_spike_above"] == 0.2);
}
