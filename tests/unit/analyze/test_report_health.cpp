// The optional Sweep and Training Health sections (src/analyze/report_health.cpp): what they
// hold when the input has sweep or health data, and that without it build_analysis writes
// exactly the files and report it wrote before they existed.
#include "seedrun/analyze/analyze.hpp"
#include "seedrun/analyze/report_health.hpp"
#include "seedrun/report/ratings_report.hpp"
#include "seedrun/stats/matches.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace seedrun;
using namespace seedrun::analyze;

namespace {

RunRecord run(const std::string& arm, long long seed, double value) {
  RunRecord r;
  r.name = arm + "-s" + std::to_string(seed);
  r.arm = arm;
  r.seed = seed;
  r.state = "COMPLETED";
  r.metrics = {{"val_loss", value}};
  r.curve = {{10, value + 1}, {20, value}};
  return r;
}

AnalysisInput sweep_of_two() {
  AnalysisInput in;
  in.name = "lr_a, lr_b";
  in.primary = {"val_loss", "val_loss", "val_loss (as logged)", false, 4, std::nullopt};
  in.metrics = {in.primary};
  in.arms = {{"lr_a", {{"lr", "1"}}, false}, {"lr_b", {{"lr", "2"}}, false}};
  in.parameter_names = {"lr"};
  in.runs = {run("lr_a", 1, 2.5), run("lr_a", 2, 2.4), run("lr_b", 1, 2.1), run("lr_b", 2, 2.3)};
  return in;
}

stats::Finding spike() {
  stats::Finding f;
  f.rule = "kl_spike";
  f.metric = "kl";
  f.step = 430;
  f.value = 0.31;
  f.threshold = 0.2;
  f.rule_text = "KL stable below 0.1, a spike above 0.2";
  f.action = "check the KL coefficient";
  return f;
}

const std::string* file(const AnalysisOutput& out, const std::string& name) {
  auto it = std::find_if(out.files.begin(), out.files.end(), [&](const auto& f) { return f.first == name; });
  return it == out.files.end() ? nullptr : &it->second;
}

const util::TimePoint k_now = *util::parse_iso8601("2026-11-23T10:00:00Z");

} // namespace

TEST_CASE("without sweep or health data no section, table, plot or analysis.json is added") {
  auto out = build_analysis(sweep_of_two(), {}, k_now);
  CHECK(file(out, "analysis.json") == nullptr);
  CHECK(file(out, "tables/sweep.csv") == nullptr);
  CHECK(file(out, "tables/health.csv") == nullptr);
  const auto& md = *file(out, "report.md");
  CHECK(md.find("## Sweep") == std::string::npos);
  CHECK(md.find("## Training Health") == std::string::npos);
  CHECK(md.find("analysis.json") == std::string::npos);
}

TEST_CASE("a sweep lists every run side by side, names the best run, and overlays the other metrics") {
  AnalysisInput in = sweep_of_two();
  in.sweep_prefix = "lr_";
  in.extra_metrics = {{"kl", {{"lr_a-s1", {{10, 0.02}, {20, 0.03}}}, {"lr_b-s1", {{10, 0.05}}}}}};
  in.health = {{"lr_b-s1", true, {spike()}, "2026-11-23T09:00:00Z"}, {"lr_a-s1", true, {}, "2026-11-23T09:00:00Z"}};
  REQUIRE(best_run(in) == std::optional<size_t>(2)); // lr_b-s1, 2.1, lowest

  auto out = build_analysis(in, {}, k_now);
  const auto& md = *file(out, "report.md");
  CHECK(md.find("## Sweep lr_") != std::string::npos);
  CHECK(md.find("**Best run**: `lr_b-s1` (campaign `lr_b`, seed 1): val_loss 2.1000 (lower is better); health: 1 "
                "problem, 0 warnings: kl_spike at step 430.") != std::string::npos);
  CHECK(md.find("| lr_a-s1 | lr_a | 1 | COMPLETED | 2.5000 | n/a | 0.0300 | ok |") != std::string::npos);
  CHECK(md.find("| lr_a-s2 | lr_a | 2 | COMPLETED | 2.4000 | n/a | n/a | not checked |") != std::string::npos);
  CHECK(md.find("| lr_b-s1 | problem | kl_spike | kl | 430 | 0.31 | 0.2 | check the KL coefficient |") !=
        std::string::npos);
  CHECK(md.find("Training health: 1 of 2 checked runs are unhealthy (lr_b-s1: 1 problem, 0 warnings: kl_spike at "
                "step 430).") != std::string::npos);
  REQUIRE(file(out, "plots/metric_kl.svg") != nullptr);
  CHECK(file(out, "plots/metric_kl.svg")->find("<svg") == 0);

  auto j = nlohmann::json::parse(*file(out, "analysis.json"));
  CHECK(j["sweep"]["prefix"] == "lr_");
  CHECK(j["sweep"]["best_run"] == "lr_b-s1");
  CHECK(j["sweep"]["campaigns"] == nlohmann::json::array({"lr_a", "lr_b"}));
  CHECK(j["sweep"]["runs"].size() == 4);
  CHECK(j["sweep"]["runs"][0]["last"]["kl"] == 0.03);
  CHECK(j["sweep"]["runs"][1]["last"]["kl"].is_null());
  CHECK(j["health"].size() == 2);
  CHECK(j["health"][0]["run"] == "lr_b-s1");
  CHECK(j["health"][0]["healthy"] == false);
  CHECK(j["health"][0]["findings"][0]["step"] == 430);
  CHECK(j["health"][0]["findings"][0]["value"] == 0.31);
  CHECK(j["health"][1]["summary"] == "ok");
}

TEST_CASE("health data alone adds the Training Health section and analysis.json without a sweep") {
  AnalysisInput in = sweep_of_two();
  in.health = {{"lr_a-s2", false, {}, "2026-11-23T09:00:00Z"}, {"lr_b-s1", true, {}, "2026-11-23T09:00:00Z"}};
  auto out = build_analysis(in, {}, k_now);
  const auto& md = *file(out, "report.md");
  CHECK(md.find("## Sweep") == std::string::npos);
  CHECK(md.find("2 of 4 runs checked, 0 unhealthy, 0 with warnings only.") != std::string::npos);
  CHECK(md.find("| lr_a-s2 | no data |") != std::string::npos);
  CHECK(md.find("| lr_b-s1 | ok |") != std::string::npos);
  CHECK(md.find("Training health: all 1 checked run is healthy; 1 more without health data.") != std::string::npos);
  auto j = nlohmann::json::parse(*file(out, "analysis.json"));
  CHECK(j["sweep"].is_null());
  CHECK(j["health"][0]["evaluated"] == false);

  SUBCASE("runs checked without data for any rule (a trainer logging only its loss) make no section") {
    in.health = {{"lr_a-s2", false, {}, "2026-11-23T09:00:00Z"}};
    auto none = build_analysis(in, {}, k_now);
    CHECK(file(none, "report.md")->find("## Training Health") == std::string::npos);
    CHECK(file(none, "analysis.json") == nullptr);
  }
}

TEST_CASE("ratings of game results add a Ratings section: the fit, the learning signal and its JSON") {
  // ckpt_100 wins 3 of 4 against base_model (step 100), ckpt_200 4 of 5 (step 200): with base_model
  // at 1000 they rate 1000 + 400·log10(3) = 1190.8 and 1000 + 400·log10(4) = 1240.8.
  std::string text;
  auto game = [&](const std::string& a, const char* outcome, int step) {
    text += "{\"players\": [\"" + a + "\", \"base_model\"], \"outcome\": \"" + outcome +
            "\", \"step\": " + std::to_string(step) + "}\n";
  };
  for (int i = 0; i < 3; ++i) {
    game("ckpt_100", "win", 100);
  }
  game("ckpt_100", "loss", 100);
  for (int i = 0; i < 4; ++i) {
    game("ckpt_200", "win", 200);
  }
  game("ckpt_200", "loss", 200);
  report::RatingsRequest request;
  request.source = "games.jsonl";
  request.fixed = {"base_model"};
  request.bootstrap = 0;
  AnalysisInput in = sweep_of_two();
  in.ratings = std::make_shared<const report::RatingsReport>(
      report::build_ratings_report(stats::parse_matches(text, "games.jsonl"), request));

  auto out = build_analysis(in, {}, k_now);
  const auto& md = *file(out, "report.md");
  CHECK(md.find("## Ratings") != std::string::npos);
  CHECK(md.find("9 games between 3 players from `games.jsonl`") != std::string::npos);
  CHECK(md.find("| ckpt_200 | checkpoint | 1240.8 | n/a | n/a | 5 | 80.0% |") != std::string::npos);
  CHECK(md.find("| ckpt_100 | checkpoint | 1190.8 | n/a | n/a | 4 | 75.0% |") != std::string::npos);
  CHECK(md.find("| base_model | reference | 1000.0 |") != std::string::npos);
  // the policy frame: the newest checkpoint at 1000, so base_model falls by the gap's growth
  CHECK(md.find("| base_model Elo | 809.2 | 759.2 | -50.0 | falling (good: the policy exploits it) |") !=
        std::string::npos);
  CHECK(md.find("| Best checkpoint − base_model | +190.8 | +240.8 | +50.0 | growing (good) |") != std::string::npos);
  CHECK(md.find("Learning signal: Best checkpoint − base_model went from +190.8 to +240.8 Elo between steps 100 "
                "and 200: growing (good).") != std::string::npos);
  CHECK(file(out, "plots/ratings_trajectory.svg") != nullptr);
  CHECK(file(out, "plots/ratings_gap.svg") != nullptr);
  auto j = nlohmann::json::parse(*file(out, "analysis.json"));
  CHECK(j["ratings"] == report::ratings_json(*in.ratings));
  CHECK(j["sweep"].is_null());
  CHECK(j["health"].is_null());
}
