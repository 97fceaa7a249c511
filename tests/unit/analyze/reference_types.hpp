#pragma once
// Row types of reference_values.inc, which tests/fixtures/analyze/reference.py generates.
#include <cmath>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace seedrun::analyze::testing {

inline constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

struct RefRun {
  int seed;
  std::optional<double> final_value;
  std::optional<double> wall;
  std::string state;
  std::string curve; // conv, falling, osc, partial, none
};

struct RefCampaign {
  std::string name;
  std::string kind;
  std::vector<std::string> flags;
  std::vector<RefRun> runs;
};

struct RefSummary {
  size_t n;
  double mean;
  std::optional<double> std;
  double min;
  double max;
  std::optional<std::pair<double, double>> ci;
};

struct RefArm {
  std::string name;
  RefSummary s;
  double minutes;
  RefSummary wall;
};

struct RefPair {
  std::string better;
  std::string worse;
  double delta, t, df, p, p_holm, p_better;
  std::optional<std::pair<double, double>> ci;       // the documented seeded bootstrap
  std::optional<std::pair<double, double>> scipy_ci; // scipy.stats.bootstrap, another random stream
};

struct RefLevel {
  std::string parameter;
  std::string level;
  double mean;
  double spread;
  std::string best;
};

struct RefCell {
  std::string lr;
  std::string warmup;
  double mean;
};

struct RefConvergence {
  std::string kind;
  double change;
  double noise;
  std::string status;
  size_t window;
};

struct RefExpRun {
  std::string name;
  std::optional<std::string> rank;
  std::optional<std::string> lr;
  std::optional<int> seed;
  std::string type;
  std::vector<int> wrong; // wrong answers at epochs 0, 1 (control: one evaluation)
  std::optional<double> secs;
  std::string status;
  std::vector<double> losses; // steps 1..50
};

struct RefExpArm {
  std::string name;
  RefSummary s;
  std::optional<double> minutes;
};

struct RefExpStat {
  std::string metric;
  std::string arm;
  RefSummary s;
};

struct RefRunConvergence {
  std::string run;
  double change;
  double noise;
  std::string status;
  size_t window;
};

// The val_loss points of a campaign run, as reference.py's curve() builds them.
inline std::vector<std::pair<double, double>> ref_curve(const std::string& kind, double final_value) {
  std::vector<std::pair<double, double>> out;
  if (kind == "none") {
    return out;
  }
  for (int i = 0; i < 100; ++i) {
    double s = 10.0 * (i + 1);
    double v = 0;
    if (kind == "falling") {
      v = final_value + 0.6 * (1 - s / 1000);
    } else {
      v = final_value + 0.5 * (std::exp(-s / 200) - std::exp(-5.0));
      if (kind == "osc" && i >= 80 && i < 99) {
        v += 0.5 * (i % 2 == 0 ? 1 : -1);
      }
    }
    out.emplace_back(s, v);
  }
  if (kind == "partial") {
    out.resize(50);
  }
  return out;
}

#include "reference_values.inc"

} // namespace seedrun::analyze::testing
