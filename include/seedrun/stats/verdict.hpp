#pragma once
// The seed's decision rule (/work/shared/spec/method.md, Phases 2 and 3): Δ = μ_exp − μ_base
// measured in baseline σ, WINNER/LOSER from 2σ, and when to run the extension seeds.
#include "seedrun/stats/describe.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace seedrun::stats {

enum class Goal { minimize, maximize };
// incomplete is never the rule's answer: only assess() (assessment.hpp) gives it.
enum class Verdict { winner, neutral, loser, incomplete };

// "WINNER", "NEUTRAL", "LOSER", "INCOMPLETE".
std::string_view to_string(Verdict v);

// A verdict with its label and Δ / σ_base (signed: positive when the experiment's mean is
// higher, whatever the goal). sigma_units is nullopt whenever the rule could not be applied.
struct VerdictResult {
  Verdict verdict = Verdict::neutral;
  std::string label;
  std::optional<double> sigma_units;
};

// Labels, exactly as reports print them.
inline constexpr std::string_view k_label_significant = "significant (≥2σ)";
inline constexpr std::string_view k_label_suggestive = "suggestive but inconclusive";
inline constexpr std::string_view k_label_noise = "noise";
inline constexpr std::string_view k_label_no_experiment = "inconclusive: no completed experiment seeds";
inline constexpr std::string_view k_label_few_baseline = "inconclusive: fewer than 2 baseline seeds";
inline constexpr std::string_view k_label_zero_sigma = "inconclusive: baseline σ is zero";
inline constexpr std::string_view k_label_sigma_overflow = "inconclusive: baseline σ is not representable";

// improvement = −Δ when minimizing, +Δ when maximizing. WINNER when improvement ≥ 2σ_base,
// LOSER when ≤ −2σ_base, both labelled "significant (≥2σ)"; otherwise NEUTRAL, labelled
// "suggestive but inconclusive" when |Δ| ≥ 1σ_base and "noise" below. The rule cannot be
// applied without an experiment value, with fewer than 2 baseline values or with σ_base = 0:
// NEUTRAL with an "inconclusive: ..." label (checked in that order) and no sigma_units.
VerdictResult judge(const Summary& base, const Summary& exp, Goal goal);

// The extension rule: true exactly when judge() applies the rule and finds |Δ| < 2σ_base
// (a NEUTRAL with sigma_units). False when the rule cannot be applied (no experiment value,
// σ_base undefined or 0): more experiment seeds cannot make that judgeable.
bool needs_extension(const Summary& base, const Summary& exp);

} // namespace seedrun::stats
