// seedrun.yaml → Config. yaml-cpp is used here only; its exceptions become UsageErrors with
// `file:line:col` (1-based) so an editor can jump to the problem.
#include "seedrun/config/config.hpp"

#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/shell_words.hpp"
#include "seedrun/util/strings.hpp"

#include <regex>
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
      fail(it->first, hint ? fmt::format("unknown key '{}' (did you mean '{}'?)", key, *hint)
                           : fmt::format("unknown key '{}' in {} (expected one of: {})", key, where,
                                         util::join(allowed, ", ")));
    }
  }

  std::string str(const YAML::Node& n, const std::string& key) const {
    if (!n.IsScalar()) {
      fail(n, fmt::format("'{}' must be a string", key));
    }
    return n.Scalar();
  }

  long long integer(const YAML::Node& n, const std::string& key, long long min) const {
    if (!n.IsScalar()) {
      fail(n, fmt::format("'{}' must be an integer", key));
    }
    auto s = util::trim(n.Scalar());
    std::erase(s, '_');
    auto v = util::parse_int(s);
    if (!v) {
      // Allow 1e6-style literals for token counts as long as they are whole numbers.
      auto d = util::parse_double(s);
      if (d && *d == static_cast<double>(static_cast<long long>(*d))) {
        v = static_cast<long long>(*d);
      }
    }
    if (!v) {
      fail(n, fmt::format("'{}' must be an integer, got '{}'", key, n.Scalar()));
    }
    if (*v < min) {
      fail(n, fmt::format("'{}' must be at least {}, got {}", key, min, *v));
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

  std::vector<int> seed_list(const YAML::Node& n, const std::string& key) const {
    if (!n.IsSequence() || n.size() == 0) {
      fail(n, fmt::format("'{}' must be a non-empty list of integer seeds", key));
    }
    std::vector<int> out;
    std::set<int> seen;
    for (const auto& item : n) {
      auto v = static_cast<int>(integer(item, key, 0));
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

void read_metric(const Reader& r, const YAML::Node& n, MetricSpec& m) {
  r.check_keys(n, {"name", "pattern", "goal"}, "metric");
  if (n["name"]) {
    m.name = r.str(n["name"], "metric.name");
  }
  if (n["pattern"]) {
    m.pattern = r.str(n["pattern"], "metric.pattern");
    try {
      std::regex re(m.pattern);
      if (re.mark_count() < 1) {
        r.fail(n["pattern"], "metric.pattern must have one capture group around the number, e.g. 'val_loss: ([0-9.]+)'");
      }
    } catch (const std::regex_error& e) {
      r.fail(n["pattern"], fmt::format("metric.pattern is not a valid regular expression: {}", e.what()));
    }
  } else if (n["name"]) {
    m.pattern = m.name + R"(:\s*)" + number_pattern();
  }
  if (n["goal"]) {
    auto g = r.str(n["goal"], "metric.goal");
    if (g == "minimize" || g == "min") {
      m.goal = Goal::minimize;
    } else if (g == "maximize" || g == "max") {
      m.goal = Goal::maximize;
    } else {
      r.fail(n["goal"], fmt::format("metric.goal must be 'minimize' or 'maximize', got '{}'", g));
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
    s.max_parallel = static_cast<int>(r.integer(n["max_parallel"], "slurm.max_parallel", 1));
  }
  if (n["requeue"]) {
    s.requeue = r.boolean(n["requeue"], "slurm.requeue");
  }
  if (n["max_retries"]) {
    s.max_retries = static_cast<int>(r.integer(n["max_retries"], "slurm.max_retries", 0));
  }
  if (n["retry_timeouts"]) {
    s.retry_timeouts = r.boolean(n["retry_timeouts"], "slurm.retry_timeouts");
  }
  if (n["sacct_timeout"]) {
    s.sacct_timeout_seconds = static_cast<int>(r.integer(n["sacct_timeout"], "slurm.sacct_timeout", 1));
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
    try {
      cfg.command = util::shell_split(n.Scalar());
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
      r.fail(n, "'{flags}' must be an argument of its own, not part of '" + arg + "'");
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
  for (int s : seeds.extension) {
    if (std::find(seeds.experiment.begin(), seeds.experiment.end(), s) != seeds.experiment.end()) {
      r.fail(n["extension"], fmt::format("seed {} is in both seeds.experiment and seeds.extension", s));
    }
  }
}

const std::vector<std::string> k_top_keys{"name",     "command",  "train_tokens", "seeds", "metric",
                                          "executor", "parallel", "paths", "cleanup_checkpoints", "slurm"};

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
      r.fail(root["executor"], fmt::format("executor must be 'local' or 'slurm', got '{}'", e));
    }
    cfg.executor = e == "slurm" ? ExecutorKind::slurm : ExecutorKind::local;
  }
  if (root["parallel"]) {
    cfg.parallel = static_cast<int>(r.integer(root["parallel"], "parallel", 1));
  }
  if (root["paths"]) {
    read_paths(r, root["paths"], cfg);
  }
  if (root["cleanup_checkpoints"]) {
    cfg.cleanup_checkpoints = r.boolean(root["cleanup_checkpoints"], "cleanup_checkpoints");
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
