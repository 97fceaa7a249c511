// `health:` in seedrun.yaml: the seed's defaults, every threshold configurable, rates as
// fractions or percentages, and file:line:col errors with "did you mean" for a misspelt key.
#include "seedrun/config/config.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>

using namespace seedrun::config;

namespace {

constexpr const char* k_min = "command: [python, train.py, --seed, '{seed}']\n";

std::string error_of(const std::string& tail) {
  try {
    parse_config(std::string(k_min) + tail, "seedrun.yaml");
  } catch (const seedrun::UsageError& e) {
    return e.what();
  }
  return "no error";
}

Config parse(const std::string& tail) {
  return parse_config(std::string(k_min) + tail, "seedrun.yaml");
}

} // namespace

TEST_CASE("without health: the seed's targets are the defaults") {
  auto h = parse("").health;
  CHECK(h.kl_stable_below == 0.1);
  CHECK(h.kl_spike_above == 0.2);
  CHECK(h.grad_norm_below == 50);
  CHECK(h.rollout_p95_below_seconds == 120);
  CHECK(h.extraction_rate_above == 0.95);
  CHECK(h.error_rate_below == 0.01);
  CHECK(h.loss_evals == 5);
  CHECK(h.metrics_file == "metrics.jsonl");
  CHECK(h.events_file == "events.jsonl");
  CHECK(h.kl_metric == "kl");
  CHECK(h.finite_metrics == std::vector<std::string>{"loss"});
}

TEST_CASE("every health threshold and name is read") {
  auto h = parse(R"(health:
  kl_metric: train/kl
  kl_stable_below: 0.05
  kl_spike_above: 0.3
  grad_norm_metric: grad_norm_total
  grad_norm_below: 10
  loss_metric: val/loss
  loss_evals: 3
  finite_metrics: [loss, reward]
  rollout_p95_below_seconds: 90
  extraction_rate_above: 99%
  error_rate_below: 0.5%
  metrics_file: logs/metrics.jsonl
  events_file: "{output_dir}/events.jsonl"
  step_key: global_step
)")
               .health;
  CHECK(h.kl_metric == "train/kl");
  CHECK(h.kl_stable_below == 0.05);
  CHECK(h.kl_spike_above == 0.3);
  CHECK(h.grad_norm_metric == "grad_norm_total");
  CHECK(h.grad_norm_below == 10);
  CHECK(h.loss_metric == "val/loss");
  CHECK(h.loss_evals == 3);
  CHECK(h.finite_metrics == std::vector<std::string>{"loss", "reward"});
  CHECK(h.rollout_p95_below_seconds == 90);
  CHECK(h.extraction_rate_above == doctest::Approx(0.99));
  CHECK(h.error_rate_below == doctest::Approx(0.005));
  CHECK(h.metrics_file == "logs/metrics.jsonl");
  CHECK(h.events_file == "{output_dir}/events.jsonl");
  CHECK(h.step_key == "global_step");
}

TEST_CASE("health mistakes are file:line:col errors") {
  CHECK(error_of("health:\n  kl_spike_abve: 0.3\n") ==
        "seedrun.yaml:3:3: unknown key 'kl_spike_abve' (did you mean 'kl_spike_above'?)");
  CHECK(error_of("health:\n  grad_norm_below: lots\n") ==
        "seedrun.yaml:3:20: 'health.grad_norm_below' must be a number >= 0, got 'lots'");
  CHECK(error_of("health:\n  grad_norm_below: 50%\n") ==
        "seedrun.yaml:3:20: 'health.grad_norm_below' must be a number >= 0, got '50%'");
  CHECK(
      error_of("health:\n  error_rate_below: 2\n") ==
      "seedrun.yaml:3:21: 'health.error_rate_below' must be a rate from 0 to 1 or a percentage (0.95 or 95%), got '2'");
  CHECK(error_of("health:\n  loss_evals: 1\n") ==
        "seedrun.yaml:3:15: 'health.loss_evals' must be an integer from 2 to 1000000, got '1'");
  CHECK(error_of("health:\n  kl_metric: ''\n") == "seedrun.yaml:3:14: 'health.kl_metric' must not be empty");
  CHECK(error_of("health:\n  kl_spike_above: 0.05\n") ==
        "seedrun.yaml:3:3: 'health.kl_spike_above' (0.05) must not be below 'health.kl_stable_below' (0.1)");
  CHECK(error_of("health: 3\n") == "seedrun.yaml:2:9: 'health' must be a mapping");
}
