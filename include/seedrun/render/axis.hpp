#pragma once
// Axis ticks at "nice numbers" (Heckbert, Graphics Gems, 1990): steps of 1, 2 or 5 times a power
// of ten, so a reader sees 0, 0.2, 0.4 ... rather than 0.13, 0.26 ... Ticks are computed as
// integer multiples of the step, so 0.3 is written "0.3", never "0.30000000000000004".
#include <string>
#include <vector>

namespace seedrun::render {

// A step m·10^e with m ∈ {1, 2, 5}.
struct NiceStep {
  int mantissa = 1;
  int exponent = 0;
  double value() const;
};

// The smallest nice step ≥ x (x > 0 and finite; anything else gives 1).
NiceStep nice_step_at_least(double x);
// The nice step after `s`: 1 → 2 → 5 → 10.
NiceStep next_nice_step(NiceStep s);

// The value range an axis shows, its ticks and how to label them.
struct AxisScale {
  double lo = 0;
  double hi = 1;
  NiceStep step;
  std::vector<double> ticks;       // lo, lo + step, ..., hi (lo and hi are multiples of step)
  std::vector<std::string> labels; // one per tick, with the same number of decimals
};

// The finest nice step whose ticks, from floor(lo/step)·step to ceil(hi/step)·step, number at
// most `max_ticks` (≥ 2); the axis spans exactly those ticks. A degenerate or non-finite range is
// widened first (lo == hi == 0 → [0, 1]; lo == hi → ±10%), so the result always has ≥ 2 ticks.
AxisScale nice_scale(double lo, double hi, int max_ticks);

// The label of tick `v` on an axis with step `step`: fixed decimals from the step ("0.25",
// "1000"), or scientific ("2e-5", "1.5e6") when the step is below 1e-4 or |v| reaches 1e6.
std::string tick_label(double v, NiceStep step);

// A value printed with `decimals` decimals, trailing zeros kept ("0.850"), "-0" avoided.
std::string fixed_decimals(double v, int decimals);

} // namespace seedrun::render
