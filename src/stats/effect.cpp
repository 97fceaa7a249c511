#include "seedrun/stats/effect.hpp"

#include <cmath>
#include <numbers>

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

std::optional<double> cohens_d(const Summary& base, const Summary& exp) {
  if (!base.std || !exp.std || !base.mean || !exp.mean) {
    return std::nullopt;
  }
  double pooled = std::hypot(*base.std, *exp.std) / std::numbers::sqrt2; // sqrt((a² + b²)/2), no overflow
  if (!(pooled > 0)) {
    return std::nullopt;
  }
  double d = (*exp.mean - *base.mean) / pooled;
  return std::isfinite(d) ? std::optional<double>(d) : std::nullopt;
}

EffectClass classify_effect(double d) {
  double a = std::fabs(d);
  if (!(a >= 0.2)) { // a NaN (cohens_d never returns one) counts as negligible
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

std::optional<double> wall_clock_percent(const Summary& base, const Summary& exp) {
  if (!base.mean || !exp.mean || *base.mean == 0) {
    return std::nullopt;
  }
  double pct = (*exp.mean - *base.mean) / *base.mean * 100;
  return std::isfinite(pct) ? std::optional<double>(pct) : std::nullopt;
}

} // namespace seedrun::stats
