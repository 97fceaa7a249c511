#pragma once
// The one assessment of an experiment against its baseline. Every consumer (the tracker that
// finishes a campaign and decides the extension seeds, the report writer, `status`,
// `experiment`'s last lines, `analyze`) calls assess() and nothing else, so they can never
// disagree. It adds three things to the seed's 2σ rule (verdict.hpp):
//   - minimum evidence: no verdict before every planned seed is final, and never from fewer
//     than `min_seeds` counted seeds per arm (INCOMPLETE, with the reasons in words);
//   - confirmation: a WINNER/LOSER by the rule is "confirmed" only when Welch's p < α and the
//     bootstrap 95% CI of Δ excludes 0 on the same side; an unconfirmed one says so and asks
//     for the extension seeds (the rule's verdict still stands, as method.md says);
//   - the smallest effect these seeds could have detected at 80% power.
#include "seedrun/stats/compare.hpp"

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace seedrun::stats {

// What one arm brought: the counted values, and how many seeds were planned, are final and
// failed (final without a counted value). `failed_seeds` names them for the reasons.
struct ArmEvidence {
  std::vector<double> values;
  int planned = 0;
  int final = 0;
  std::vector<long long> failed_seeds;
};

struct AssessmentPolicy {
  int min_seeds = 2;                   // per arm
  double alpha = 0.05;                 // for the confirmation and the detectable effect
  double power = 0.8;                  // for the detectable effect
  bool extend_when_unconfirmed = true; // a decisive but unconfirmed verdict asks for more seeds
};

struct Assessment {
  Comparison cmp;                        // every number; cmp.verdict is the seed's rule alone
  Verdict verdict = Verdict::incomplete; // cmp.verdict, or INCOMPLETE without enough evidence
  std::vector<std::string> incomplete_reasons;
  bool confirmed = false;                 // decisive and agreed by Welch and the bootstrap CI
  std::vector<std::string> disagreements; // "p = 0.42", "CI crosses 0"
  bool extension_advised = false;         // |Δ| < 2σ, or decisive but unconfirmed (with the policy)
  // The smallest |d| (σ_pooled units) these seeds detect with `power` at two-sided α, and the
  // same in metric units (× the observed σ_pooled) and in baseline σ.
  std::optional<double> detectable_d, detectable_delta, detectable_sigma;
  double alpha = 0.05, power = 0.8; // of the policy these were computed with, for the report to say

  // One line for terminals and reports, e.g.
  //   "WINNER by the 2σ rule (−2.74σ), not confirmed: p = 0.42, CI crosses 0"
  //   "INCOMPLETE: experiment has 1 counted seed of 3 (failed: 137, 256); a verdict needs 2 per arm"
  std::string headline(const std::string& metric) const;
};

// The assessment of `exp` against `base` for a metric with `goal`.
Assessment assess(const ArmEvidence& base, const ArmEvidence& exp, Goal goal, const AssessmentPolicy& policy = {});

// The smallest |d| that a two-sided two-sample t-test with n1 and n2 seeds detects with
// `power` at `alpha` (df = n1 + n2 − 2, ncp = |d|·sqrt(n1·n2/(n1 + n2))). nullopt unless both
// arms have at least 2 seeds.
std::optional<double> detectable_effect(int n1, int n2, double power = 0.8, double alpha = 0.05);

} // namespace seedrun::stats
