// analyze_input (src/analyze/analysis.cpp): arms are never pooled, and the confidence interval of
// a proportion stays inside [0, 1] (issue 10, item 8: different arms and the control pooled into
// one group gave a t CI of balanced accuracy of [-0.05, 1.38]).
#include "seedrun/analyze/analysis.hpp"
#include "seedrun/stats/describe.hpp"

#include <algorithm>
#include <doctest/doctest.h>

using namespace seedrun;
using namespace seedrun::analyze;

namespace {

constexpr std::pair<double, double> k_unit{0.0, 1.0};

RunRecord run(const std::string& name, const std::string& arm, bool control, std::map<std::string, double> metrics) {
  RunRecord r;
  r.name = name;
  r.arm = arm;
  r.control = control;
  r.state = control ? "N/A (control)" : "COMPLETED";
  r.metrics = std::move(metrics);
  return r;
}

// The situation of the report: a control and two configurations, one run each.
AnalysisInput one_run_per_arm() {
  AnalysisInput in;
  in.primary = {"accuracy", "Accuracy", "Accuracy", true, 4, k_unit};
  in.metrics = {in.primary,
                {"balanced_accuracy", "Bal. acc", "Balanced accuracy", true, 4, k_unit},
                {"final_loss", "Final loss", "Final loss", false, 4, std::nullopt}};
  in.arms = {{"base_model", {}, true}, {"rank4", {{"lora_rank", "4"}}, false}, {"rank8", {{"lora_rank", "8"}}, false}};
  in.runs = {run("base_model", "base_model", true, {{"accuracy", 0.5}, {"balanced_accuracy", 0.5}}),
             run("rank4", "rank4", false, {{"accuracy", 0.95}, {"balanced_accuracy", 0.95}, {"final_loss", 0.3}}),
             run("rank8", "rank8", false, {{"accuracy", 1.0}, {"balanced_accuracy", 1.0}, {"final_loss", 0.2}})};
  return in;
}

} // namespace

TEST_CASE("the statistical summary has one row per arm and metric, never one pooling arms and the control") {
  AnalysisInput in = one_run_per_arm();
  // What the old pooled row claimed: a t interval over three different configurations.
  auto pooled = stats::mean_ci95(std::vector<double>{0.5, 0.95, 1.0});
  REQUIRE(pooled);
  CHECK(pooled->second > 1.0);

  Analysis a = analyze_input(in, {});
  std::vector<std::pair<std::string, std::string>> groups;
  for (const auto& row : a.summary) {
    groups.emplace_back(row.metric, row.group);
    CHECK(row.summary.n == 1);
    CHECK_FALSE(row.ci95.has_value()); // one run: no interval at all
  }
  CHECK(groups == std::vector<std::pair<std::string, std::string>>{{"Accuracy", "base_model"},
                                                                   {"Accuracy", "rank4"},
                                                                   {"Accuracy", "rank8"},
                                                                   {"Bal. acc", "base_model"},
                                                                   {"Bal. acc", "rank4"},
                                                                   {"Bal. acc", "rank8"},
                                                                   {"Final loss", "rank4"},
                                                                   {"Final loss", "rank8"}});
  for (const auto& r : a.ranking) {
    CHECK_FALSE(r.ci95.has_value());
  }
}

TEST_CASE("a proportion's interval is Student's t kept inside [0, 1]; an unbounded metric's is not cut") {
  // 0.875 and 1.0: scipy's t interval is [0.14336220397299404, 1.731637796027006]
  auto ci = bounded_mean_ci95({0.875, 1.0}, k_unit);
  REQUIRE(ci);
  CHECK(ci->first == doctest::Approx(0.14336220397299404).epsilon(1e-10));
  CHECK(ci->second == 1.0);

  auto low = bounded_mean_ci95({0.0, 0.1}, k_unit);
  REQUIRE(low);
  CHECK(low->first == 0.0);
  CHECK(low->second == doctest::Approx(0.05 + 12.706204736174707 * 0.05).epsilon(1e-9));

  auto loss = bounded_mean_ci95({0.875, 1.0}, std::nullopt);
  REQUIRE(loss);
  CHECK(loss->second == doctest::Approx(1.731637796027006).epsilon(1e-10));

  CHECK_FALSE(bounded_mean_ci95({0.5}, k_unit).has_value());
  CHECK_FALSE(bounded_mean_ci95({}, k_unit).has_value());

  AnalysisInput in = one_run_per_arm();
  in.runs.push_back(run("rank8_seed2", "rank8", false, {{"accuracy", 0.875}, {"balanced_accuracy", 0.9}}));
  Analysis a = analyze_input(in, {});
  auto rank8 = std::find_if(a.ranking.begin(), a.ranking.end(), [](const ArmResult& r) { return r.arm == "rank8"; });
  REQUIRE(rank8 != a.ranking.end());
  REQUIRE(rank8->ci95);
  CHECK(rank8->ci95->first == doctest::Approx(0.14336220397299404).epsilon(1e-10));
  CHECK(rank8->ci95->second == 1.0);
  for (const auto& row : a.summary) {
    if (row.ci95 && row.metric != "Final loss") {
      CHECK(row.ci95->first >= 0.0);
      CHECK(row.ci95->second <= 1.0);
    }
  }
}
