#pragma once
// Effect sizes of one metric between two arms, exactly as the seed defines them
// (/work/shared/spec/method.md): Cohen's d with the seed's pooled σ, its class, and the wall
// clock change in percent. Undefined values are nullopt, never NaN or inf.
#include "seedrun/stats/describe.hpp"

#include <optional>
#include <string_view>

namespace seedrun::stats {

enum class EffectClass { negligible, small, medium, large };

// "negligible", "small", "medium", "large".
std::string_view to_string(EffectClass e);

// d = (μ_exp − μ_base) / σ_pooled with σ_pooled = sqrt((σ_base² + σ_exp²) / 2). nullopt when an
// arm has fewer than 2 values (no σ) or σ_pooled is 0.
std::optional<double> cohens_d(const Summary& base, const Summary& exp);

// The class of |d|: < 0.2 negligible, < 0.5 small, < 0.8 medium, otherwise large.
EffectClass classify_effect(double d);

// (μ_exp − μ_base) / μ_base × 100, signed (negative = the experiment is faster). nullopt when
// an arm is empty or μ_base is 0.
std::optional<double> wall_clock_percent(const Summary& base, const Summary& exp);

} // namespace seedrun::stats
