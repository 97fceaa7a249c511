// Report texts for the edge cases of method.md: a clear word in markdown, null in JSON,
// never "nan" anywhere.
#include "seedrun/report/reports.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace seedrun;

namespace {

store::Campaign campaign(const std::string& kind) {
  store::Campaign c;
  c.key = kind == "baseline" ? "baseline_1M" : "warm_1M";
  c.name = kind == "baseline" ? "baseline" : "warm";
  c.kind = kind;
  c.flags = {"--use_warmup"};
  c.command = {"python", "train.py", "{seed}"};
  c.train_tokens = 1000000;
  c.metric = "val_loss";
  c.goal = store::Goal::minimize;
  return c;
}

report::ArmData arm(const std::vector<double>& values, const std::vector<std::string>& notes = {}) {
  report::ArmData a;
  int seed = 1;
  for (double v : values) {
    report::SeedResult s;
    s.seed = seed++;
    s.state = store::RunState::completed;
    s.metric = v;
    s.wall_time = 10.0;
    s.counted = std::isfinite(v);
    if (s.counted) {
      a.metric.push_back(v);
      a.wall_time.push_back(10.0);
    }
    a.seeds.push_back(s);
  }
  a.notes = notes;
  a.attempts = static_cast<int>(values.size());
  a.all_final = true;
  return a;
}

report::CampaignAssessment assessed(const report::ArmData& base, const report::ArmData& exp,
                                    std::optional<store::Campaign> baseline = std::nullopt) {
  report::CampaignAssessment ca;
  ca.baseline = std::move(baseline);
  ca.base = base;
  ca.exp = exp;
  ca.a = stats::assess(report::evidence_of(base), report::evidence_of(exp), stats::Goal::minimize);
  return ca;
}

} // namespace

TEST_CASE("a baseline of one seed says σ is undefined, in words and as null") {
  auto text = report::baseline_report(campaign("baseline"), arm({2.5}), util::Clock::now());
  CHECK(text.markdown.find("## Baseline Statistics (N=1 runs)") != std::string::npos);
  CHECK(text.markdown.find("| val_loss | 2.5000 | n/a (n<2) | 2.5000 | 2.5000 |") != std::string::npos);
  CHECK(text.markdown.find("Fewer than two completed seeds") != std::string::npos);
  CHECK(text.markdown.find("nan") == std::string::npos);
  auto j = nlohmann::json::parse(text.json);
  CHECK(j["baseline"]["std"].is_null());
  CHECK(j["thresholds"]["sigma2"].is_null());
}

TEST_CASE("σ = 0 and an empty experiment give INCOMPLETE with the reason, nulls in JSON") {
  auto zero = report::experiment_report(campaign("experiment"), assessed(arm({2.0, 2.0, 2.0}), arm({1.9, 1.8})),
                                        util::Clock::now());
  CHECK(zero.markdown.find("## Verdict: INCOMPLETE") != std::string::npos);
  CHECK(zero.markdown.find("inconclusive: baseline σ is zero") != std::string::npos);
  CHECK(zero.markdown.find("No baseline exists") != std::string::npos);
  auto zj = nlohmann::json::parse(zero.json);
  CHECK(zj["sigma_units"].is_null());
  CHECK(zj["verdict"] == "INCOMPLETE");
  CHECK(zj["rule_verdict"] == "NEUTRAL");
  auto empty =
      report::experiment_report(campaign("experiment"), assessed(arm({2.0, 2.1, 1.9}), arm({})), util::Clock::now());
  CHECK(empty.markdown.find("## Experiment Statistics (N=0 runs)") != std::string::npos);
  CHECK(empty.markdown.find("## Verdict: INCOMPLETE") != std::string::npos);
  CHECK(empty.markdown.find("experiment has 0 counted seeds of 0") != std::string::npos);
  CHECK(empty.markdown.find("nan") == std::string::npos);
  CHECK(nlohmann::json::parse(empty.json)["experiment"]["mean"].is_null());
}

TEST_CASE("the experiment report has exactly the seed-003 sections and lists exclusions") {
  auto base_c = campaign("baseline");
  auto text =
      report::experiment_report(campaign("experiment"),
                                assessed(arm({2.00, 2.02, 1.98, 2.01, 1.99}),
                                         arm({1.80, 1.81, 1.79}, {"seed 9 FAILED (exit code 3): excluded"}), base_c),
                                util::Clock::now());
  const char* sections[] = {"# Experiment: warm\n",
                            "## Baseline Statistics (N=5 runs)\n",
                            "| Metric | Mean | Std | Min | Max |\n",
                            "## Experiment Statistics (N=3 runs)\n",
                            "## Statistical Test\n",
                            "| Metric | Cohen's d | Effect Size | Significant? |\n",
                            "## Wall Clock\n",
                            "| | Baseline Mean | Experiment Mean | Delta |\n",
                            "## Verdict: WINNER\n",
                            "- seed 9 FAILED (exit code 3): excluded\n"};
  size_t pos = 0;
  for (const char* s : sections) {
    auto at = text.markdown.find(s, pos);
    CHECK_MESSAGE(at != std::string::npos, s);
    pos = at == std::string::npos ? pos : at;
  }
  CHECK(text.markdown.find("| val_loss | 2.0000 | 0.0158 | 1.9800 | 2.0200 |") != std::string::npos);
  CHECK(text.markdown.find("| wall_time (s) | 10.00 | 10.00 | +0.0% (same) |") != std::string::npos);
  CHECK(text.markdown.find("confirmed: Welch p = ") != std::string::npos);
  CHECK(text.markdown.find("Smallest effect these seeds could detect at 80% power") != std::string::npos);
}

TEST_CASE("an experiment with one counted seed of three is INCOMPLETE, says which failed and shows why") {
  auto exp = arm({1.50, 0, 0});
  exp.metric = {1.50};
  exp.wall_time = {10.0};
  for (size_t i = 1; i < 3; ++i) {
    exp.seeds[i].state = store::RunState::failed;
    exp.seeds[i].metric.reset();
    exp.seeds[i].counted = false;
    exp.seeds[i].reason = "exit code 1";
  }
  exp.first_failure = report::FailureDetail{2,
                                            store::RunState::failed,
                                            "exit code 1",
                                            "/logs/warm_1M_seed2.log",
                                            {"Traceback (most recent call last):", "ValueError: unknown flag"}};
  auto text = report::experiment_report(campaign("experiment"),
                                        assessed(arm({2.00, 2.02, 1.98, 2.01, 1.99}), exp, campaign("baseline")),
                                        util::Clock::now());
  CHECK(text.markdown.find("## Experiment Statistics (N=1 runs; 2 of 3 seeds not counted, listed below)") !=
        std::string::npos);
  CHECK(text.markdown.find("## Verdict: INCOMPLETE") != std::string::npos);
  CHECK(text.markdown.find("## Verdict: WINNER") == std::string::npos);
  CHECK(text.markdown.find("experiment has 1 counted seed of 3 (failed: 2, 3)") != std::string::npos);
  CHECK(text.markdown.find("ValueError: unknown flag") != std::string::npos);
  auto j = nlohmann::json::parse(text.json);
  CHECK(j["verdict"] == "INCOMPLETE");
  CHECK(j["first_failure"]["experiment"]["last_lines"][1] == "ValueError: unknown flag");
}

TEST_CASE("report file names carry the scale label") {
  config::Config cfg;
  cfg.paths.reports = "/r";
  store::Campaign base;
  base.key = "baseline_500K";
  base.train_tokens = 500000;
  CHECK(report::baseline_report_path(cfg, base) == std::filesystem::path("/r/baseline_variance_500K.md"));
  CHECK(report::experiment_report_path(cfg, "warm", 1000000) == std::filesystem::path("/r/experiment_warm_1M.md"));
}

TEST_CASE("a second baseline at one scale gets its own report file named by its identity suffix") {
  config::Config cfg;
  cfg.paths.reports = "/r";
  store::Campaign base;
  base.key = "baseline_1M_a1b2c3";
  base.train_tokens = 1000000;
  CHECK(report::baseline_report_path(cfg, base) == std::filesystem::path("/r/baseline_variance_1M_a1b2c3.md"));
  CHECK(report::baseline_report_filename(base) == "baseline_variance_1M_a1b2c3.md");
}

TEST_CASE("the baseline JSON written a seed at a time is byte for byte the whole document's dump") {
  // 0, 1 and 3 seeds; a reason with quotes, a newline, non-ASCII and invalid UTF-8 (replaced)
  for (size_t n : {0U, 1U, 3U}) {
    std::vector<double> values{2.5, NAN, 2.25};
    values.resize(n);
    auto a = arm(values);
    if (n > 0) {
      a.seeds[0].reason = "exit \"1\"\nσ \xff end";
      a.seeds[0].phase = "initial";
    }
    auto text = report::baseline_report(campaign("baseline"), a, util::Clock::now());
    auto j = nlohmann::json::parse(text.json);
    CHECK_MESSAGE(j.dump(2, ' ', false) + "\n" == text.json, n, " seeds");
    REQUIRE(j["seeds"].is_array());
    CHECK(j["seeds"].size() == n);
    if (n > 0) {
      CHECK(j["seeds"][0]["reason"] == "exit \"1\"\nσ \xef\xbf\xbd end");
      CHECK(j["seeds"][0]["val_loss"] == 2.5);
    }
    if (n == 3) {
      CHECK(j["seeds"][1]["val_loss"].is_null()); // NaN: null, never "nan"
      CHECK(j["seeds"][2]["seed"] == 3);
    }
  }
}
