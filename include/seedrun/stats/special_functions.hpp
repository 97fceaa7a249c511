#pragma once
// The special functions the distributions are built from, written here rather than taken from
// a numerics library so that every platform computes the same numbers. Public so they can be
// tested on their own. Accurate to about 1e-14 relative for the arguments seedrun uses
// (tests/unit/stats compare them with scipy). Invalid arguments (a ≤ 0, NaN) give NaN: these
// are building blocks and their callers check their inputs first.

namespace seedrun::stats {

// Φ(z), the standard normal CDF; relatively accurate far into the lower tail.
double normal_cdf(double z);

// The remainder of Stirling's series, ln Γ(x) − [(x − ½) ln x − x + ½ ln 2π], for x ≥ 10.
double stirling_correction(double x);

// ln B(a, b) for a, b > 0, free of the cancellation of lgamma(a) + lgamma(b) − lgamma(a + b)
// when an argument is large.
double log_beta(double a, double b);

// x^a · y^b / B(a, b), the common factor of I_x(a, b) and of its recurrences; y = 1 − x is
// passed by the caller, who can usually compute it without cancellation.
double beta_power_term(double a, double b, double x, double y);

// I_x(a, b), the regularized incomplete beta function, by the continued fraction of TOMS 708. The
// four-argument form takes y = 1 − x from the caller (see beta_power_term). x outside [0, 1]
// is clamped.
double regularized_incomplete_beta(double a, double b, double x);
double regularized_incomplete_beta(double a, double b, double x, double y);

// e^−λ · λ^k / k! for an integer k ≥ 0 and λ ≥ 0, by Loader's saddle-point method: accurate
// to about 1e-15 near the mode, however large k and λ are (the naive formula loses about
// λ·ε there), which is where the noncentral t needs it. Far in the tails (|ln(k/λ)| ≈ 1) the
// relative error grows to about k·ε.
double poisson_probability(double k, double lambda);

} // namespace seedrun::stats
