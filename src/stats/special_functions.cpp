// Special functions: Stirling's correction, ln B, the incomplete beta function (the continued
// fraction of Didonato & Morris, ACM TOMS 708, with y = 1 − x passed through) and
// Loader's Poisson probabilities ("Fast and accurate computation of binomial probabilities",
// 2000), the method behind R's dpois.
#include "seedrun/stats/special_functions.hpp"

#include <cmath>
#include <limits>
#include <numbers>

namespace seedrun::stats {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_half_log_2pi = 0.91893853320467274178032973640562; // ½ ln 2π

// The continued fraction of I_x(a, b) / (x^a y^b / B(a, b)) in the form of Didonato & Morris
// (1992, ACM TOMS 708, "bfrac"). Its terms are written through λ = a − (a + b)·x, which the
// caller forms from y when that avoids cancellation; Lentz's textbook form (Numerical Recipes
// §6.4) instead loses about a·ε near x ≈ 1, i.e. 1e-11 in a t CDF at df = 10⁶. Converges for
// x < (a + 1)/(a + b + 2), where λ > −1.
double beta_continued_fraction(double a, double b, double x, double y, double lambda) {
  constexpr int k_max_iter = 100000;
  double c = lambda + 1;
  double c0 = b / a;
  double c1 = 1 / a + 1;
  double yp1 = y + 1;
  double p = 1;
  double s = a + 1;
  double an = 0;
  double bn = 1;
  double anp1 = 1;
  double bnp1 = c / c1;
  double r = c1 / c;
  for (int i = 1; i <= k_max_iter; ++i) {
    double n = i;
    double t = n / a;
    double w = n * (b - n) * x;
    double e = a / s;
    double alpha = p * (p + c0) * e * e * (w * x);
    e = (t + 1) / (c1 + t + t);
    double beta = n + w / s + e * (c + n * yp1);
    p = t + 1;
    s += 2;
    t = alpha * an + beta * anp1;
    an = anp1;
    anp1 = t;
    t = alpha * bn + beta * bnp1;
    bn = bnp1;
    bnp1 = t;
    double r0 = r;
    r = anp1 / bnp1;
    if (!(std::fabs(r - r0) > 4 * std::numeric_limits<double>::epsilon() * r)) {
      break; // converged (or NaN, which must not loop)
    }
    an /= bnp1; // rescale
    bn /= bnp1;
    anp1 = r;
    bnp1 = 1;
  }
  return r;
}

// ln(n!) − [(n + ½) ln n − n + ½ ln 2π], Loader's stirlerr.
double stirling_error(double n) {
  if (n < 16) {
    return std::lgamma(n + 1) - (n + 0.5) * std::log(n) + n - k_half_log_2pi;
  }
  return stirling_correction(n); // ln n! = (n + ½) ln n − n + ½ ln 2π + correction(n)
}

// x ln(x/np) + np − x without cancellation when x ≈ np (Loader's bd0).
double deviance_term(double x, double np) {
  if (std::fabs(x - np) < 0.1 * (x + np)) {
    double v = (x - np) / (x + np);
    double s = (x - np) * v;
    double ej = 2 * x * v;
    v *= v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v;
      double s1 = s + ej / (2 * j + 1);
      if (s1 == s) {
        return s1;
      }
      s = s1;
    }
    return s;
  }
  return x * std::log1p((x - np) / np) + np - x; // log1p: no rounding of x/np near 1
}

} // namespace

double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::numbers::sqrt2);
}

double stirling_correction(double x) {
  // Coefficients B_2k / (2k(2k − 1)) of the asymptotic series; at x ≥ 10 the next term is
  // below 1e-17 of the first.
  constexpr double k_c[] = {1.0 / 12, -1.0 / 360, 1.0 / 1260, -1.0 / 1680, 1.0 / 1188, -691.0 / 360360.0, 1.0 / 156};
  double inv = 1 / x;
  double inv2 = inv * inv;
  double sum = 0;
  for (int i = 6; i >= 0; --i) {
    sum = sum * inv2 + k_c[i];
  }
  return sum * inv;
}

double log_beta(double a, double b) {
  if (!(a > 0) || !(b > 0)) {
    return k_nan;
  }
  double p = std::min(a, b);
  double q = std::max(a, b);
  if (p >= 10) {
    double corr = stirling_correction(p) + stirling_correction(q) - stirling_correction(p + q);
    return k_half_log_2pi - 0.5 * std::log(q) + corr + (p - 0.5) * std::log(p / (p + q)) + q * std::log1p(-p / (p + q));
  }
  if (q >= 10) {
    double corr = stirling_correction(q) - stirling_correction(p + q);
    return std::lgamma(p) + corr + p - p * std::log(p + q) + (q - 0.5) * std::log1p(-p / (p + q));
  }
  return std::lgamma(p) + std::lgamma(q) - std::lgamma(p + q);
}

double beta_power_term(double a, double b, double x, double y) {
  if (!(a > 0) || !(b > 0) || std::isnan(x) || std::isnan(y)) {
    return k_nan;
  }
  if (x <= 0 || y <= 0) {
    return 0;
  }
  double log_x = x > 0.5 ? std::log1p(-y) : std::log(x);
  double log_y = y > 0.5 ? std::log1p(-x) : std::log(y);
  return std::exp(a * log_x + b * log_y - log_beta(a, b));
}

double regularized_incomplete_beta(double a, double b, double x) {
  return regularized_incomplete_beta(a, b, x, 1 - x);
}

double regularized_incomplete_beta(double a, double b, double x, double y) {
  if (!(a > 0) || !(b > 0) || std::isnan(x) || std::isnan(y)) {
    return k_nan;
  }
  if (x <= 0) {
    return 0;
  }
  if (y <= 0) {
    return 1;
  }
  double front = beta_power_term(a, b, x, y);
  if (x < (a + 1) / (a + b + 2)) {
    double lambda = a > b ? (a + b) * y - b : a - (a + b) * x; // a − (a + b)·x, the precise way
    return front * beta_continued_fraction(a, b, x, y, lambda);
  }
  double lambda = b > a ? (a + b) * x - a : b - (a + b) * y; // the same for I_y(b, a)
  return 1 - front * beta_continued_fraction(b, a, y, x, lambda);
}

double poisson_probability(double k, double lambda) {
  if (std::isnan(k) || std::isnan(lambda) || k < 0 || lambda < 0) {
    return k_nan;
  }
  if (lambda == 0) {
    return k == 0 ? 1 : 0;
  }
  if (k == 0) {
    return std::exp(-lambda);
  }
  return std::exp(-stirling_error(k) - deviance_term(k, lambda)) / std::sqrt(2 * std::numbers::pi * k);
}

} // namespace seedrun::stats
