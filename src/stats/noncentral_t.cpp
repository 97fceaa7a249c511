// The noncentral t CDF. For t ≥ 0, with x = t²/(t² + ν), b = ν/2, λ = δ²/2:
//   F(t; ν, δ) = Φ(−δ) + ½ Σ_j [ P_j·I_x(j + ½, b) + (δ/√2)·Q_j·I_x(j + 1, b) ],
//   P_j = e^−λ λ^j / j!,  Q_j = e^−λ λ^j / Γ(j + 3/2)
// (Lenth, AS 243, 1989). Following Benton & Krishnamoorthy (2003) the sum starts at the
// largest weight j = ⌊λ⌋ and runs outward with the recurrences of I_x, so e^−λ never
// underflows on its own. For t < 0, F(t; ν, δ) = 1 − F(−t; ν, −δ).
#include "seedrun/stats/distributions.hpp"
#include "seedrun/stats/special_functions.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace seedrun::stats {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();
constexpr double k_max_series_ncp = 1000;
constexpr int k_max_terms = 1000000;

// The state of term j: Poisson weights, incomplete betas and their recurrence steps
// g(a) = x^a y^b / (a·B(a, b)), for which I_x(a + 1, b) = I_x(a, b) − g(a).
struct Term {
  double j, p, q, ip, iq, gp, gq;
};

struct Series {
  double x, y, b, lambda, s; // s = δ/√2
  double value(const Term& t) const { return t.p * t.ip + s * t.q * t.iq; }
  double bound(const Term& t) const { return t.p + std::fabs(s) * t.q; }
};

Term term_at_mode(const Series& se) {
  Term t{};
  t.j = std::floor(se.lambda);
  t.p = poisson_probability(t.j, se.lambda);
  t.q = t.p * std::exp(log_beta(t.j + 1, 0.5)) / std::sqrt(std::numbers::pi); // ·Γ(j+1)/Γ(j+3/2)
  double ap = t.j + 0.5;
  double aq = t.j + 1;
  t.ip = regularized_incomplete_beta(ap, se.b, se.x, se.y);
  t.iq = regularized_incomplete_beta(aq, se.b, se.x, se.y);
  t.gp = beta_power_term(ap, se.b, se.x, se.y) / ap;
  t.gq = beta_power_term(aq, se.b, se.x, se.y) / aq;
  return t;
}

// Terms j > mode. Each factor of a term falls with j, so what is left after term j is below
// term_j·r/(1 − r) with r = λ/(j + 1).
double sum_forward(const Series& se, Term t, double scale) {
  double sum = 0;
  for (int i = 0; i < k_max_terms; ++i) {
    double a_p = t.j + 0.5;
    double a_q = t.j + 1;
    t.ip = std::max(0.0, t.ip - t.gp);
    t.iq = std::max(0.0, t.iq - t.gq);
    t.gp *= se.x * (a_p + se.b) / (a_p + 1);
    t.gq *= se.x * (a_q + se.b) / (a_q + 1);
    t.j += 1;
    t.p *= se.lambda / t.j;
    t.q *= se.lambda / (t.j + 0.5);
    double v = se.value(t);
    sum += v;
    double r = se.lambda / (t.j + 1);
    if (r < 1 && (t.p * t.ip + std::fabs(se.s) * t.q * t.iq) * r / (1 - r) <= 1e-17 * (std::fabs(sum) + scale)) {
      break;
    }
  }
  return sum;
}

// Terms j < mode, whose Poisson weights fall geometrically toward 0; I_x ≤ 1 bounds the rest.
double sum_backward(const Series& se, Term t, double scale) {
  double sum = 0;
  while (t.j >= 1) {
    t.p *= t.j / se.lambda;
    t.q *= (t.j + 0.5) / se.lambda;
    t.j -= 1;
    double a_p = t.j + 0.5; // g(a) = g(a + 1)·(a + 1)/(x·(a + b))
    double a_q = t.j + 1;
    t.gp *= (a_p + 1) / (se.x * (a_p + se.b));
    t.gq *= (a_q + 1) / (se.x * (a_q + se.b));
    t.ip += t.gp;
    t.iq += t.gq;
    sum += se.value(t);
    double r = (t.j + 0.5) / se.lambda; // the larger of P_{j−1}/P_j and Q_{j−1}/Q_j
    if (r < 1 && se.bound(t) * r / (1 - r) <= 1e-17 * (std::fabs(sum) + scale)) {
      break;
    }
  }
  return sum;
}

// F(t; ν, δ) for t ≥ 0 by the series.
double cdf_nonnegative_t(double t, double df, double ncp) {
  double base = normal_cdf(-ncp);
  if (t == 0) {
    return base;
  }
  Series se{};
  if (t * t > df) {
    double r = (df / t) / t;
    se.x = 1 / (1 + r);
    se.y = r / (1 + r);
  } else {
    double r = t * t / df;
    se.x = r / (1 + r);
    se.y = 1 / (1 + r);
  }
  se.b = df / 2;
  se.lambda = ncp * ncp / 2;
  se.s = ncp / std::numbers::sqrt2;
  Term mode = term_at_mode(se);
  double at_mode = se.value(mode);
  double scale = std::fabs(at_mode) + base;
  double sum = at_mode + sum_forward(se, mode, scale) + sum_backward(se, mode, scale);
  return base + 0.5 * sum;
}

// Abramowitz & Stegun 26.7.10, as R's pnt uses it where the series is impractical.
double cdf_normal_approximation(double t, double df, double ncp) {
  double s = 1 / (4 * df);
  return normal_cdf((t * (1 - s) - ncp) / std::sqrt(1 + t * t * 2 * s));
}

} // namespace

double noncentral_t_cdf(double t, double df, double ncp) {
  if (std::isnan(t) || std::isnan(ncp) || !(df > 0)) {
    return k_nan;
  }
  if (std::isinf(t)) {
    return t > 0 ? 1 : 0;
  }
  if (std::isinf(ncp)) {
    return ncp > 0 ? 0 : 1;
  }
  if (ncp == 0) {
    return student_t_cdf(t, df);
  }
  if (std::isinf(df)) {
    return normal_cdf(t - ncp);
  }
  if (std::fabs(ncp) > k_max_series_ncp) {
    return std::clamp(cdf_normal_approximation(t, df, ncp), 0.0, 1.0);
  }
  double f = t >= 0 ? cdf_nonnegative_t(t, df, ncp) : 1 - cdf_nonnegative_t(-t, df, -ncp);
  return std::clamp(f, 0.0, 1.0);
}

} // namespace seedrun::stats
