// seedrun status [--json] [--verbose] [CAMPAIGN]
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/report/assessment.hpp"
#include "seedrun/report/format.hpp"
#include "seedrun/report/health_cache.hpp"
#include "seedrun/track/run_health.hpp"
#include "seedrun/util/error.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <nlohmann/json.hpp>

namespace seedrun::cli {
namespace {

nlohmann::json run_json(const store::Run& r, const std::string& metric) {
  auto opt_d = [](std::optional<double> v) -> nlohmann::json {
    if (!v) {
      return nullptr;
    }
    if (std::isnan(*v)) {
      return "nan";
    }
    if (std::isinf(*v)) {
      return *v > 0 ? "inf" : "-inf";
    }
    return *v;
  };
  return {{"seed", r.seed},
          {"attempt", r.attempt},
          {"phase", r.phase},
          {"state", r.state},
          {"reason", r.reason ? nlohmann::json(*r.reason) : nlohmann::json(nullptr)},
          {"exit_code", r.exit_code ? nlohmann::json(*r.exit_code) : nlohmann::json(nullptr)},
          {"job_id", r.job_id ? nlohmann::json(*r.job_id) : nlohmann::json(nullptr)},
          {metric, opt_d(r.final_metric)},
          {"wall_time", opt_d(r.wall_time)},
          {"started_at", r.started_at ? nlohmann::json(util::iso8601(*r.started_at)) : nlohmann::json(nullptr)},
          {"ended_at", r.ended_at ? nlohmann::json(util::iso8601(*r.ended_at)) : nlohmann::json(nullptr)},
          {"log", r.log_path},
          {"warning", r.warning ? nlohmann::json(*r.warning) : nlohmann::json(nullptr)}};
}

// The verdict as the one assessment gives it now (a baseline re-run can have changed it since
// the campaign finished), with its headline; baselines get their usability.
struct Judged {
  std::optional<std::string> verdict;
  std::string headline;
  std::optional<report::FailureDetail> first_failure;
};

Judged judge(Context& ctx, const store::Campaign& c) {
  Judged j;
  if (c.kind == "experiment") {
    auto ca = report::assess_experiment(*ctx.store, ctx.cfg, c);
    if (c.state != store::CampaignState::active) {
      j.verdict = std::string(stats::to_string(ca.a.verdict));
    }
    j.headline = ca.headline(c.metric);
    j.first_failure = ca.exp.first_failure ? ca.exp.first_failure : ca.base.first_failure;
  } else {
    auto b = report::assess_baseline(*ctx.store, ctx.cfg, c);
    j.headline = b.headline();
    j.first_failure = b.arm.first_failure;
  }
  return j;
}

nlohmann::json failure_json(const std::optional<report::FailureDetail>& f) {
  if (!f) {
    return nullptr;
  }
  return {{"seed", f->seed}, {"state", f->state}, {"reason", f->reason}, {"log", f->log_path}, {"last_lines", f->tail}};
}

// --health: a started run's training-health findings (docs/health.md), in one phrase.
std::optional<report::RunHealth> health_of(Context& ctx, const store::Run& r) {
  if (r.state == store::RunState::planned) {
    return std::nullopt;
  }
  track::HealthTarget t;
  t.dir = r.output_dir;
  t.seed = r.seed;
  t.run_id = r.id;
  t.log_path = r.log_path;
  return track::check_run_health(ctx.cfg, t, std::nullopt, ctx.store.get());
}

std::string health_phrase(const report::RunHealth& h) {
  return report::health_phrase(h.result.findings, report::to_cached(h).evaluated);
}

// What the last refresh found (report/health_cache.hpp), per run id; empty without a cache.
std::map<long long, report::CachedRunHealth> cached_health(Context& ctx, const store::Campaign& c) {
  return report::read_health_cache(report::health_cache_path(ctx.cfg.paths.state, c.id)).runs;
}

// The latest value of every other metric of a run, when the campaign follows several (issue 12):
// one indexed query per run, and none for a campaign of one metric.
std::vector<store::MetricPoint> secondary_latest(Context& ctx, const store::Campaign& c, const store::Run& r) {
  if (c.metric != ctx.cfg.metric.name || ctx.cfg.metrics.size() < 2 || r.state == store::RunState::planned) {
    return {};
  }
  auto points = ctx.store->latest_metric_points(r.id);
  std::erase_if(points, [&](const store::MetricPoint& p) { return p.name == c.metric; });
  return points;
}

std::string value_text(double v) {
  return report::fixed(v, 4, std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf"));
}

} // namespace

int run_status(const GlobalOptions& g, const StatusOptions& o) {
  auto ctx = load_context(g);
  auto campaigns = ctx.store->campaigns();
  if (o.campaign) {
    auto c = ctx.store->find_campaign(*o.campaign);
    if (!c) {
      throw UsageError(fmt::format("no campaign '{}'", *o.campaign));
    }
    campaigns = {*c};
  }
  if (o.json) {
    nlohmann::json out = {{"store", (ctx.cfg.paths.state / "seedrun.db").string()},
                          {"journal_mode", ctx.store->journal_mode()},
                          {"filesystem", ctx.store->filesystem()},
                          {"campaigns", nlohmann::json::array()}};
    for (const auto& c : campaigns) {
      nlohmann::json runs = nlohmann::json::array();
      auto cached = o.health ? std::map<long long, report::CachedRunHealth>{} : cached_health(ctx, c);
      for (const auto& r : ctx.store->runs(c.id)) {
        runs.push_back(run_json(r, c.metric));
        if (auto latest = secondary_latest(ctx, c, r); !latest.empty()) {
          auto& secondary = runs.back()["secondary"] = nlohmann::json::object();
          for (const auto& p : latest) {
            secondary[p.name] = std::isfinite(p.value) ? nlohmann::json(p.value) : nlohmann::json(value_text(p.value));
          }
        }
        if (auto h = o.health ? health_of(ctx, r) : std::nullopt) {
          runs.back()["health"] = {{"healthy", report::healthy(*h)}, {"summary", health_phrase(*h)}};
        } else if (auto it = cached.find(r.id); it != cached.end()) {
          const auto& ch = it->second;
          runs.back()["health"] = {{"healthy", report::healthy(ch.findings)},
                                   {"summary", report::health_phrase(ch.findings, ch.evaluated)},
                                   {"findings", ch.findings.size()},
                                   {"checked_at", ch.checked_at}};
        }
      }
      auto judged = judge(ctx, c);
      out["campaigns"].push_back(
          {{"key", c.key},
           {"name", c.name},
           {"kind", c.kind},
           {"flags", c.flags},
           {"state", c.state},
           {"verdict", judged.verdict ? nlohmann::json(*judged.verdict) : nlohmann::json(nullptr)},
           {"assessment", judged.headline},
           {"first_failure", failure_json(judged.first_failure)},
           {"executor", c.executor},
           {"train_tokens", c.train_tokens},
           {"runs", runs}});
    }
    fmt::print("{}\n", out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
    return 0;
  }
  if (o.verbose) {
    fmt::print("store: {} (journal {}, filesystem {}{})\n", (ctx.cfg.paths.state / "seedrun.db").string(),
               ctx.store->journal_mode(), ctx.store->filesystem(),
               ctx.store->journal_mode() == "wal" ? "" : "; rollback journal because WAL is unsafe here");
  }
  if (campaigns.empty()) {
    fmt::print("no campaigns yet: `seedrun baseline` starts one\n");
    return 0;
  }
  for (const auto& c : campaigns) {
    auto judged = judge(ctx, c);
    fmt::print("{} [{}] {}{}{}\n", c.key, c.kind, c.state, judged.verdict ? " verdict " + *judged.verdict : "",
               c.flags.empty() ? "" : fmt::format(" flags: {}", fmt::join(c.flags, " ")));
    fmt::print("  {}\n", judged.headline);
    if (judged.first_failure) {
      fmt::print("  first failure: {}\n", report::failure_text(*judged.first_failure));
    }
    // The health column: what the last refresh found (none before one has looked).
    auto cached = o.health ? std::map<long long, report::CachedRunHealth>{} : cached_health(ctx, c);
    for (const auto& r : ctx.store->runs(c.id)) {
      auto ch = cached.find(r.id);
      // Without a health: section, runs whose files hold no health metric show no column.
      if (ch != cached.end() && !ctx.cfg.health.configured && !ch->second.evaluated) {
        ch = cached.end();
      }
      fmt::print("  seed {:>5}  {:<10} {} {:>10}  {:>8}{}{}{}\n", r.seed, r.state, c.metric,
                 r.final_metric ? report::fixed(r.final_metric, 4, std::isnan(*r.final_metric) ? "nan" : "inf") : "-",
                 r.wall_time ? fmt::format("{:.1f}s", *r.wall_time) : "-",
                 ch == cached.end() ? "" : fmt::format("  health {}", report::health_short(ch->second)),
                 r.attempt > 1 ? fmt::format("  attempt {}", r.attempt) : "",
                 r.reason ? fmt::format("  ({})", *r.reason) : "");
      if (auto h = o.health ? health_of(ctx, r) : std::nullopt) {
        fmt::print("             health: {}\n", health_phrase(*h));
      } else if (ch != cached.end() && !ch->second.findings.empty()) {
        fmt::print("             health: {}\n", report::health_phrase(ch->second.findings, true));
      }
      if (auto latest = secondary_latest(ctx, c, r); !latest.empty()) {
        std::vector<std::string> parts;
        for (const auto& p : latest) {
          parts.push_back(fmt::format("{} {}", p.name, value_text(p.value)));
        }
        fmt::print("             secondary: {}\n", fmt::join(parts, ", "));
      }
      if (r.warning) {
        fmt::print("             warning: {}\n", *r.warning);
      }
    }
  }
  return 0;
}

} // namespace seedrun::cli
