#include "seedrun/config/config.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/util/error.hpp"

#include <climits>
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
  CHECK(cfg.seeds.baseline == std::vector<long long>{42, 137, 256, 512, 1024});
  CHECK(cfg.seeds.experiment == std::vector<long long>{42, 137, 256});
  CHECK(cfg.seeds.extension == std::vector<long long>{512, 1024});
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
  CHECK(error_of(std::string(k_min) + "parallel: 0\n") ==
        "seedrun.yaml:2:11: 'parallel' must be an integer from 1 to 2147483647, got '0'");
  CHECK(error_of(std::string(k_min) + "executor: cloud\n") ==
        "seedrun.yaml:2:11: executor must be 'local' or 'slurm', got 'cloud'");
}

TEST_CASE("a metric regex must compile and have a capture group") {
  CHECK(error_of(std::string(k_min) + "metric: {pattern: 'val_loss: [0-9'}\n")
            .find("metric.pattern is not a valid regular expression") != std::string::npos);
  CHECK(error_of(std::string(k_min) + "metric: {pattern: 'val_loss: [0-9.]+'}\n").find("must have one capture group") !=
        std::string::npos);
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
  std::vector<std::string> tmpl{"python",  "t.py", "--seed",        "{seed}", "--out={output_dir}",
                                "{flags}", "--n",  "{train_tokens}"};
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

TEST_CASE("a metric name that is not a plain name is a config error with its position") {
  CHECK(error_of(std::string(k_min) + "metric:\n  name: \"loss(\"\n") ==
        "seedrun.yaml:3:9: metric.name must be 1 to 128 letters, digits or _ . - /, got 'loss('");
  auto cfg = parse_config(std::string(k_min) + "metric: {name: eval/loss.v2}\n", "seedrun.yaml");
  CHECK(cfg.metric.pattern == seedrun::config::default_metric_pattern("eval/loss.v2"));
}

TEST_CASE("a metric pattern RE2 cannot express is refused at load time with its position") {
  CHECK(error_of(std::string(k_min) + "metric: {pattern: '(a)\\1 ([0-9]+)'}\n") ==
        "seedrun.yaml:2:19: metric.pattern is not a valid regular expression (RE2 syntax): invalid escape sequence: "
        "'\\1' (RE2 syntax has no backreferences)");
  auto cfg = parse_config(std::string(k_min) + "metric: {pattern: '(?:(a+)+$)|val_loss: ([0-9.]+)'}\n", "s.yaml");
  CHECK(cfg.metric.pattern == "(?:(a+)+$)|val_loss: ([0-9.]+)");
}

TEST_CASE("every integer is range-checked as the type it lands in") {
  SUBCASE("sacct_timeout that would wrap to 0 as an int") {
    CHECK(error_of(std::string(k_min) + "slurm: {sacct_timeout: 4294967296}\n") ==
          "seedrun.yaml:2:24: 'slurm.sacct_timeout' must be an integer from 1 to 86400, got '4294967296'");
  }
  SUBCASE("max_parallel one past INT_MAX") {
    CHECK(error_of(std::string(k_min) + "slurm: {max_parallel: 2147483648}\n") ==
          "seedrun.yaml:2:23: 'slurm.max_parallel' must be an integer from 1 to 2147483647, got '2147483648'");
    auto cfg = parse_config(std::string(k_min) + "slurm: {max_parallel: 2147483647}\n", "s.yaml");
    CHECK(cfg.slurm.max_parallel == INT_MAX);
  }
  SUBCASE("1e300 and 20-digit numbers where an integer is expected") {
    CHECK(error_of(std::string(k_min) + "train_tokens: 1e300\n") ==
          "seedrun.yaml:2:15: 'train_tokens' must be an integer from 1 to 9223372036854775807, got '1e300'");
    CHECK(error_of(std::string(k_min) + "parallel: 99999999999999999999\n") ==
          "seedrun.yaml:2:11: 'parallel' must be an integer from 1 to 2147483647, got '99999999999999999999'");
    CHECK(error_of(std::string(k_min) + "parallel: 1.5\n") ==
          "seedrun.yaml:2:11: 'parallel' must be an integer, got '1.5'");
    CHECK(error_of(std::string(k_min) + "parallel: 0x10\n") ==
          "seedrun.yaml:2:11: 'parallel' must be an integer, got '0x10'");
    CHECK(parse_config(std::string(k_min) + "train_tokens: 1e6\n", "s.yaml").train_tokens == 1000000);
  }
  SUBCASE("seeds are 64-bit and keep their value") {
    auto cfg = parse_config(std::string(k_min) + "seeds: {baseline: [2147483648, 4294967301, 9223372036854775807]}\n",
                            "s.yaml");
    CHECK(cfg.seeds.baseline == std::vector<long long>{2147483648LL, 4294967301LL, LLONG_MAX});
    CHECK(error_of(std::string(k_min) + "seeds: {baseline: [9223372036854775808]}\n") ==
          "seedrun.yaml:2:20: 'seeds.baseline' must be an integer from 0 to 9223372036854775807, got "
          "'9223372036854775808'");
    CHECK(error_of(std::string(k_min) + "seeds: {baseline: [-1]}\n") ==
          "seedrun.yaml:2:20: 'seeds.baseline' must be an integer from 0 to 9223372036854775807, got '-1'");
  }
}

TEST_CASE("a 1 MB unknown key is cut in the message") {
  std::string key(1 << 20, 'k');
  auto msg = error_of(std::string(k_min) + "? " + key + "\n: 1\n"); // an explicit key may be that long
  CHECK(msg.rfind("seedrun.yaml:2:3: unknown key '" + std::string(64, 'k') + "…' in seedrun.yaml", 0) == 0);
  CHECK(msg.size() < 400);
}

TEST_CASE("a NUL inside a command argument is a config error, not a silently shorter argument") {
  CHECK(error_of("command: [python, \"train.py\\0--evil\", '{seed}']\n") ==
        "seedrun.yaml:1:19: 'command' must not contain a NUL character (\\0)");
  CHECK(error_of("command: \"python t.py\\0x {seed}\"\n") ==
        "seedrun.yaml:1:10: 'command' must not contain a NUL character (\\0)");
}

TEST_CASE("expand_command keeps a 64-bit seed whole") {
  auto argv = seedrun::config::expand_command({"t", "--seed={seed}"}, 4294967301LL, 1, "o", {});
  CHECK(argv == std::vector<std::string>{"t", "--seed=4294967301"});
}

TEST_CASE("scale labels do not overflow near the largest token count") {
  using seedrun::config::scale_label;
  CHECK(scale_label(LLONG_MAX) == "9223372036854775807");
  CHECK(scale_label(9223372036854775800LL) == "9223372036854775.8K");
  CHECK(scale_label(9000000000000000000LL) == "9000000000B");
}

TEST_CASE("slurm resources, setup lines and the refresh job are read from the slurm section") {
  auto cfg = parse_config(std::string(k_min) + "slurm:\n  account: ml-lab\n  qos: high\n  gpus: a100:2\n"
                                               "  cpus_per_task: 8\n  mem: 64G\n  refresh_job: false\n"
                                               "  setup:\n    - module load cuda/12\n"
                                               "    - source .venv/bin/activate\n",
                          "s.yaml");
  CHECK(cfg.slurm.account == "ml-lab");
  CHECK(cfg.slurm.qos == "high");
  CHECK(cfg.slurm.gpus == "a100:2");
  CHECK(cfg.slurm.cpus_per_task == 8);
  CHECK(cfg.slurm.mem == "64G");
  CHECK_FALSE(cfg.slurm.refresh_job);
  CHECK(cfg.slurm.setup == std::vector<std::string>{"module load cuda/12", "source .venv/bin/activate"});
  auto block = parse_config(std::string(k_min) + "slurm:\n  setup: |\n    module load cuda/12\n    conda activate x\n",
                            "s.yaml");
  CHECK(block.slurm.setup == std::vector<std::string>{"module load cuda/12", "conda activate x"});
  auto defaults = parse_config(k_min, "s.yaml");
  CHECK(defaults.slurm.refresh_job);
  CHECK(defaults.slurm.cpus_per_task == 0);
  CHECK(defaults.slurm.job_name_pattern == "seedrun-{project}-{campaign}-{arm}");
}

TEST_CASE("mistakes in the new slurm keys point at file:line:col") {
  CHECK(error_of(std::string(k_min) + "slurm:\n  acount: ml\n") ==
        "seedrun.yaml:3:3: unknown key 'acount' (did you mean 'account'?)");
  CHECK(error_of(std::string(k_min) + "slurm:\n  cpus_per_tasks: 4\n") ==
        "seedrun.yaml:3:3: unknown key 'cpus_per_tasks' (did you mean 'cpus_per_task'?)");
  CHECK(error_of(std::string(k_min) + "slurm:\n  cpus_per_task: 0\n") ==
        "seedrun.yaml:3:18: 'slurm.cpus_per_task' must be an integer from 1 to 100000, got '0'");
  CHECK(error_of(std::string(k_min) + "slurm:\n  mem: ''\n") ==
        "seedrun.yaml:3:8: 'slurm.mem' must not be empty (leave the key out for Slurm's default)");
  CHECK(error_of(std::string(k_min) + "slurm:\n  account: \"a\\nb\"\n") ==
        "seedrun.yaml:3:12: 'slurm.account' must be one line without control characters");
  CHECK(error_of(std::string(k_min) + "slurm:\n  setup: {module: cuda}\n") ==
        "seedrun.yaml:3:10: 'slurm.setup' must be a list of shell lines (e.g. [\"module load cuda/12\"]) or a block "
        "string");
  CHECK(error_of(std::string(k_min) + "slurm:\n  setup: [\"a\\nb\"]\n") ==
        "seedrun.yaml:3:11: each 'slurm.setup' item is one line; use one list item per line");
  CHECK(error_of(std::string(k_min) + "slurm:\n  refresh_job: maybe\n") ==
        "seedrun.yaml:3:16: 'slurm.refresh_job' must be true or false");
  CHECK(error_of(std::string(k_min) + "slurm:\n  job_name_pattern: 'x-{arm}'\n") ==
        "seedrun.yaml:3:21: slurm.job_name_pattern must contain {campaign} and {arm} (and may contain {project}), "
        "e.g. seedrun-{project}-{campaign}-{arm}");
}

TEST_CASE("slurm.signal is <signal>[@<seconds>], its SIG and B: prefixes optional") {
  auto signal_of = [](const std::string& value) {
    return parse_config(std::string(k_min) + "slurm:\n  requeue: true\n  signal: '" + value + "'\n", "s.yaml").slurm;
  };
  CHECK(signal_of("USR1@120").signal == "USR1@120");
  CHECK(signal_of("USR1@120").requeue);
  CHECK(signal_of("B:SIGUSR1@90").signal == "SIGUSR1@90");
  CHECK(signal_of("10").signal == "10");
  CHECK(parse_config(k_min, "s.yaml").slurm.signal.empty());
  const std::string want_tail =
      " is not <signal>[@<seconds>], e.g. USR1@120 (SIGUSR1 two minutes before the time limit)";
  CHECK(error_of(std::string(k_min) + "slurm:\n  signal: usr1@120\n") ==
        "seedrun.yaml:3:11: slurm.signal 'usr1@120'" + want_tail);
  CHECK(error_of(std::string(k_min) + "slurm:\n  signal: USR1@2m\n") ==
        "seedrun.yaml:3:11: slurm.signal 'USR1@2m'" + want_tail);
  CHECK(error_of(std::string(k_min) + "slurm:\n  signal: 'USR1@99999999999'\n") ==
        "seedrun.yaml:3:11: slurm.signal 'USR1@99999999999'" + want_tail);
  CHECK(error_of(std::string(k_min) + "slurm:\n  signal: '$(reboot)'\n") ==
        "seedrun.yaml:3:11: slurm.signal '$(reboot)'" + want_tail);
}
