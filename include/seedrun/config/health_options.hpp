#pragma once
// `health:` in seedrun.yaml: the thresholds of `seedrun health` (docs/health.md). The defaults
// are seed 000's targets. Every comparison is strict, as the seed writes them: "< 0.1" means a
// KL of exactly 0.1 is not stable, "> 95%" means an extraction rate of exactly 95% is a miss.
#include <string>
#include <vector>

namespace seedrun::config {

struct HealthOptions {
  // seedrun.yaml has a `health:` section: `seedrun refresh` then evaluates every started run
  // (without one, only runs whose metrics or events file exists; track/health_refresh.hpp).
  bool configured = false;

  // Where a run's files are, relative to its output directory (or the --dir folder). A metric
  // named below that is listed under `metrics:` is read from that source instead.
  std::string metrics_file = "metrics.jsonl";
  std::string events_file = "events.jsonl";
  std::string step_key = "step"; // of metrics_file

  std::string kl_metric = "kl";
  double kl_stable_below = 0.1; // KL above this (and not above the spike threshold): not stable
  double kl_spike_above = 0.2;  // KL above this: a spike, flagged at its step
  std::string grad_norm_metric = "grad_norm";
  double grad_norm_below = 50;
  std::string loss_metric = "eval_loss";
  int loss_evals = 5; // K: flagged when none of the last K-1 evals is below the one before them
  // Series checked for NaN/inf besides the three above.
  std::vector<std::string> finite_metrics{"loss"};

  double rollout_p95_below_seconds = 120;
  double extraction_rate_above = 0.95; // a fraction (0.95), or "95%" in the file
  double error_rate_below = 0.01;
};

} // namespace seedrun::config
