#include "seedrun/stats/assessment.hpp"

#include "seedrun/stats/distributions.hpp"
#include "seedrun/stats/power.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace seedrun::stats {
namespace {

double power_at(double d, int n1, int n2, double alpha) {
  double df = n1 + n2 - 2.0;
  double ncp = d * std::sqrt(static_cast<double>(n1) * n2 / (n1 + n2));
  double tcrit = -student_t_quantile(alpha / 2, df);
  return 1 - noncentral_t_cdf(tcrit, df, ncp) + noncentral_t_cdf(-tcrit, df, ncp);
}

std::string seeds_word(size_t n) {
  return n == 1 ? "seed" : "seeds";
}

// Why the evidence of one arm cannot carry a verdict, or nothing.
void check_arm(const char* name, const ArmEvidence& arm, const AssessmentPolicy& policy,
               std::vector<std::string>& reasons) {
  if (arm.final < arm.planned) {
    reasons.push_back(fmt::format("{}: {} of {} {} still running or planned", name, arm.planned - arm.final,
                                  arm.planned, seeds_word(static_cast<size_t>(arm.planned))));
  }
  if (static_cast<int>(arm.values.size()) < policy.min_seeds) {
    std::string failed =
        arm.failed_seeds.empty() ? std::string() : fmt::format(" (failed: {})", fmt::join(arm.failed_seeds, ", "));
    reasons.push_back(fmt::format("{} has {} counted {} of {}{}; a verdict needs {} per arm", name, arm.values.size(),
                                  seeds_word(arm.values.size()), arm.planned, failed, policy.min_seeds));
  }
}

// Welch and the bootstrap against a decisive rule verdict: what does not agree, in words.
std::vector<std::string> disagreements(const Comparison& c, double alpha) {
  std::vector<std::string> out;
  if (!c.welch_p) {
    out.push_back("Welch's p is undefined");
  } else if (!(*c.welch_p < alpha)) {
    out.push_back(fmt::format("p = {:.2g}", *c.welch_p));
  }
  if (!c.ci95) {
    out.push_back("no bootstrap CI");
  } else if (c.ci95->first <= 0 && c.ci95->second >= 0) {
    out.push_back("CI crosses 0");
  }
  return out;
}

} // namespace

std::optional<double> detectable_effect(int n1, int n2, double power, double alpha) {
  if (n1 < 2 || n2 < 2 || !(power > 0 && power < 1) || !(alpha > 0 && alpha < 1)) {
    return std::nullopt;
  }
  // Power grows with d: bracket, then bisect to 1e-6.
  double lo = 0;
  double hi = 1;
  while (power_at(hi, n1, n2, alpha) < power) {
    lo = hi;
    hi *= 2;
    if (hi > 1e6) {
      return std::nullopt;
    }
  }
  while (hi - lo > 1e-6) {
    double mid = (lo + hi) / 2;
    (power_at(mid, n1, n2, alpha) >= power ? hi : lo) = mid;
  }
  return hi;
}

Assessment assess(const ArmEvidence& base, const ArmEvidence& exp, Goal goal, const AssessmentPolicy& policy) {
  Assessment a;
  a.cmp = compare(base.values, exp.values, goal);
  check_arm("baseline", base, policy, a.incomplete_reasons);
  check_arm("experiment", exp, policy, a.incomplete_reasons);
  bool rule_applies = a.cmp.sigma_units.has_value();
  if (a.incomplete_reasons.empty() && !rule_applies) {
    a.incomplete_reasons.push_back(a.cmp.label); // e.g. "inconclusive: baseline σ is zero"
  }
  a.verdict = a.incomplete_reasons.empty() ? a.cmp.verdict : Verdict::incomplete;
  bool decisive = a.cmp.verdict != Verdict::neutral && rule_applies;
  if (decisive) {
    a.disagreements = disagreements(a.cmp, policy.alpha);
    a.confirmed = a.disagreements.empty();
  }
  // More seeds can help exactly when the rule applies and finds |Δ| < 2σ, or calls an effect
  // that its own statistics do not back; never on an arm that is still short of evidence.
  bool enough = static_cast<int>(exp.values.size()) >= policy.min_seeds && exp.final == exp.planned;
  a.extension_advised = enough && rule_applies && (!decisive || (!a.confirmed && policy.extend_when_unconfirmed));
  // `seedrun plan` and the report give the same figures: both at the configured α.
  a.alpha = policy.alpha;
  a.power = policy.power;
  if (a.cmp.cohens_d) {
    a.cmp.seeds_needed_80 = seeds_needed_for_power(*a.cmp.cohens_d, 0.8, policy.alpha);
    a.cmp.seeds_needed_alpha = policy.alpha;
  }
  a.detectable_d = detectable_effect(static_cast<int>(a.cmp.baseline.n), static_cast<int>(a.cmp.experiment.n),
                                     policy.power, policy.alpha);
  if (a.detectable_d && a.cmp.baseline.std && a.cmp.experiment.std) {
    double pooled =
        std::sqrt((*a.cmp.baseline.std * *a.cmp.baseline.std + *a.cmp.experiment.std * *a.cmp.experiment.std) / 2);
    if (std::isfinite(pooled) && pooled > 0) {
      a.detectable_delta = *a.detectable_d * pooled;
      if (*a.cmp.baseline.std > 0) {
        a.detectable_sigma = *a.detectable_delta / *a.cmp.baseline.std;
      }
    }
  }
  return a;
}

std::string Assessment::headline(const std::string& metric) const {
  if (verdict == Verdict::incomplete) {
    return fmt::format("INCOMPLETE: {}", fmt::join(incomplete_reasons, "; "));
  }
  std::string units = cmp.sigma_units ? fmt::format("{:+.2f}σ", *cmp.sigma_units) : std::string("n/a");
  if (verdict == Verdict::neutral) {
    return fmt::format("NEUTRAL ({} {}): {}", units, metric, cmp.label);
  }
  if (confirmed) {
    return fmt::format("{} by the 2σ rule ({} {}), confirmed: Welch p = {:.2g}, bootstrap CI excludes 0",
                       to_string(verdict), units, metric, *cmp.welch_p);
  }
  return fmt::format("{} by the 2σ rule ({} {}), not confirmed: {}", to_string(verdict), units, metric,
                     fmt::join(disagreements, ", "));
}

} // namespace seedrun::stats
