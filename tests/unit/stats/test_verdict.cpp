#include "seedrun/stats/verdict.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <initializer_list>
#include <limits>
#include <vector>

using namespace seedrun::stats;

namespace {

Summary of(std::vector<double> v) {
  return describe(v);
}

// {-1, 0, 1} has mean 0 and σ exactly 1, so Δ in σ is exact.
const Summary k_unit = of({-1, 0, 1});

} // namespace

TEST_CASE("the 1σ/2σ rule for a metric to minimize, at its exact boundaries") {
  struct Row {
    double exp;
    Verdict verdict;
    std::string_view label;
  };
  for (const auto& r : {Row{-2.5, Verdict::winner, k_label_significant}, Row{-2, Verdict::winner, k_label_significant},
                        Row{-1.999, Verdict::neutral, k_label_suggestive},
                        Row{-1, Verdict::neutral, k_label_suggestive}, Row{-0.999, Verdict::neutral, k_label_noise},
                        Row{0, Verdict::neutral, k_label_noise}, Row{1, Verdict::neutral, k_label_suggestive},
                        Row{2, Verdict::loser, k_label_significant}, Row{7, Verdict::loser, k_label_significant}}) {
    CAPTURE(r.exp);
    auto v = judge(k_unit, of({r.exp, r.exp}), Goal::minimize);
    CHECK(v.verdict == r.verdict);
    CHECK(v.label == r.label);
    CHECK(v.sigma_units == std::optional<double>(r.exp));
  }
}

TEST_CASE("for a metric to maximize higher is better") {
  CHECK(judge(k_unit, of({2.0}), Goal::maximize).verdict == Verdict::winner);
  CHECK(judge(k_unit, of({-2.0}), Goal::maximize).verdict == Verdict::loser);
  auto v = judge(k_unit, of({-1.5}), Goal::maximize);
  CHECK(v.verdict == Verdict::neutral);
  CHECK(v.label == "suggestive but inconclusive");
  CHECK(*v.sigma_units == -1.5);
}

TEST_CASE("labels are the words the reports print") {
  CHECK(k_label_significant == "significant (≥2σ)");
  CHECK(k_label_noise == "noise");
  CHECK(to_string(Verdict::winner) == "WINNER");
  CHECK(to_string(Verdict::neutral) == "NEUTRAL");
  CHECK(to_string(Verdict::loser) == "LOSER");
}

TEST_CASE("when the rule cannot be applied the verdict is NEUTRAL with the reason") {
  auto none = judge(k_unit, of({}), Goal::minimize);
  CHECK(none.verdict == Verdict::neutral);
  CHECK(none.label == "inconclusive: no completed experiment seeds");
  CHECK_FALSE(none.sigma_units);
  auto one = judge(of({3.0}), of({1.0, 1.1}), Goal::minimize);
  CHECK(one.label == "inconclusive: fewer than 2 baseline seeds");
  CHECK_FALSE(one.sigma_units);
  CHECK(judge(of({}), of({1.0}), Goal::minimize).label == "inconclusive: fewer than 2 baseline seeds");
  auto zero = judge(of({2, 2, 2}), of({1.0}), Goal::minimize);
  CHECK(zero.verdict == Verdict::neutral);
  CHECK(zero.label == "inconclusive: baseline σ is zero");
  CHECK_FALSE(zero.sigma_units);
  // With no experiment value and no baseline either, the experiment is named first.
  CHECK(judge(of({}), of({}), Goal::minimize).label == "inconclusive: no completed experiment seeds");
}

TEST_CASE("a single experiment seed is judged against the baseline σ") {
  auto v = judge(k_unit, of({-3.0}), Goal::minimize);
  CHECK(v.verdict == Verdict::winner);
  CHECK(*v.sigma_units == -3.0);
}

TEST_CASE("a subnormal σ or an overflowing Δ still gives a verdict, without an infinite σ count") {
  auto v = judge(of({0, 1e-300}), of({1e10}), Goal::minimize); // Δ/σ ≈ 1.4e310
  CHECK(v.verdict == Verdict::loser);
  CHECK_FALSE(v.sigma_units);
  auto small = judge(of({0, 1e-300}), of({1e-300}), Goal::minimize); // σ = 7.07e-301 is no zero
  CHECK(small.verdict == Verdict::neutral);
  CHECK(*small.sigma_units == doctest::Approx(std::sqrt(0.5)).epsilon(1e-15));
  auto w = judge(of({1e308, 1.5e308}), of({-1.7e308}), Goal::minimize);
  CHECK(w.verdict == Verdict::winner);
  CHECK_FALSE(w.sigma_units);
}

TEST_CASE("the extension rule asks for more seeds exactly when |Δ| < 2σ") {
  CHECK(needs_extension(k_unit, of({1.999})));
  CHECK(needs_extension(k_unit, of({-1.999})));
  CHECK(needs_extension(k_unit, of({0.0})));
  CHECK_FALSE(needs_extension(k_unit, of({2.0})));
  CHECK_FALSE(needs_extension(k_unit, of({-2.0})));
  CHECK_FALSE(needs_extension(k_unit, of({})));           // nothing to extend from
  CHECK_FALSE(needs_extension(of({1.0}), of({1.0})));     // σ undefined
  CHECK_FALSE(needs_extension(of({1, 1, 1}), of({1.0}))); // σ = 0: more seeds cannot help
}
