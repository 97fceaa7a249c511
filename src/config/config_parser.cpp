// seedrun.yaml → Config. yaml-cpp is used here and in experiment_spec.cpp only; its exceptions become UsageErrors with
// `file:line:col` (1-based) so an editor can jump to the problem.
#include "seedrun/config/config.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/shell_words.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <set>
#include <yaml-cpp/yaml.h>

namespace seedrun::config {
namespace {

class Reader {
public:
  explicit Reader(std::filesystem::path origin) : m_origin(std::move(origin)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& msg) const {
    const auto m = node.Mark();
    if (m.line >= 0) {
      throw UsageError(fmt::format("{}:{}:{}: {}", m_origin.string(), m.line + 1, m.column + 1, msg));
    }
    throw UsageError(fmt::format("{}: {}", m_origin.string(), msg));
  }

  // Rejects keys not in `allowed`, suggesting the closest one.
  void check_keys(const YAML::Node& map, const std::vector<std::string>& allowed, const std::string& where) const {
    if (!map.IsMap()) {
      fail(map, fmt::format("'{}' must be a mapping", where));
    }
    for (auto it = map.begin(); it != map.end(); ++it) {
      auto key = it->first.as<std::string>();
      if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) {
        continue;
      }
      auto hint = util::closest_match(key, allowed);
      auto shown = util::abbreviate(key);
      fail(it->first,
           hint ? fmt::format("unknown key '{}' (did you mean '{}'?)", shown, *hint)
                : fmt::format("unknown key '{}' in {} (expected one of: {})", shown, where, util::join(allowed, ", ")));
    }
  }

  // Every string of the configuration ends up in argv, paths or file names, where a NUL
  // would silently cut it.
  std::string str(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) {
      fail(n, fmt::format("'{}' must be a string", key));
    }
    if (n.Scalar().find('\0') != std::string::npos) {
      fail(n, fmt::format("'{}' must not contain a NUL character (\\0)", key));
    }
    return n.Scalar();
  }

  // An integer in [min, max]: callers pass the range of the type the value lands in (or a
  // narrower one), so nothing is cut after the check.
  long long integer(const YAML::Node& n, const std::string& key, long long min,
                    long long max = std::numeric_limits<long long>::max()) const {
    if (!n.IsScalar()) {
      fail(n, fmt::format("'{}' must be an integer", key));
    }
    auto s = util::trim(n.Scalar());
    std::erase(s, '_');
    auto v = util::parse_int(s);
    bool out_of_range = false;
    if (!v && !s.empty() && s.find_first_not_of("0123456789+-.eE") == std::string::npos) {
      // 1e6-style literals (token counts) as long as they are whole numbers that fit.
      auto d = util::parse_double(s);
      constexpr double k_two63 = 9223372036854775808.0;
      if (d && std::isfinite(*d) && *d > -k_two63 && *d < k_two63) {
        if (*d == std::trunc(*d)) {
          v = static_cast<long long>(*d);
        }
      } else if (d) {
        out_of_range = true; // 1e300, or 99999999999999999999 (parse_int said out of range)
      }
    }
    if (!v && !out_of_range) {
      fail(n, fmt::format("'{}' must be an integer, got '{}'", key, util::abbreviate(n.Scalar())));
    }
    if (out_of_range || *v < min || *v > max) {
      fail(n,
           fmt::format("'{}' must be an integer from {} to {}, got '{}'", key, min, max, util::abbreviate(n.Scalar())));
    }
    return *v;
  }

  bool boolean(const YAML::Node& n, const std::string& key) const {
    bool b = false;
    if (!n.IsScalar() || !YAML::convert<bool>::decode(n, b)) {
      fail(n, fmt::format("'{}' must be true or false", key));
    }
    return b;
  }

  std::vector<std::string> string_list(const YAML::Node& n, const std::string& key) const {
    if (!n.IsSequence()) {
      fail(n, fmt::format("'{}' must be a list of strings", key));
    }
    std::vector<std::string> out;
    for (const auto& item : n) {
      out.push_back(str(item, key));
    }
    return out;
  }

  // Seeds are 64-bit: 0 to 9223372036854775807.
  std::vector<long long> seed_list(const YAML::Node& n, const std::string& key) const {
    if (!n.IsSequence() || n.size() == 0) {
      fail(n, fmt::format("'{}' must be a non-empty list of integer seeds", key));
    }
    std::vector<long long> out;
    std::set<long long> seen;
    for (const auto& item : n) {
      auto v = integer(item, key, 0);
      if (!seen.insert(v).second) {
        fail(item, fmt::format("duplicate seed {} in '{}'", v, key));
      }
      out.push_back(v);
    }
    return out;
  }

  std::filesystem::path path(const YAML::Node& n, const std::string& key, const std::filesystem::path& base) const {
    std::filesystem::path p = str(n, key);
    if (p.empty()) {
      fail(n, fmt::format("'{}' must not be empty", key));
    }
    return (p.is_absolute() ? p : base / p).lexically_normal();
  }

private:
  std::filesystem::path m_origin;
};

// A metric name labels reports and JSON and makes the default pattern `<name>:\s*<number>`.
bool valid_metric_name(const std::string& name) {
  constexpr size_t k_max_name = 128;
  return !name.empty() && name.size() <= k_max_name &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                "0123456789_.-/") == std::string::npos;
}

const std::vector<std::string> k_metric_keys{"name",    "goal",  "primary",          "reduce",     "k",
                                             "pattern", "jsonl", "hf_trainer_state", "tensorboard"};
const std::vector<std::string> k_metric_sources{"pattern", "jsonl", "hf_trainer_state", "tensorboard"};

// A source's settings: a mapping, or nothing at all (`hf_trainer_state:` alone takes the defaults).
YAML::Node source_map(const Reader& r, const YAML::Node& n, const std::vector<std::string>& keys,
                      const std::string& where) {
  if (n.IsNull()) {
    return YAML::Node(YAML::NodeType::Map);
  }
  r.check_keys(n, keys, where);
  return n;
}

std::string nonempty_str(const Reader& r, const YAML::Node& n, const std::string& key) {
  auto v = r.str(n, key);
  if (util::trim(v).empty()) {
    r.fail(n, fmt::format("'{}' must not be empty", key));
  }
  return v;
}

// The one source of a metric (docs/metrics.md); none given: the default pattern of its name.
void read_metric_source(const Reader& r, const YAML::Node& n, MetricSpec& m, const std::string& where) {
  std::vector<std::string> given;
  for (const auto& s : k_metric_sources) {
    if (n[s]) {
      given.push_back(s);
    }
  }
  if (given.size() > 1) {
    r.fail(n[given[1]], fmt::format("{} has two sources, '{}' and '{}': give exactly one of {}", where, given[0],
                                    given[1], util::join(k_metric_sources, ", ")));
  }
  m.key = m.name;
  m.tag = m.name;
  if (n["pattern"]) {
    m.pattern = r.str(n["pattern"], where + ".pattern");
    if (auto why = MetricPattern::check(m.pattern)) {
      r.fail(n["pattern"], *why);
    }
    return;
  }
  m.pattern = default_metric_pattern(m.name);
  if (n["jsonl"]) {
    auto s = source_map(r, n["jsonl"], {"file", "key", "step_key"}, where + ".jsonl");
    m.source = MetricSourceKind::jsonl;
    if (!s["file"]) {
      r.fail(n["jsonl"], fmt::format("{}.jsonl needs 'file': the JSON-lines file, relative to {{output_dir}}", where));
    }
    m.file = nonempty_str(r, s["file"], where + ".jsonl.file");
    if (s["key"]) {
      m.key = nonempty_str(r, s["key"], where + ".jsonl.key");
    }
    if (s["step_key"]) {
      m.step_key = nonempty_str(r, s["step_key"], where + ".jsonl.step_key");
    }
  } else if (n["hf_trainer_state"]) {
    auto s = source_map(r, n["hf_trainer_state"], {"key", "file"}, where + ".hf_trainer_state");
    m.source = MetricSourceKind::hf_trainer_state;
    if (s["key"]) {
      m.key = nonempty_str(r, s["key"], where + ".hf_trainer_state.key");
    }
    if (s["file"]) {
      m.file = nonempty_str(r, s["file"], where + ".hf_trainer_state.file");
    }
  } else if (n["tensorboard"]) {
    auto s = source_map(r, n["tensorboard"], {"tag", "dir"}, where + ".tensorboard");
    m.source = MetricSourceKind::tensorboard;
    if (s["tag"]) {
      m.tag = nonempty_str(r, s["tag"], where + ".tensorboard.tag");
    }
    if (s["dir"]) {
      m.dir = nonempty_str(r, s["dir"], where + ".tensorboard.dir");
    }
  }
}

void read_metric_reduce(const Reader& r, const YAML::Node& n, MetricSpec& m, const std::string& where) {
  if (n["reduce"]) {
    auto v = r.str(n["reduce"], where + ".reduce");
    const std::vector<std::string> names{"last", "min", "max", "mean_last_k"};
    auto at = std::find(names.begin(), names.end(), v);
    if (at == names.end()) {
      auto hint = util::closest_match(v, names);
      r.fail(n["reduce"], fmt::format("{}.reduce must be one of last, min, max, mean_last_k, got '{}'{}", where,
                                      util::abbreviate(v), hint ? fmt::format(" (did you mean '{}'?)", *hint) : ""));
    }
    m.reduce = static_cast<Reduce>(at - names.begin());
  }
  if (n["k"]) {
    if (m.reduce != Reduce::mean_last_k) {
      r.fail(n["k"], fmt::format("{}.k is the number of last points averaged by 'reduce: mean_last_k'", where));
    }
    m.reduce_k = static_cast<int>(r.integer(n["k"], where + ".k", 1, 1000000));
  }
}

// `where` names the entry in messages: "metric" for the single `metric:`, "metrics[2]" in the list.
void read_metric(const Reader& r, const YAML::Node& n, MetricSpec& m, const std::string& where = "metric") {
  r.check_keys(n, k_metric_keys, where);
  if (n["name"]) {
    m.name = r.str(n["name"], where + ".name");
    if (!valid_metric_name(m.name)) {
      r.fail(n["name"], fmt::format("{}.name must be 1 to 128 letters, digits or _ . - /, got '{}'", where,
                                    util::abbreviate(m.name)));
    }
  }
  if (n["pattern"] || n["name"]) {
    read_metric_source(r, n, m, where);
  } else if (n["jsonl"] || n["hf_trainer_state"] || n["tensorboard"]) {
    r.fail(n, fmt::format("{} needs a 'name' (it labels the reports and is the default key or tag)", where));
  }
  if (n["goal"]) {
    auto g = r.str(n["goal"], where + ".goal");
    if (g == "minimize" || g == "min") {
      m.goal = Goal::minimize;
    } else if (g == "maximize" || g == "max") {
      m.goal = Goal::maximize;
    } else if (g == "none") {
      m.goal = Goal::none;
    } else {
      r.fail(n["goal"],
             fmt::format("{}.goal must be 'minimize', 'maximize' or 'none', got '{}'", where, util::abbreviate(g)));
    }
  }
  if (n["primary"]) {
    m.primary = r.boolean(n["primary"], where + ".primary");
  }
  read_metric_reduce(r, n, m, where);
}

// `metrics:` a list of metrics; one is primary (the first unless one says `primary: true`): it
// decides the verdict, so it needs a goal.
void read_metrics(const Reader& r, const YAML::Node& n, Config& cfg) {
  constexpr size_t k_max_metrics = 64;
  if (!n.IsSequence() || n.size() == 0) {
    r.fail(n, "'metrics' must be a non-empty list of metrics (name, goal and one source each)");
  }
  if (n.size() > k_max_metrics) {
    r.fail(n, fmt::format("'metrics' lists {} metrics; at most {} are followed", n.size(), k_max_metrics));
  }
  cfg.metrics.clear();
  std::optional<size_t> primary;
  for (size_t i = 0; i < n.size(); ++i) {
    auto where = fmt::format("metrics[{}]", i);
    if (!n[i].IsMap() || !n[i]["name"]) {
      r.fail(n[i], fmt::format("{} must be a mapping with a 'name'", where));
    }
    MetricSpec m;
    read_metric(r, n[i], m, where);
    for (const auto& other : cfg.metrics) {
      if (other.name == m.name) {
        r.fail(n[i]["name"], fmt::format("metric '{}' is listed twice in 'metrics'", m.name));
      }
    }
    if (m.primary && primary) {
      r.fail(n[i]["primary"],
             fmt::format("{} and metrics[{}] are both primary; only one metric decides the verdict", where, *primary));
    }
    if (m.primary) {
      primary = i;
    }
    cfg.metrics.push_back(std::move(m));
  }
  size_t p = primary.value_or(0);
  cfg.metrics[p].primary = true;
  if (cfg.metrics[p].goal == Goal::none) {
    r.fail(n[p], fmt::format("metrics[{}] is the primary metric: it decides the verdict, so its goal must be "
                             "'minimize' or 'maximize', not 'none'",
                             p));
  }
  cfg.metric = cfg.metrics[p];
}

// A value that becomes one `#SBATCH --key=value` line: a line break would end the directive
// and start a shell command.
std::string sbatch_value(const Reader& r, const YAML::Node& n, const std::string& key) {
  auto v = util::trim(r.str(n, key));
  if (v.empty()) {
    r.fail(n, fmt::format("'{}' must not be empty (leave the key out for Slurm's default)", key));
  }
  if (std::any_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20; })) {
    r.fail(n, fmt::format("'{}' must be one line without control characters", key));
  }
  return v;
}

// slurm.setup: a list of lines, or one block string (`setup: |`) split into lines.
std::vector<std::string> setup_lines(const Reader& r, const YAML::Node& n) {
  std::vector<std::string> lines;
  if (n.IsScalar()) {
    lines = util::split(r.str(n, "slurm.setup"), '\n');
    while (!lines.empty() && util::trim(lines.back()).empty()) {
      lines.pop_back();
    }
    return lines;
  }
  if (!n.IsSequence()) {
    r.fail(n, "'slurm.setup' must be a list of shell lines (e.g. [\"module load cuda/12\"]) or a block string");
  }
  for (const auto& item : n) {
    auto line = r.str(item, "slurm.setup");
    if (line.find('\n') != std::string::npos || line.find('\r') != std::string::npos) {
      r.fail(item, "each 'slurm.setup' item is one line; use one list item per line");
    }
    lines.push_back(line);
  }
  return lines;
}

// slurm.signal: "USR1@120", "SIGUSR1@120", "10@60" or "USR1" (Slurm's default 60 s), with an
// optional "B:" (seedrun always signals the batch shell, which execs the trainer). Checked here
// so that a typo fails at load with its line, not as an sbatch error after the campaign started.
std::string slurm_signal(const Reader& r, const YAML::Node& n) {
  std::string text = r.str(n, "slurm.signal");
  std::string_view v = text;
  if (v.starts_with("B:")) {
    v.remove_prefix(2);
  }
  auto at = v.find('@');
  std::string_view sig = v.substr(0, at);
  std::string_view when = at == std::string_view::npos ? std::string_view() : v.substr(at + 1);
  if (sig.starts_with("SIG")) {
    sig.remove_prefix(3);
  }
  auto all_of = [](std::string_view s, auto pred) {
    return !s.empty() && std::all_of(s.begin(), s.end(), [&](char c) { return pred(static_cast<unsigned char>(c)); });
  };
  bool sig_ok = all_of(sig, [](unsigned char c) { return std::isupper(c) || std::isdigit(c); });
  bool when_ok = at == std::string_view::npos || (all_of(when, [](unsigned char c) { return std::isdigit(c); }) &&
                                                  when.size() <= 5 && std::stoi(std::string(when)) <= 65535);
  if (!sig_ok || !when_ok) {
    r.fail(n, fmt::format("slurm.signal '{}' is not <signal>[@<seconds>], e.g. USR1@120 (SIGUSR1 two minutes "
                          "before the time limit)",
                          util::abbreviate(text)));
  }
  return std::string(v);
}

void read_slurm_resources(const Reader& r, const YAML::Node& n, SlurmOptions& s) {
  for (auto [key, target] : {std::pair<const char*, std::string*>{"account", &s.account},
                             {"qos", &s.qos},
                             {"gpus", &s.gpus},
                             {"mem", &s.mem}}) {
    if (n[key]) {
      *target = sbatch_value(r, n[key], std::string("slurm.") + key);
    }
  }
  if (n["cpus_per_task"]) {
    s.cpus_per_task = static_cast<int>(r.integer(n["cpus_per_task"], "slurm.cpus_per_task", 1, 100000));
  }
  if (n["setup"]) {
    s.setup = setup_lines(r, n["setup"]);
  }
  if (n["refresh_job"]) {
    s.refresh_job = r.boolean(n["refresh_job"], "slurm.refresh_job");
  }
}

void read_slurm(const Reader& r, const YAML::Node& n, SlurmOptions& s, const std::filesystem::path& dir) {
  r.check_keys(n,
               {"template", "partition", "time", "account", "qos", "gpus", "cpus_per_task", "mem", "setup",
                "refresh_job", "extra_args", "max_parallel", "requeue", "signal", "max_retries", "retry_timeouts",
                "sacct_timeout", "job_name_pattern"},
               "slurm");
  read_slurm_resources(r, n, s);
  if (n["template"]) {
    s.template_path = r.path(n["template"], "slurm.template", dir);
  }
  if (n["partition"]) {
    s.partition = r.str(n["partition"], "slurm.partition");
  }
  if (n["time"]) {
    s.time = r.str(n["time"], "slurm.time");
  }
  if (n["extra_args"]) {
    s.extra_args = r.string_list(n["extra_args"], "slurm.extra_args");
  }
  if (n["max_parallel"]) {
    s.max_parallel = static_cast<int>(r.integer(n["max_parallel"], "slurm.max_parallel", 1, INT_MAX));
  }
  if (n["requeue"]) {
    s.requeue = r.boolean(n["requeue"], "slurm.requeue");
  }
  if (n["signal"]) {
    s.signal = slurm_signal(r, n["signal"]);
  }
  if (n["max_retries"]) {
    s.max_retries = static_cast<int>(r.integer(n["max_retries"], "slurm.max_retries", 0, INT_MAX));
  }
  if (n["retry_timeouts"]) {
    s.retry_timeouts = r.boolean(n["retry_timeouts"], "slurm.retry_timeouts");
  }
  if (n["sacct_timeout"]) {
    s.sacct_timeout_seconds = static_cast<int>(r.integer(n["sacct_timeout"], "slurm.sacct_timeout", 1, 86400));
  }
  if (n["job_name_pattern"]) {
    s.job_name_pattern = r.str(n["job_name_pattern"], "slurm.job_name_pattern");
    if (s.job_name_pattern.find("{campaign}") == std::string::npos ||
        s.job_name_pattern.find("{arm}") == std::string::npos) {
      r.fail(n["job_name_pattern"], "slurm.job_name_pattern must contain {campaign} and {arm} (and may contain "
                                    "{project}), e.g. seedrun-{project}-{campaign}-{arm}");
    }
  }
}

void read_command(const Reader& r, const YAML::Node& n, Config& cfg) {
  if (n.IsSequence()) {
    cfg.command = r.string_list(n, "command");
  } else if (n.IsScalar()) {
    auto line = r.str(n, "command");
    try {
      cfg.command = util::shell_split(line);
    } catch (const UsageError& e) {
      r.fail(n, e.what());
    }
  } else {
    r.fail(n, "'command' must be a list of arguments or one string");
  }
  if (cfg.command.empty()) {
    r.fail(n, "'command' is empty");
  }
  bool has_seed = false;
  for (const auto& arg : cfg.command) {
    has_seed = has_seed || arg.find("{seed}") != std::string::npos;
    if (arg.find("{flags}") != std::string::npos && arg != "{flags}") {
      r.fail(n, "'{flags}' must be an argument of its own, not part of '" + util::abbreviate(arg) + "'");
    }
  }
  if (!has_seed) {
    r.fail(n, "'command' must contain {seed}, or every run would train with the same seed");
  }
}

void read_paths(const Reader& r, const YAML::Node& n, Config& cfg) {
  r.check_keys(n, {"checkpoints", "reports", "state"}, "paths");
  if (n["checkpoints"]) {
    cfg.paths.checkpoints = r.path(n["checkpoints"], "paths.checkpoints", cfg.dir);
  }
  if (n["reports"]) {
    cfg.paths.reports = r.path(n["reports"], "paths.reports", cfg.dir);
  }
  if (n["state"]) {
    cfg.paths.state = r.path(n["state"], "paths.state", cfg.dir);
  }
}

void read_seeds(const Reader& r, const YAML::Node& n, SeedSets& seeds) {
  r.check_keys(n, {"baseline", "experiment", "extension"}, "seeds");
  if (n["baseline"]) {
    seeds.baseline = r.seed_list(n["baseline"], "seeds.baseline");
  }
  if (n["experiment"]) {
    seeds.experiment = r.seed_list(n["experiment"], "seeds.experiment");
  }
  if (n["extension"]) {
    seeds.extension = r.seed_list(n["extension"], "seeds.extension");
  }
  for (long long s : seeds.extension) {
    if (std::find(seeds.experiment.begin(), seeds.experiment.end(), s) != seeds.experiment.end()) {
      r.fail(n["extension"], fmt::format("seed {} is in both seeds.experiment and seeds.extension", s));
    }
  }
}

void read_verdict(const Reader& r, const YAML::Node& n, VerdictOptions& v) {
  r.check_keys(n, {"min_seeds", "alpha", "extend_when_unconfirmed"}, "verdict");
  if (n["min_seeds"]) {
    auto m = r.integer(n["min_seeds"], "verdict.min_seeds", 2);
    if (m > 1000) {
      r.fail(n["min_seeds"], fmt::format("'verdict.min_seeds' must be between 2 and 1000, got {}", m));
    }
    v.min_seeds = static_cast<int>(m);
  }
  if (n["alpha"]) {
    auto a = util::parse_double(util::trim(r.str(n["alpha"], "verdict.alpha")));
    if (!a || !(*a > 0 && *a < 1)) {
      r.fail(n["alpha"], "'verdict.alpha' must be a number between 0 and 1 (exclusive), e.g. 0.05");
    }
    v.alpha = *a;
  }
  if (n["extend_when_unconfirmed"]) {
    v.extend_when_unconfirmed = r.boolean(n["extend_when_unconfirmed"], "verdict.extend_when_unconfirmed");
  }
}

// `health:` (health_options.hpp): flat keys, thresholds as numbers (rates also as "95%").
void read_health(const Reader& r, const YAML::Node& n, HealthOptions& h) {
  const std::vector<std::pair<const char*, double*>> numbers{
      {"kl_stable_below", &h.kl_stable_below},
      {"kl_spike_above", &h.kl_spike_above},
      {"grad_norm_below", &h.grad_norm_below},
      {"rollout_p95_below_seconds", &h.rollout_p95_below_seconds},
      {"extraction_rate_above", &h.extraction_rate_above},
      {"error_rate_below", &h.error_rate_below}};
  const std::vector<std::pair<const char*, std::string*>> names{
      {"metrics_file", &h.metrics_file}, {"events_file", &h.events_file},           {"step_key", &h.step_key},
      {"kl_metric", &h.kl_metric},       {"grad_norm_metric", &h.grad_norm_metric}, {"loss_metric", &h.loss_metric}};
  std::vector<std::string> keys{"loss_evals", "finite_metrics"};
  for (const auto& [key, target] : numbers) {
    keys.emplace_back(key);
  }
  for (const auto& [key, target] : names) {
    keys.emplace_back(key);
  }
  r.check_keys(n, keys, "health");
  for (const auto& [key, target] : numbers) {
    if (!n[key]) {
      continue;
    }
    auto text = util::trim(r.str(n[key], std::string("health.") + key));
    bool percent = !text.empty() && text.back() == '%';
    auto v = util::parse_double(percent ? util::trim(text.substr(0, text.size() - 1)) : text);
    bool rate = std::string_view(key).find("rate") != std::string_view::npos;
    if (v && percent) {
      *v /= 100;
    }
    if (!v || !std::isfinite(*v) || *v < 0 || (percent && !rate) || (rate && *v > 1)) {
      r.fail(n[key], fmt::format("'health.{}' must be {}, got '{}'", key,
                                 rate ? "a rate from 0 to 1 or a percentage (0.95 or 95%)" : "a number >= 0",
                                 util::abbreviate(text)));
    }
    *target = *v;
  }
  for (const auto& [key, target] : names) {
    if (n[key]) {
      *target = nonempty_str(r, n[key], std::string("health.") + key);
    }
  }
  if (n["loss_evals"]) {
    h.loss_evals = static_cast<int>(r.integer(n["loss_evals"], "health.loss_evals", 2, 1000000));
  }
  if (n["finite_metrics"]) {
    h.finite_metrics = r.string_list(n["finite_metrics"], "health.finite_metrics");
  }
  if (h.kl_spike_above < h.kl_stable_below) {
    r.fail(n, fmt::format("'health.kl_spike_above' ({}) must not be below 'health.kl_stable_below' ({})",
                          h.kl_spike_above, h.kl_stable_below));
  }
}

const std::vector<std::string> k_top_keys{
    "name",      "command",           "train_tokens", "seeds", "metric",
    "metrics",   "executor",          "parallel",     "paths", "cleanup_checkpoints",
    "fail_fast", "fail_fast_seconds", "verdict",      "slurm", "health"};

void read_top(const Reader& r, const YAML::Node& root, Config& cfg) {
  r.check_keys(root, k_top_keys, "seedrun.yaml");
  if (root["name"]) {
    cfg.name = r.str(root["name"], "name");
  }
  if (!root["command"]) {
    r.fail(root, "missing key 'command' (the training command, with {seed})");
  }
  read_command(r, root["command"], cfg);
  if (root["train_tokens"]) {
    cfg.train_tokens = r.integer(root["train_tokens"], "train_tokens", 1);
  }
  if (root["seeds"]) {
    read_seeds(r, root["seeds"], cfg.seeds);
  }
  if (root["metric"] && root["metrics"]) {
    r.fail(root["metrics"], "give either 'metric' (one metric) or 'metrics' (a list), not both");
  }
  if (root["metrics"]) {
    read_metrics(r, root["metrics"], cfg);
  } else {
    if (root["metric"]) {
      read_metric(r, root["metric"], cfg.metric);
    }
    if (cfg.metric.goal == Goal::none) {
      r.fail(root["metric"]["goal"], "metric.goal must be 'minimize' or 'maximize': the metric decides the verdict");
    }
    cfg.metric.primary = true;
    cfg.metrics = {cfg.metric};
  }
  if (root["executor"]) {
    auto e = r.str(root["executor"], "executor");
    if (e != "local" && e != "slurm") {
      r.fail(root["executor"], fmt::format("executor must be 'local' or 'slurm', got '{}'", util::abbreviate(e)));
    }
    cfg.executor = e == "slurm" ? ExecutorKind::slurm : ExecutorKind::local;
  }
  if (root["parallel"]) {
    cfg.parallel = static_cast<int>(r.integer(root["parallel"], "parallel", 1, INT_MAX));
  }
  if (root["paths"]) {
    read_paths(r, root["paths"], cfg);
  }
  if (root["cleanup_checkpoints"]) {
    cfg.cleanup_checkpoints = r.boolean(root["cleanup_checkpoints"], "cleanup_checkpoints");
  }
  if (root["fail_fast"]) {
    cfg.fail_fast = r.boolean(root["fail_fast"], "fail_fast");
  }
  if (root["fail_fast_seconds"]) {
    auto s = r.integer(root["fail_fast_seconds"], "fail_fast_seconds", 1);
    if (s > 86400) {
      r.fail(root["fail_fast_seconds"], fmt::format("'fail_fast_seconds' must be between 1 and 86400, got {}", s));
    }
    cfg.fail_fast_seconds = static_cast<int>(s);
  }
  if (root["verdict"]) {
    read_verdict(r, root["verdict"], cfg.verdict);
  }
  if (root["slurm"]) {
    read_slurm(r, root["slurm"], cfg.slurm, cfg.dir);
  }
  if (root["health"]) {
    read_health(r, root["health"], cfg.health);
    cfg.health.configured = true;
  }
}

} // namespace

Config parse_config(const std::string& yaml_text, const std::filesystem::path& origin) {
  Config cfg;
  cfg.file = origin;
  cfg.dir = std::filesystem::absolute(origin).parent_path().lexically_normal();
  cfg.paths = {cfg.dir / "checkpoints", cfg.dir / "docs" / "research", cfg.dir / ".seedrun"};
  Reader r(origin);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw UsageError(fmt::format("{}:{}:{}: {}", origin.string(), e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  if (!root.IsMap()) {
    throw UsageError(fmt::format("{}: expected a mapping of keys (name, command, seeds, ...)", origin.string()));
  }
  try {
    read_top(r, root, cfg);
  } catch (const YAML::Exception& e) {
    throw UsageError(fmt::format("{}:{}:{}: {}", origin.string(), e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return cfg;
}

Config load_config(const std::filesystem::path& file) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) {
    throw UsageError(fmt::format("{}: no such configuration file", file.string()));
  }
  return parse_config(util::read_file(file), file);
}

std::optional<std::filesystem::path> find_config(const std::filesystem::path& start) {
  auto dir = std::filesystem::absolute(start);
  while (true) {
    auto candidate = dir / "seedrun.yaml";
    std::error_code ec;
    if (std::filesystem::is_regular_file(candidate, ec)) {
      return candidate;
    }
    if (dir == dir.root_path() || dir.parent_path() == dir) {
      return std::nullopt;
    }
    dir = dir.parent_path();
  }
}

} // namespace seedrun::config
