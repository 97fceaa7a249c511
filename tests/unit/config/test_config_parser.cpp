#include "seedrun/config/config.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>

using seedrun::UsageError;
using seedrun::config::parse_config;

namespace {

std::string error_of(const std::string& yaml) {
  try {
    parse_config(yaml, "seedrun.yaml");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "no error";
}

const char* k_min = "command: [python, train.py, --seed, '{seed}']\n";

} // namespace

TEST_CASE("a minimal config gets the method's defaults") {
  auto cfg = parse_config(k_min, "/tmp/proj/seedrun.yaml");
  CHECK(cfg.train_tokens == 1000000);
  CHECK(cfg.seeds.baseline == std::vector<int>{42, 137, 256, 512, 1024});
  CHECK(cfg.seeds.experiment == std::vector<int>{42, 137, 256});
  CHECK(cfg.seeds.extension == std::vector<int>{512, 1024});
  CHECK(cfg.metric.name == "val_loss");
  CHECK(cfg.metric.goal == seedrun::config::Goal::minimize);
  CHECK(cfg.parallel == 1);
  CHECK(cfg.cleanup_checkpoints);
  CHECK(cfg.paths.reports == std::filesystem::path("/tmp/proj/docs/research"));
  CHECK(cfg.paths.state == std::filesystem::path("/tmp/proj/.seedrun"));
  CHECK(cfg.executor == seedrun::config::ExecutorKind::local);
}

TEST_CASE("an unknown key names its line and column and suggests the right one") {
  std::string yaml = std::string(k_min) + "name: x\nsedes:\n  baseline: [1, 2]\n";
  CHECK(error_of(yaml) == "seedrun.yaml:3:1: unknown key 'sedes' (did you mean 'seeds'?)");
  CHECK(error_of(std::string(k_min) + "seeds:\n  basline: [1]\n") ==
        "seedrun.yaml:3:3: unknown key 'basline' (did you mean 'baseline'?)");
}

TEST_CASE("wrong types, duplicate seeds and bad commands are rejected with a position") {
  CHECK(error_of(std::string(k_min) + "train_tokens: lots\n") ==
        "seedrun.yaml:2:15: 'train_tokens' must be an integer, got 'lots'");
  CHECK(error_of(std::string(k_min) + "seeds: {baseline: [1, 2, 1]}\n") ==
        "seedrun.yaml:2:26: duplicate seed 1 in 'seeds.baseline'");
  CHECK(error_of("command: python train.py\n") ==
        "seedrun.yaml:1:10: 'command' must contain {seed}, or every run would train with the same seed");
  CHECK(error_of(std::string(k_min) + "parallel: 0\n") == "seedrun.yaml:2:11: 'parallel' must be at least 1, got 0");
  CHECK(error_of(std::string(k_min) + "executor: cloud\n") ==
        "seedrun.yaml:2:11: executor must be 'local' or 'slurm', got 'cloud'");
}

TEST_CASE("a metric regex must compile and have a capture group") {
  CHECK(error_of(std::string(k_min) + "metric: {pattern: 'val_loss: [0-9'}\n").find(
            "metric.pattern is not a valid regular expression") != std::string::npos);
  CHECK(error_of(std::string(k_min) + "metric: {pattern: 'val_loss: [0-9.]+'}\n").find(
            "must have one capture group") != std::string::npos);
}

TEST_CASE("a one-line command is split like a shell would, but never run by one") {
  auto cfg = parse_config("command: python train.py --seed {seed} --note '$(rm -rf ~); x'\n", "s.yaml");
  REQUIRE(cfg.command.size() == 6);
  CHECK(cfg.command[5] == "$(rm -rf ~); x");
}

TEST_CASE("broken YAML reports the parser's position") {
  CHECK(error_of("command: [a, {seed}\n").rfind("seedrun.yaml:", 0) == 0);
}

TEST_CASE("expand_command substitutes placeholders and keeps every flag one argument") {
  std::vector<std::string> tmpl{"python", "t.py", "--seed", "{seed}", "--out={output_dir}", "{flags}", "--n",
                                "{train_tokens}"};
  auto argv = seedrun::config::expand_command(tmpl, 42, 1000, "/ck/x", {"--use_warmup", "$(touch /tmp/x); x"});
  CHECK(argv == std::vector<std::string>{"python", "t.py", "--seed", "42", "--out=/ck/x", "--use_warmup",
                                         "$(touch /tmp/x); x", "--n", "1000"});
  auto appended = seedrun::config::expand_command({"t", "{seed}"}, 1, 1, "o", {"--f"});
  CHECK(appended == std::vector<std::string>{"t", "1", "--f"});
}

TEST_CASE("scale labels") {
  using seedrun::config::scale_label;
  CHECK(scale_label(1000000) == "1M");
  CHECK(scale_label(500000) == "500K");
  CHECK(scale_label(1500000) == "1.5M");
  CHECK(scale_label(2000000000) == "2B");
  CHECK(scale_label(1234) == "1234");
  CHECK(scale_label(20000) == "20K");
}
