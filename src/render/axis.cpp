#include "seedrun/render/axis.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <tuple>

namespace seedrun::render {

double NiceStep::value() const {
  // m·10^e through an exact integer and an exact power of ten: one correctly rounded operation.
  return exponent >= 0 ? mantissa * std::pow(10.0, exponent) : mantissa / std::pow(10.0, -exponent);
}

NiceStep nice_step_at_least(double x) {
  if (!(x > 0) || !std::isfinite(x)) {
    return {};
  }
  int e = static_cast<int>(std::floor(std::log10(x)));
  for (NiceStep s{1, e - 1};; s = next_nice_step(s)) {
    if (s.value() >= x * (1 - 1e-12)) {
      return s;
    }
  }
}

NiceStep next_nice_step(NiceStep s) {
  switch (s.mantissa) {
  case 1: return {2, s.exponent};
  case 2: return {5, s.exponent};
  default: return {1, s.exponent + 1};
  }
}

namespace {

constexpr double k_axis_limit = 1e300;

// k·m·10^e, exact for the integers involved and correctly rounded once.
double tick_value(long long k, NiceStep s) {
  double km = static_cast<double>(k) * s.mantissa;
  return s.exponent >= 0 ? km * std::pow(10.0, s.exponent) : km / std::pow(10.0, -s.exponent);
}

std::pair<double, double> widen(double lo, double hi) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) {
    return {0, 1};
  }
  if (lo > hi) {
    std::swap(lo, hi);
  }
  if (lo == hi) {
    double pad = lo == 0 ? 1 : std::abs(lo) * 0.1;
    return {lo - pad, hi + pad};
  }
  return {lo, hi};
}

} // namespace

AxisScale nice_scale(double lo_in, double hi_in, int max_ticks) {
  auto [lo, hi] = widen(lo_in, hi_in);
  // Values near ±DBL_MAX would make hi − lo infinite; nothing real is plotted out there.
  lo = std::clamp(lo, -k_axis_limit, k_axis_limit);
  hi = std::clamp(hi, -k_axis_limit, k_axis_limit);
  if (!(lo < hi)) {
    std::tie(lo, hi) = widen(lo, lo);
  }
  max_ticks = std::max(2, max_ticks);
  NiceStep step = nice_step_at_least((hi - lo) / (max_ticks - 1));
  long long first = 0;
  long long last = 0;
  bool found = false;
  for (int guard = 0; guard < 64 && !found; ++guard, step = found ? step : next_nice_step(step)) {
    double s = step.value();
    // Tolerate rounding noise so that 0.6/0.2 counts as 3, not 3.0000000000000004.
    double f = std::floor(lo / s + 1e-9);
    double l = std::ceil(hi / s - 1e-9);
    if (!(s > 0) || !(std::abs(f) < 1e15) || !(std::abs(l) < 1e15)) {
      continue; // a step of 0 (denormal ranges) or tick indices no integer holds: try the next step
    }
    first = static_cast<long long>(f);
    last = static_cast<long long>(l);
    found = last > first && last - first + 1 <= max_ticks;
  }
  if (!found) { // no round step fits (a range far below 1e-290): the two ends as they are
    AxisScale out;
    out.step = step;
    out.ticks = {lo, hi};
    out.labels = {fmt::format("{:.3g}", lo), fmt::format("{:.3g}", hi)};
    out.lo = lo;
    out.hi = hi;
    return out;
  }
  AxisScale out;
  out.step = step;
  for (long long k = first; k <= last; ++k) {
    double v = tick_value(k, step);
    out.ticks.push_back(v);
    out.labels.push_back(tick_label(v, step));
  }
  out.lo = out.ticks.front();
  out.hi = out.ticks.back();
  return out;
}

std::string fixed_decimals(double v, int decimals) {
  if (!std::isfinite(v)) {
    return "n/a";
  }
  auto s = fmt::format("{:.{}f}", v, std::max(0, decimals));
  if (s.front() == '-' && s.find_first_not_of("-0.") == std::string::npos) {
    s.erase(0, 1);
  }
  return s;
}

std::string tick_label(double v, NiceStep step) {
  bool scientific = step.exponent < -4 || std::abs(v) >= 1e6;
  if (v == 0 && scientific) {
    return "0";
  }
  if (scientific) {
    int e = static_cast<int>(std::floor(std::log10(std::abs(v)) + 1e-12));
    int decimals = std::max(0, e - step.exponent);
    double mant = v / std::pow(10.0, e);
    auto m = fixed_decimals(mant, decimals);
    if (m.find('.') != std::string::npos) {
      while (m.back() == '0') {
        m.pop_back();
      }
      if (m.back() == '.') {
        m.pop_back();
      }
    }
    return fmt::format("{}e{}", m, e);
  }
  return fixed_decimals(v, std::max(0, -step.exponent));
}

} // namespace seedrun::render
