// Student t and noncentral t distributions, implemented here so that results do not depend on
// a numerics library: the regularized incomplete beta by Lentz's continued fraction, and the
// noncentral t CDF by Lenth's algorithm AS 243 (Applied Statistics 38, 1989).
#include "seedrun/stats/stats.hpp"

#include <cmath>
#include <limits>

namespace seedrun::stats {
namespace {

double beta_continued_fraction(double a, double b, double x) {
  constexpr int k_max_iter = 10000;
  constexpr double k_eps = 1e-16;
  constexpr double k_tiny = 1e-300;
  double qab = a + b, qap = a + 1, qam = a - 1;
  double c = 1, d = 1 - qab * x / qap;
  if (std::fabs(d) < k_tiny) {
    d = k_tiny;
  }
  d = 1 / d;
  double h = d;
  for (int m = 1; m <= k_max_iter; ++m) {
    double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    d = std::fabs(d) < k_tiny ? k_tiny : d;
    c = 1 + aa / c;
    c = std::fabs(c) < k_tiny ? k_tiny : c;
    d = 1 / d;
    h *= d * c;
    aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    d = std::fabs(d) < k_tiny ? k_tiny : d;
    c = 1 + aa / c;
    c = std::fabs(c) < k_tiny ? k_tiny : c;
    d = 1 / d;
    double del = d * c;
    h *= del;
    if (std::fabs(del - 1) < k_eps) {
      break;
    }
  }
  return h;
}

double standard_normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

} // namespace

double regularized_incomplete_beta(double a, double b, double x) {
  if (x <= 0) {
    return 0;
  }
  if (x >= 1) {
    return 1;
  }
  double ln_front = std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  double front = std::exp(ln_front);
  if (x < (a + 1) / (a + b + 2)) {
    return front * beta_continued_fraction(a, b, x) / a;
  }
  return 1 - front * beta_continued_fraction(b, a, 1 - x) / b;
}

double student_t_cdf(double t, double df) {
  if (std::isinf(t)) {
    return t > 0 ? 1 : 0;
  }
  double x = df / (df + t * t);
  double tail = 0.5 * regularized_incomplete_beta(df / 2, 0.5, x); // P(T > |t|)
  return t > 0 ? 1 - tail : tail;
}

double student_t_quantile(double p, double df) {
  if (p <= 0) {
    return -std::numeric_limits<double>::infinity();
  }
  if (p >= 1) {
    return std::numeric_limits<double>::infinity();
  }
  if (p < 0.5) {
    return -student_t_quantile(1 - p, df);
  }
  // Solve on the upper tail, which the incomplete beta gives to full relative precision.
  double target = 1 - p;
  auto tail = [df](double t) { return 0.5 * regularized_incomplete_beta(df / 2, 0.5, df / (df + t * t)); };
  double lo = 0, hi = 1;
  while (tail(hi) > target) {
    hi *= 2;
  }
  for (int i = 0; i < 300 && hi - lo > 1e-15 * hi; ++i) {
    double mid = 0.5 * (lo + hi);
    (tail(mid) > target ? lo : hi) = mid;
  }
  double t = 0.5 * (lo + hi);
  for (int i = 0; i < 3; ++i) { // Newton polish with the density
    double pdf = std::exp(std::lgamma((df + 1) / 2) - std::lgamma(df / 2) - 0.5 * std::log(df * M_PI) -
                          (df + 1) / 2 * std::log1p(t * t / df));
    if (!(pdf > 0)) {
      break;
    }
    t += (tail(t) - target) / pdf;
  }
  return t;
}

double noncentral_t_cdf(double t, double df, double ncp) {
  if (ncp == 0) {
    return student_t_cdf(t, df);
  }
  bool negdel = t < 0;
  double tt = negdel ? -t : t;
  double del = negdel ? -ncp : ncp;
  constexpr int k_itrmax = 100000;
  constexpr double k_errmax = 1e-15;
  double x = tt * tt / (tt * tt + df);
  double tnc = 0;
  if (x > 0) {
    double lambda = del * del;
    double p = 0.5 * std::exp(-0.5 * lambda);
    double q = std::sqrt(2.0 / M_PI) * p * del;
    double s = 0.5 - p;
    if (s < 1e-7) {
      s = -0.5 * std::expm1(-0.5 * lambda);
    }
    double a = 0.5, b = 0.5 * df;
    double rxb = std::pow(1 - x, b);
    double albeta = std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); // log B(1/2, df/2)
    double xodd = regularized_incomplete_beta(a, b, x);
    double godd = 2 * rxb * std::exp(a * std::log(x) - albeta);
    tnc = b * x;
    double xeven = (tnc < std::numeric_limits<double>::epsilon()) ? tnc : 1 - rxb;
    double geven = tnc * rxb;
    tnc = p * xodd + q * xeven;
    for (int it = 1; it <= k_itrmax; ++it) {
      a += 1;
      xodd -= godd;
      xeven -= geven;
      godd *= x * (a + b - 1) / a;
      geven *= x * (a + b - 0.5) / (a + 0.5);
      p *= lambda / (2 * it);
      q *= lambda / (2 * it + 1);
      tnc += p * xodd + q * xeven;
      s -= p;
      if (s < -1e-10) {
        break; // precision lost; the sum so far is the best estimate
      }
      if ((s <= 0 && it > 1) || std::fabs(2 * s * (xodd - godd)) < k_errmax) {
        break;
      }
    }
  }
  tnc += standard_normal_cdf(-del);
  if (negdel) {
    return std::min(1.0, std::max(0.0, 1 - tnc));
  }
  return std::min(1.0, std::max(0.0, tnc));
}

} // namespace seedrun::stats
