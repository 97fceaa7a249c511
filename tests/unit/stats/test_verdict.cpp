#include "seedrun/stats/stats.hpp"

#include <doctest/doctest.h>

#include <cmath>

using namespace seedrun::stats;

TEST_CASE("the 1σ/2σ rule gives WINNER, NEUTRAL with its label, and LOSER") {
  std::vector<double> base{2.0, 2.1, 1.9, 2.0, 2.0}; // σ = 0.0707
  auto win = compare(base, std::vector<double>{1.8, 1.8, 1.8}, Goal::minimize);
  CHECK(win.verdict == Verdict::winner);
  auto lose = compare(base, std::vector<double>{2.2, 2.2, 2.2}, Goal::minimize);
  CHECK(lose.verdict == Verdict::loser);
  auto suggestive = compare(base, std::vector<double>{1.9, 1.92, 1.91}, Goal::minimize);
  CHECK(suggestive.verdict == Verdict::neutral);
  CHECK(suggestive.label == "suggestive but inconclusive (between 1σ and 2σ)");
  auto noise = compare(base, std::vector<double>{2.0, 1.99, 2.01}, Goal::minimize);
  CHECK(noise.label == "noise (below 1σ)");
  SUBCASE("for a maximized metric higher is better") {
    CHECK(compare(base, std::vector<double>{2.2, 2.2, 2.2}, Goal::maximize).verdict == Verdict::winner);
  }
}

TEST_CASE("the extension rule asks for more seeds only within 2σ") {
  auto base = describe(std::vector<double>{2.0, 2.1, 1.9, 2.0, 2.0});
  CHECK(needs_extension(base, describe(std::vector<double>{1.95, 1.95, 1.95})));
  CHECK_FALSE(needs_extension(base, describe(std::vector<double>{1.8, 1.8, 1.8})));
  CHECK_FALSE(needs_extension(describe(std::vector<double>{2.0}), describe(std::vector<double>{1.0})));
}

TEST_CASE("edge cases give words and empty optionals, never NaN") {
  auto zero = compare(std::vector<double>{1.0, 1.0, 1.0}, std::vector<double>{0.5, 0.6}, Goal::minimize);
  CHECK(zero.verdict == Verdict::neutral);
  CHECK(zero.label == "inconclusive: baseline σ is zero");
  CHECK_FALSE(zero.sigma_units.has_value());
  auto one = compare(std::vector<double>{1.0}, std::vector<double>{0.5}, Goal::minimize);
  CHECK(one.label == "inconclusive: fewer than 2 baseline seeds");
  CHECK_FALSE(one.cohens_d.has_value());
  CHECK_FALSE(one.welch_p.has_value());
  CHECK_FALSE(one.ci95.has_value());
  auto empty = compare(std::vector<double>{1.0, 2.0}, std::vector<double>{}, Goal::minimize);
  CHECK(empty.label == "inconclusive: no completed experiment seeds");
  CHECK(empty.experiment.n == 0);
  auto nan = describe(std::vector<double>{1.0, std::nan(""), INFINITY, 3.0});
  CHECK(nan.n == 2);
  CHECK(nan.excluded_nonfinite == 2);
  CHECK(*nan.mean == 2.0);
}

TEST_CASE("effect classes follow the seed's thresholds") {
  CHECK(classify_effect(0.19) == EffectClass::negligible);
  CHECK(classify_effect(-0.2) == EffectClass::small);
  CHECK(classify_effect(0.5) == EffectClass::medium);
  CHECK(classify_effect(-0.8) == EffectClass::large);
}

TEST_CASE("the bootstrap CI is reproducible and brackets Δ") {
  std::vector<double> b{3.21, 3.22, 3.20, 3.21, 3.20};
  std::vector<double> e{3.15, 3.16, 3.15};
  auto a1 = bootstrap_ci_delta(b, e);
  auto a2 = bootstrap_ci_delta(b, e);
  REQUIRE(a1);
  CHECK(a1->first == a2->first);
  CHECK(a1->second == a2->second);
  CHECK(a1->first < -0.0547);
  CHECK(a1->second > -0.0547);
  CHECK(a1->first > -0.075);
  CHECK(a1->second < -0.035);
}

TEST_CASE("Holm–Bonferroni adjusts in step-down order and stays monotone") {
  auto adj = holm_bonferroni(std::vector<double>{0.01, 0.04, 0.03, 0.005, 0.5});
  // sorted: 0.005*5=0.025, 0.01*4=0.04, 0.03*3=0.09, 0.04*2=0.08→0.09, 0.5*1=0.5
  CHECK(adj[3] == doctest::Approx(0.025));
  CHECK(adj[0] == doctest::Approx(0.04));
  CHECK(adj[2] == doctest::Approx(0.09));
  CHECK(adj[1] == doctest::Approx(0.09));
  CHECK(adj[4] == doctest::Approx(0.5));
}

TEST_CASE("wall clock change is a signed percentage") {
  auto b = describe(std::vector<double>{10.0, 10.0});
  auto e = describe(std::vector<double>{9.0, 9.0});
  CHECK(*wall_clock_percent(b, e) == doctest::Approx(-10.0));
}
