#include "seedrun/analyze/parameters.hpp"

#include <doctest/doctest.h>

using namespace seedrun::analyze;
using Params = std::vector<std::pair<std::string, std::string>>;

TEST_CASE("flags become parameters in their order") {
  CHECK(parameters_from_flags({"--lr", "5e-5", "--use_warmup", "--rank=16", "-x", "-3", "extra"}) ==
        Params{{"lr", "5e-5"}, {"use_warmup", "true"}, {"rank", "16"}, {"x", "-3"}, {"arg1", "extra"}});
  CHECK(parameters_from_flags({"--lr", "1", "--lr", "2"}) == Params{{"lr", "2"}});
  CHECK(parameters_from_flags({}).empty());
}

TEST_CASE("levels sort words first, then numbers ascending") {
  std::vector<std::string> levels = {"5e-5", "default", "1e-5", "1e-4"};
  sort_levels(levels);
  CHECK(levels == std::vector<std::string>{"default", "1e-5", "5e-5", "1e-4"});
}

TEST_CASE("a requested heatmap parameter that does not vary is reported, not drawn") {
  AnalysisInput in;
  in.primary = {"acc", "Accuracy", "Accuracy", true, 4, std::pair{0.0, 1.0}};
  in.metrics = {in.primary};
  in.parameter_names = {"lr", "rank"};
  in.arms = {{"a", {{"lr", "1"}, {"rank", "4"}}, false}, {"b", {{"lr", "2"}, {"rank", "4"}}, false}};
  in.runs = {{"a1", "a", std::nullopt, false, "COMPLETED", {}, std::nullopt, std::nullopt, {{"acc", 0.5}}},
             {"b1", "b", std::nullopt, false, "COMPLETED", {}, std::nullopt, std::nullopt, {{"acc", 0.7}}}};
  Analysis a = analyze_input(in, {"lr", "rank"});
  CHECK_FALSE(a.heatmap.has_value());
  REQUIRE(a.notes.size() == 1);
  CHECK(a.notes[0].starts_with("No heatmap for the requested parameters lr, rank"));
  REQUIRE(a.parameters.size() == 1);
  CHECK(a.parameters[0].spread == doctest::Approx(0.2));
  CHECK(a.parameters[0].best_level == "2");
  CHECK_FALSE(analyze_input(in, {}).heatmap.has_value());
}
