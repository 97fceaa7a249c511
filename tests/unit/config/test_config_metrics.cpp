// `metrics:` in seedrun.yaml: a list of metrics, each with one source; the old `metric:` is a
// one-entry list. Every mistake is a file:line:col error, with "did you mean" for a misspelt key.
#include "seedrun/config/config.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>

using namespace seedrun::config;

namespace {

constexpr const char* k_min = "command: [python, train.py, --seed, '{seed}']\n";

std::string error_of(const std::string& yaml) {
  try {
    parse_config(yaml, "seedrun.yaml");
  } catch (const seedrun::UsageError& e) {
    return e.what();
  }
  return "no error";
}

Config parse(const std::string& tail) {
  return parse_config(std::string(k_min) + tail, "seedrun.yaml");
}

} // namespace

TEST_CASE("a metrics list reads each source with its settings and defaults") {
  auto cfg = parse(R"(metrics:
  - name: val_loss
    goal: minimize
    pattern: 'step (?P<step>\d+): .*val loss ([0-9.]+)'
  - name: reward
    goal: maximize
    jsonl: {file: '{output_dir}/metrics.jsonl', key: eval.reward, step_key: iteration}
    reduce: mean_last_k
    k: 10
  - name: eval_loss
    goal: none
    hf_trainer_state:
    reduce: min
  - name: lr
    goal: none
    tensorboard: {tag: train/lr, dir: lightning_logs}
)");
  REQUIRE(cfg.metrics.size() == 4);
  const auto& m = cfg.metrics;
  CHECK(m[0].source == MetricSourceKind::pattern);
  CHECK(m[0].pattern == R"(step (?P<step>\d+): .*val loss ([0-9.]+))");
  CHECK(m[0].primary);
  CHECK(m[1].source == MetricSourceKind::jsonl);
  CHECK(m[1].file == "{output_dir}/metrics.jsonl");
  CHECK(m[1].key == "eval.reward");
  CHECK(m[1].step_key == "iteration");
  CHECK(m[1].goal == Goal::maximize);
  CHECK(m[1].reduce == Reduce::mean_last_k);
  CHECK(m[1].reduce_k == 10);
  CHECK(!m[1].primary);
  CHECK(m[2].source == MetricSourceKind::hf_trainer_state);
  CHECK(m[2].key == "eval_loss"); // the name, by default
  CHECK(m[2].goal == Goal::none);
  CHECK(m[2].reduce == Reduce::min);
  CHECK(m[3].source == MetricSourceKind::tensorboard);
  CHECK(m[3].tag == "train/lr");
  CHECK(m[3].dir == "lightning_logs");
  CHECK(m[3].reduce == Reduce::last);
  CHECK(cfg.metric.name == "val_loss"); // the primary
}

TEST_CASE("the primary metric is the first unless one says primary, and it needs a goal") {
  auto cfg = parse("metrics:\n  - {name: lr, goal: none}\n  - {name: acc, goal: maximize, primary: true}\n");
  CHECK(cfg.metric.name == "acc");
  CHECK(cfg.metric.goal == Goal::maximize);
  CHECK(cfg.metrics[1].primary);
  CHECK(!cfg.metrics[0].primary);
  CHECK(cfg.metrics[0].pattern == default_metric_pattern("lr"));
  CHECK(error_of(std::string(k_min) + "metrics:\n  - {name: lr, goal: none}\n") ==
        "seedrun.yaml:3:5: metrics[0] is the primary metric: it decides the verdict, so its goal must be 'minimize' "
        "or 'maximize', not 'none'");
  CHECK(error_of(std::string(k_min) + "metrics:\n  - {name: a, primary: true}\n  - {name: b, primary: true}\n") ==
        "seedrun.yaml:4:24: metrics[1] and metrics[0] are both primary; only one metric decides the verdict");
}

TEST_CASE("the single metric is a one-entry list") {
  auto cfg = parse("metric: {name: loss, goal: minimize}\n");
  REQUIRE(cfg.metrics.size() == 1);
  CHECK(cfg.metrics[0].name == "loss");
  CHECK(cfg.metrics[0].primary);
  CHECK(cfg.metric.primary);
  auto plain = parse("");
  REQUIRE(plain.metrics.size() == 1);
  CHECK(plain.metrics[0].name == "val_loss");
  // The tracker follows file sources (issue 12), so the verdict's metric may be read from a file.
  auto tb = parse("metric: {name: loss, tensorboard: {tag: train/loss}}\n");
  CHECK(tb.metric.source == MetricSourceKind::tensorboard);
  CHECK(tb.metric.tag == "train/loss");
  auto jl = parse("metrics:\n  - {name: r, goal: maximize, jsonl: {file: m.jsonl, key: r}}\n");
  CHECK(jl.metric.name == "r");
  CHECK(jl.metric.source == MetricSourceKind::jsonl);
  CHECK(jl.metrics[0].primary);
  CHECK(error_of(std::string(k_min) + "metric: {name: loss, goal: none}\n") ==
        "seedrun.yaml:2:28: metric.goal must be 'minimize' or 'maximize': the metric decides the verdict");
}

TEST_CASE("metric mistakes are errors with their position") {
  auto err = [](const std::string& tail) { return error_of(std::string(k_min) + tail); };
  CHECK(err("metric: {name: a}\nmetrics: [{name: b}]\n") ==
        "seedrun.yaml:3:10: give either 'metric' (one metric) or 'metrics' (a list), not both");
  CHECK(err("metrics: []\n") ==
        "seedrun.yaml:2:10: 'metrics' must be a non-empty list of metrics (name, goal and one source each)");
  CHECK(err("metrics:\n  - {goal: minimize}\n") == "seedrun.yaml:3:5: metrics[0] must be a mapping with a 'name'");
  CHECK(err("metrics:\n  - {name: a}\n  - {name: a}\n") ==
        "seedrun.yaml:4:12: metric 'a' is listed twice in 'metrics'");
  CHECK(err("metrics:\n  - {name: a, jsonl: {file: m.jsonl}, tensorboard: {}}\n") ==
        "seedrun.yaml:3:52: metrics[0] has two sources, 'jsonl' and 'tensorboard': give exactly one of pattern, "
        "jsonl, hf_trainer_state, tensorboard");
  CHECK(err("metrics:\n  - {name: a, jsonl: {key: a}}\n") ==
        "seedrun.yaml:3:22: metrics[0].jsonl needs 'file': the JSON-lines file, relative to {output_dir}");
  CHECK(err("metrics:\n  - {name: a, tensorbord: {tag: a}}\n") ==
        "seedrun.yaml:3:15: unknown key 'tensorbord' (did you mean 'tensorboard'?)");
  CHECK(err("metrics:\n  - {name: a, jsonl: {file: m.jsonl, stepkey: s}}\n") ==
        "seedrun.yaml:3:38: unknown key 'stepkey' (did you mean 'step_key'?)");
  CHECK(err("metrics:\n  - {name: a, reduce: mean_last}\n") ==
        "seedrun.yaml:3:23: metrics[0].reduce must be one of last, min, max, mean_last_k, got 'mean_last' (did you "
        "mean 'mean_last_k'?)");
  CHECK(err("metrics:\n  - {name: a, k: 3}\n") ==
        "seedrun.yaml:3:18: metrics[0].k is the number of last points averaged by 'reduce: mean_last_k'");
  CHECK(err("metrics:\n  - {name: a, reduce: mean_last_k, k: 0}\n") ==
        "seedrun.yaml:3:39: 'metrics[0].k' must be an integer from 1 to 1000000, got '0'");
  CHECK(err("metrics:\n  - {name: a, goal: up}\n") ==
        "seedrun.yaml:3:21: metrics[0].goal must be 'minimize', 'maximize' or 'none', got 'up'");
  CHECK(err("metrics:\n  - {name: a, hf_trainer_state: {key: ''}}\n") ==
        "seedrun.yaml:3:39: 'metrics[0].hf_trainer_state.key' must not be empty");
  CHECK(err("metrics:\n  - {name: a, pattern: 'a: [0-9]+'}\n").find("must have one capture group") !=
        std::string::npos);
  CHECK(err("metrics: {name: a}\n").find("'metrics' must be a non-empty list") != std::string::npos);
}
