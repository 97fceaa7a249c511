#include "seedrun/stats/stats.hpp"

#include <cmath>

namespace seedrun::stats {

std::string_view to_string(EffectClass e) {
  switch (e) {
  case EffectClass::negligible: return "negligible";
  case EffectClass::small: return "small";
  case EffectClass::medium: return "medium";
  case EffectClass::large: return "large";
  }
  return "negligible";
}

std::string_view to_string(Verdict v) {
  switch (v) {
  case Verdict::winner: return "WINNER";
  case Verdict::loser: return "LOSER";
  case Verdict::neutral: return "NEUTRAL";
  }
  return "NEUTRAL";
}

std::optional<double> cohens_d(const Summary& base, const Summary& exp) {
  if (!base.std || !exp.std || !base.mean || !exp.mean) {
    return std::nullopt;
  }
  double pooled = std::sqrt((*base.std * *base.std + *exp.std * *exp.std) / 2);
  if (!(pooled > 0)) {
    return std::nullopt;
  }
  return (*exp.mean - *base.mean) / pooled;
}

EffectClass classify_effect(double d) {
  double a = std::fabs(d);
  if (a < 0.2) {
    return EffectClass::negligible;
  }
  if (a < 0.5) {
    return EffectClass::small;
  }
  if (a < 0.8) {
    return EffectClass::medium;
  }
  return EffectClass::large;
}

VerdictResult judge(const Summary& base, const Summary& exp, Goal goal) {
  VerdictResult r;
  if (!exp.mean) {
    r.label = "inconclusive: no completed experiment seeds";
    return r;
  }
  if (!base.std) {
    r.label = "inconclusive: fewer than 2 baseline seeds";
    return r;
  }
  if (!(*base.std > 0)) {
    r.label = "inconclusive: baseline σ is zero";
    return r;
  }
  double units = (*exp.mean - *base.mean) / *base.std;
  r.sigma_units = units;
  double improvement = goal == Goal::minimize ? -units : units;
  if (improvement >= 2) {
    r.verdict = Verdict::winner;
    r.label = "significant: better by at least 2σ";
  } else if (improvement <= -2) {
    r.verdict = Verdict::loser;
    r.label = "significant: worse by at least 2σ";
  } else if (std::fabs(units) >= 1) {
    r.label = "suggestive but inconclusive (between 1σ and 2σ)";
  } else {
    r.label = "noise (below 1σ)";
  }
  return r;
}

bool needs_extension(const Summary& base, const Summary& exp) {
  if (!base.std || !(*base.std > 0) || !exp.mean || !base.mean) {
    return false;
  }
  return std::fabs(*exp.mean - *base.mean) < 2 * *base.std;
}

std::optional<double> wall_clock_percent(const Summary& base, const Summary& exp) {
  if (!base.mean || !exp.mean || *base.mean == 0) {
    return std::nullopt;
  }
  return (*exp.mean - *base.mean) / *base.mean * 100;
}

Comparison compare(std::span<const double> base, std::span<const double> exp, Goal goal) {
  Comparison c;
  c.baseline = describe(base);
  c.experiment = describe(exp);
  if (c.baseline.mean && c.experiment.mean) {
    c.delta = *c.experiment.mean - *c.baseline.mean;
  }
  auto v = judge(c.baseline, c.experiment, goal);
  c.verdict = v.verdict;
  c.label = v.label;
  c.sigma_units = v.sigma_units;
  c.cohens_d = cohens_d(c.baseline, c.experiment);
  if (c.cohens_d) {
    c.effect = classify_effect(*c.cohens_d);
    c.seeds_needed_80 = seeds_needed_for_power(*c.cohens_d);
  }
  c.welch_p = welch_p_value(base, exp);
  c.ci95 = bootstrap_ci_delta(base, exp);
  return c;
}

} // namespace seedrun::stats
