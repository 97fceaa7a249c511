// seedrun health [CAMPAIGN[:SEED]...] [--dir DIR...] [--last 6h] [--json]: the training-health
// rules over each run's metric series and events (docs/health.md).
#include "seedrun/cli/commands.hpp"
#include "seedrun/report/health_report.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/track/run_health.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"
#include "seedrun/util/time.hpp"

#include <chrono>
#include <cmath>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace seedrun::cli {
namespace {

// "90s", "30m", "6h", "2d", "1.5h" as seconds.
double parse_window(const std::string& text) {
  auto t = util::trim(text);
  const std::string units = "smhd";
  const double scale[] = {1, 60, 3600, 86400};
  auto unit = t.empty() ? std::string::npos : units.find(t.back());
  auto v = unit == std::string::npos ? std::nullopt : util::parse_double(t.substr(0, t.size() - 1));
  if (!v || !std::isfinite(*v) || *v <= 0 || *v * scale[unit] > 1e10) {
    throw UsageError(fmt::format("--last must be a positive duration with a unit s, m, h or d (e.g. 30m, 6h, 2d); "
                                 "got '{}'",
                                 util::abbreviate(text)));
  }
  return *v * scale[unit];
}

// seedrun.yaml when one is given or found; the defaults otherwise (a --dir needs none).
config::Config config_for(const GlobalOptions& g, bool required) {
  if (g.config) {
    return config::load_config(*g.config);
  }
  if (auto found = config::find_config(std::filesystem::current_path())) {
    return config::load_config(*found);
  }
  if (required) {
    throw UsageError("no seedrun.yaml in this directory or any parent: campaigns need one (use --config FILE), "
                     "or check a folder with --dir DIR");
  }
  return config::Config{};
}

// The runs of each target ("CAMPAIGN" or "CAMPAIGN:SEED"; none: every campaign).
std::vector<std::pair<store::Campaign, store::Run>> runs_of(store::Store& st, const std::vector<std::string>& targets) {
  std::vector<std::pair<store::Campaign, store::Run>> out;
  auto add = [&](const store::Campaign& c, std::optional<long long> seed) {
    size_t before = out.size();
    for (const auto& r : st.runs(c.id)) {
      if (r.state != store::RunState::planned && (!seed || r.seed == *seed)) {
        out.emplace_back(c, r);
      }
    }
    if (seed && out.size() == before) {
      throw UsageError(fmt::format("campaign '{}' has no started run with seed {}", c.key, *seed));
    }
  };
  if (targets.empty()) {
    for (const auto& c : st.campaigns()) {
      add(c, std::nullopt);
    }
  }
  for (const auto& t : targets) {
    auto colon = t.rfind(':');
    auto seed = colon == std::string::npos ? std::nullopt : util::parse_int(t.substr(colon + 1));
    auto name = seed ? t.substr(0, colon) : t;
    auto c = st.find_campaign(name);
    if (!c) {
      throw UsageError(fmt::format("no campaign '{}' (seedrun status lists them; a folder is checked with --dir)",
                                   util::abbreviate(name)));
    }
    add(*c, seed);
  }
  return out;
}

} // namespace

int run_health(const GlobalOptions& g, const HealthCheckOptions& o) {
  const auto now = util::Clock::now();
  report::HealthReport rep;
  rep.generated_at = util::iso8601(now);
  std::optional<double> from;
  if (!o.last.empty()) {
    from = std::chrono::duration<double>(now.time_since_epoch()).count() - parse_window(o.last);
    rep.window = util::trim(o.last);
    rep.window_from = util::iso8601(
        util::TimePoint(std::chrono::duration_cast<util::Clock::duration>(std::chrono::duration<double>(*from))));
  }
  const bool campaigns = !o.targets.empty() || o.dirs.empty();
  auto cfg = config_for(g, campaigns);
  rep.thresholds = cfg.health;
  for (const auto& dir : o.dirs) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) {
      throw UsageError(fmt::format("--dir {}: not a directory", dir.string()));
    }
    track::HealthTarget t;
    t.dir = dir;
    t.labels.label = dir.string();
    rep.runs.push_back(track::check_run_health(cfg, t, from, nullptr));
  }
  if (campaigns) {
    auto st = store::Store::open(cfg.paths.state);
    for (const auto& [c, r] : runs_of(*st, o.targets)) {
      track::HealthTarget t;
      t.dir = r.output_dir;
      t.seed = r.seed;
      t.run_id = r.id;
      t.log_path = r.log_path;
      t.labels.label = fmt::format("{}/{} seed {}", c.key, r.arm, r.seed);
      t.labels.campaign = c.key;
      t.labels.arm = r.arm;
      t.labels.seed = r.seed;
      auto health = track::check_run_health(cfg, t, from, st.get());
      if (r.checkpoint_cleaned) {
        health.warnings.push_back("its output directory was removed after the run (cleanup_checkpoints): only "
                                  "stored points are read; set cleanup_checkpoints: false to keep its files");
      }
      rep.runs.push_back(std::move(health));
    }
  }
  for (const auto& run : rep.runs) {
    for (const auto& w : run.warnings) {
      spdlog::debug("{}: {}", run.label, w);
    }
  }
  fmt::print("{}", o.json ? util::dump_json(report::health_json(rep), 2) + "\n" : report::health_text(rep));
  return 0;
}

} // namespace seedrun::cli
