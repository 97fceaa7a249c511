#pragma once
// Student's t and the noncentral t distribution: CDFs and the t quantile, implemented on top
// of special_functions.hpp (no numerics library). Accurate to about 1e-13 (absolute and, in
// the lower tail, relative) for the degrees of freedom and noncentralities seedrun meets;
// tests/unit/stats compares them with scipy. Invalid parameters (df ≤ 0, NaN) give NaN.

namespace seedrun::stats {

// P(T ≤ t) for Student's t with df > 0 degrees of freedom (df = inf: the normal).
double student_t_cdf(double t, double df);

// P(|T| ≥ |t|), the two-sided p-value of a t statistic, accurate also when it is tiny.
double student_t_two_sided_p(double t, double df);

// The t with P(T ≤ t) = p: −inf at p = 0, +inf at p = 1, NaN outside [0, 1]. Found by
// bisection on student_t_cdf, so it is as accurate as the CDF.
double student_t_quantile(double p, double df);

// P(T ≤ t) for the noncentral t with df > 0 and noncentrality ncp. The Poisson-weighted
// incomplete-beta series (Benton & Krishnamoorthy 2003), summed outward from the largest
// Poisson weight, so a large ncp neither underflows nor needs thousands of terms. Beyond
// |ncp| = 1000 a normal approximation (Abramowitz & Stegun 26.7.10) is used instead.
double noncentral_t_cdf(double t, double df, double ncp);

} // namespace seedrun::stats
