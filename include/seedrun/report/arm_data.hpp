#pragma once
// The numbers of one arm as the statistics see them, collected from the store: which seeds
// count, their metric and wall time, and which were excluded and why. Failed, cancelled and
// non-finite runs are listed, never silently averaged.
#include "seedrun/store/store.hpp"

#include <string>
#include <vector>

namespace seedrun::report {

struct SeedResult {
  int seed = 0;
  int attempt = 1;
  std::string state;
  std::optional<double> metric;    // last value of the campaign metric
  std::optional<double> wall_time; // seconds
  std::optional<std::string> reason;
  std::string phase;
  bool counted = false; // completed with a finite metric: part of the statistics
};

struct ArmData {
  std::vector<SeedResult> seeds;   // current attempt of every seed, in seed-plan order
  std::vector<double> metric;      // counted values
  std::vector<double> wall_time;   // wall times of counted seeds (when known)
  std::vector<std::string> notes;  // "seed 256 FAILED (exit code 3): excluded"
  int attempts = 0;                // all attempts, including superseded ones
  bool all_final = false;
};

ArmData collect_arm(store::Store& store, const store::Campaign& campaign);

} // namespace seedrun::report
