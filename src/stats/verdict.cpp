#include "seedrun/stats/verdict.hpp"

#include <cmath>

namespace seedrun::stats {

std::string_view to_string(Verdict v) {
  switch (v) {
  case Verdict::winner: return "WINNER";
  case Verdict::loser: return "LOSER";
  case Verdict::neutral: return "NEUTRAL";
  case Verdict::incomplete: return "INCOMPLETE";
  }
  return "NEUTRAL";
}

namespace {

// Why the rule cannot be applied, or nullopt when it can.
std::optional<std::string_view> inapplicable(const Summary& base, const Summary& exp) {
  if (!exp.mean) {
    return k_label_no_experiment;
  }
  if (base.n < 2 || !base.mean) {
    return k_label_few_baseline;
  }
  if (!base.std) {
    return k_label_sigma_overflow;
  }
  if (!(*base.std > 0)) {
    return k_label_zero_sigma;
  }
  return std::nullopt;
}

} // namespace

VerdictResult judge(const Summary& base, const Summary& exp, Goal goal) {
  VerdictResult r;
  if (auto why = inapplicable(base, exp)) {
    r.label = std::string(*why);
    return r;
  }
  double delta = *exp.mean - *base.mean;
  double units = delta / *base.std;
  if (std::isfinite(units)) {
    r.sigma_units = units;
  } else {
    // Δ overflowed or σ is subnormal: far beyond 2σ either way; the sign still decides.
    units = std::signbit(delta) ? -HUGE_VAL : HUGE_VAL;
  }
  double improvement = goal == Goal::minimize ? -units : units;
  if (improvement >= 2) {
    r.verdict = Verdict::winner;
    r.label = std::string(k_label_significant);
  } else if (improvement <= -2) {
    r.verdict = Verdict::loser;
    r.label = std::string(k_label_significant);
  } else if (std::fabs(units) >= 1) {
    r.label = std::string(k_label_suggestive);
  } else {
    r.label = std::string(k_label_noise);
  }
  return r;
}

bool needs_extension(const Summary& base, const Summary& exp) {
  auto r = judge(base, exp, Goal::minimize); // |Δ| < 2σ does not depend on the goal
  return r.verdict == Verdict::neutral && r.sigma_units.has_value();
}

} // namespace seedrun::stats
