#include "seedrun/stats/assessment.hpp"

#include <doctest/doctest.h>
#include <string>
#include <vector>

using namespace seedrun::stats;

namespace {

ArmEvidence arm(std::vector<double> values, int planned, std::vector<long long> failed = {}) {
  ArmEvidence a;
  a.values = std::move(values);
  a.planned = planned;
  a.final = planned;
  a.failed_seeds = std::move(failed);
  return a;
}

const ArmEvidence k_base = arm({3.21, 3.22, 3.20, 3.21, 3.20}, 5);

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("one counted experiment seed never gives a verdict, however large the effect") {
  // Two of three seeds failed; the one left is 50σ better than the baseline.
  auto a = assess(k_base, arm({2.70}, 3, {137, 256}), Goal::minimize);
  CHECK(a.cmp.verdict == Verdict::winner); // the bare rule would have said so
  CHECK(a.verdict == Verdict::incomplete);
  CHECK_FALSE(a.extension_advised);
  auto line = a.headline("val_loss");
  CHECK(contains(line, "INCOMPLETE"));
  CHECK(contains(line, "experiment has 1 counted seed of 3 (failed: 137, 256)"));
  CHECK(contains(line, "needs 2 per arm"));
}

TEST_CASE("every seed failing is INCOMPLETE, not NEUTRAL") {
  auto a = assess(k_base, arm({}, 3, {42, 137, 256}), Goal::minimize);
  CHECK(a.verdict == Verdict::incomplete);
  CHECK(contains(a.headline("val_loss"), "experiment has 0 counted seeds of 3 (failed: 42, 137, 256)"));
  auto b = assess(arm({}, 5, {42, 137, 256, 512, 1024}), arm({3.1, 3.2, 3.1}, 3), Goal::minimize);
  CHECK(b.verdict == Verdict::incomplete);
  CHECK(contains(b.headline("val_loss"), "baseline has 0 counted seeds of 5"));
}

TEST_CASE("no verdict while a planned seed is still running") {
  auto exp = arm({3.10, 3.11}, 3);
  exp.final = 2;
  auto a = assess(k_base, exp, Goal::minimize);
  CHECK(a.verdict == Verdict::incomplete);
  CHECK(contains(a.headline("val_loss"), "experiment: 1 of 3 seeds still running or planned"));
}

TEST_CASE("a WINNER by the 2σ rule that Welch and the bootstrap do not back says so and asks for seeds") {
  // Δ = −0.0573 = −10.47 baseline σ, but the experiment's seeds spread widely: scipy's
  // ttest_ind(equal_var=False) gives p = 0.526.
  auto a = assess(arm({3.00, 3.01, 3.00, 3.01, 3.00}, 5), arm({2.80, 2.99, 3.05}, 3), Goal::minimize);
  CHECK(a.verdict == Verdict::winner);
  CHECK_FALSE(a.confirmed);
  CHECK(a.cmp.welch_p.value() == doctest::Approx(0.5262464362101529).epsilon(1e-9));
  CHECK(a.extension_advised);
  auto line = a.headline("val_loss");
  CHECK(contains(line, "WINNER by the 2σ rule (-10.47σ val_loss), not confirmed: p = 0.53, CI crosses 0"));
  AssessmentPolicy no_extension;
  no_extension.extend_when_unconfirmed = false;
  CHECK_FALSE(assess(arm({3.00, 3.01, 3.00, 3.01, 3.00}, 5), arm({2.80, 2.99, 3.05}, 3), Goal::minimize, no_extension)
                  .extension_advised);
}

TEST_CASE("a WINNER that Welch and the bootstrap agree with is confirmed and needs no more seeds") {
  auto a = assess(k_base, arm({3.15, 3.16, 3.15}, 3), Goal::minimize);
  CHECK(a.verdict == Verdict::winner);
  CHECK(a.confirmed);
  CHECK(a.disagreements.empty());
  CHECK_FALSE(a.extension_advised);
  CHECK(a.cmp.welch_p.value() == doctest::Approx(4.9669516329118094e-05).epsilon(1e-6));
  CHECK(contains(a.headline("val_loss"),
                 "WINNER by the 2σ rule (-6.53σ val_loss), confirmed: Welch p = 5e-05, bootstrap CI excludes 0"));
}

TEST_CASE("inside 2σ the extension seeds are advised, as the seed's rule asks") {
  auto a = assess(k_base, arm({3.20, 3.21, 3.20}, 3), Goal::minimize);
  CHECK(a.verdict == Verdict::neutral);
  CHECK(a.extension_advised);
  CHECK(contains(a.headline("val_loss"), "NEUTRAL (-0.56σ val_loss): noise"));
}

TEST_CASE("a zero baseline σ cannot be judged and says why") {
  auto a = assess(arm({3.2, 3.2, 3.2}, 3), arm({3.1, 3.0}, 2), Goal::minimize);
  CHECK(a.verdict == Verdict::incomplete);
  CHECK(contains(a.headline("val_loss"), "baseline σ is zero"));
  CHECK_FALSE(a.extension_advised);
}

TEST_CASE("the smallest detectable effect equals scipy's noncentral t power solved for d") {
  // scipy: brentq(lambda d: power(d, n1, n2) - 0.8) with power from stats.nct (two-sided α = 0.05).
  CHECK(detectable_effect(5, 3).value() == doctest::Approx(2.458832376634402).epsilon(1e-5));
  CHECK(detectable_effect(5, 5).value() == doctest::Approx(2.024439339269224).epsilon(1e-5));
  CHECK(detectable_effect(2, 2).value() == doctest::Approx(5.653489266395657).epsilon(1e-5));
  CHECK(detectable_effect(10, 7).value() == doctest::Approx(1.4773628078786498).epsilon(1e-5));
  CHECK_FALSE(detectable_effect(1, 5));
  auto a = assess(k_base, arm({3.15, 3.16, 3.15}, 3), Goal::minimize);
  REQUIRE(a.detectable_d);
  CHECK(*a.detectable_d == doctest::Approx(2.458832376634402).epsilon(1e-5));
  REQUIRE(a.detectable_delta);
  REQUIRE(a.detectable_sigma);
}

TEST_CASE("the detectable effect and the seeds needed use the configured alpha, as seedrun plan does") {
  AssessmentPolicy policy;
  policy.alpha = 0.1;
  auto exp = arm({3.195, 3.21, 3.20}, 3);
  auto a = assess(k_base, exp, Goal::minimize, policy);
  CHECK(a.alpha == 0.1);
  CHECK(a.power == 0.8);
  // scipy (scripts/check_plan_vs_scipy.py): detectable(5, 3, 0.8, 0.1), needed(0.7906, 0.8, 0.1 / 0.05)
  REQUIRE(a.detectable_d);
  CHECK(*a.detectable_d == doctest::Approx(2.0609307439961797).epsilon(1e-5));
  CHECK(a.cmp.seeds_needed_alpha == 0.1);
  CHECK(a.cmp.seeds_needed_80 == 21);
  auto at_default = assess(k_base, exp, Goal::minimize);
  CHECK(at_default.cmp.seeds_needed_alpha == 0.05);
  CHECK(at_default.cmp.seeds_needed_80 == 27);
}
