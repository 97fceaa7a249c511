// seedrun.yaml → Config. yaml-cpp is used here only; its exceptions become UsageErrors with
// `file:line:col` (1-based) so an editor can jump to the problem.
#include "seedrun/config/config.hpp"

#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/shell_words.hpp"
#include "seedrun/util/strings.hpp"

#include <climits>
#include <cmath>
#include <limits>
#include <set>

#include <fmt/format.h>
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
      fail(it->first, hint ? fmt::format("unknown key '{}' (did you mean '{}'?)", shown, *hint)
                           : fmt::format("unknown key '{}' in {} (expected one of: {})", shown, where,
                                         util::join(allowed, ", ")));
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
      fail(n, fmt::format("'{}' must be an integer from {} to {}, got '{}'", key, min, max,
                          util::abbreviate(n.Scalar())));
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
  return !name.empty() && name.size() <= k_max_name && name.find_first_not_of("abcdefghijklmnopqrstuvwxyz"
                                                                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                               "0123456789_.-/") == std::string::npos;
}

void read_metric(const Reader& r, const YAML::Node& n, MetricSpec& m) {
  r.check_keys(n, {"name", "pattern", "goal"}, "metric");
  if (n["name"]) {
    m.name = r.str(n["name"], "metric.name");
    if (!valid_metric_name(m.name)) {
      r.fail(n["name"], fmt::format("metric.name must be 1 to 128 letters, digits or _ . - /, got '{}'",
                                    util::abbreviate(m.name)));
    }
  }
  if (n["pattern"]) {
    m.pattern = r.str(n["pattern"], "metric.pattern");
    if (auto why = MetricPattern::check(m.pattern)) {
      r.fail(n["pattern"], *why);
    }
  } else if (n["name"]) {
    m.pattern = default_metric_pattern(m.name);
  }
  if (n["goal"]) {
    auto g = r.str(n["goal"], "metric.goal");
    if (g == "minimize" || g == "min") {
      m.goal = Goal::minimize;
    } else if (g == "maximize" || g == "max") {
      m.goal = Goal::maximize;
    } else {
      r.fail(n["goal"], fmt::format("metric.goal must be 'minimize' or 'maximize', got '{}'", util::abbreviate(g)));
    }
  }
}

void read_slurm(const Reader& r, const YAML::Node& n, SlurmOptions& s, const std::filesystem::path& dir) {
  r.check_keys(n,
               {"template", "partition", "time", "extra_args", "max_parallel", "requeue", "max_retries",
                "retry_timeouts", "sacct_timeout", "job_name_pattern"},
               "slurm");
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
      r.fail(n["job_name_pattern"], "slurm.job_name_pattern must contain {campaign} and {arm}");
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

const std::vector<std::string> k_top_keys{"name",      "command",  "train_tokens", "seeds",
                                          "metric",    "executor", "parallel",     "paths",
                                          "cleanup_checkpoints", "fail_fast", "fail_fast_seconds",
                                          "verdict",   "slurm"};

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
  if (root["metric"]) {
    read_metric(r, root["metric"], cfg.metric);
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
