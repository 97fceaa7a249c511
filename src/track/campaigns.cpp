#include "seedrun/track/campaigns.hpp"

#include "seedrun/util/error.hpp"
#include "seedrun/util/paths.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

namespace seedrun::track {
namespace {

store::Run make_run(const config::Config& cfg, const store::Campaign& c, int seed, const std::string& phase,
                    int attempt) {
  store::Run r;
  r.campaign_id = c.id;
  r.arm = c.kind;
  r.seed = seed;
  r.phase = phase;
  r.attempt = attempt;
  r.state = store::run_state::planned;
  std::string stem = fmt::format("{}_seed{}", c.key, seed);
  r.log_path = (cfg.paths.state / "logs" /
                (attempt > 1 ? fmt::format("{}_attempt{}.log", stem, attempt) : stem + ".log"))
                   .string();
  r.output_dir = (cfg.paths.checkpoints / stem).string();
  return r;
}

store::Campaign new_campaign(const config::Config& cfg, const std::string& name, const std::string& kind,
                             const std::vector<std::string>& flags, util::TimePoint now) {
  store::Campaign c;
  c.key = campaign_key(name, cfg.train_tokens);
  c.name = name;
  c.kind = kind;
  c.flags = flags;
  c.command_key = config::command_key(cfg);
  c.command = cfg.command;
  c.train_tokens = cfg.train_tokens;
  c.metric = cfg.metric.name;
  c.goal = cfg.metric.goal == config::Goal::minimize ? "minimize" : "maximize";
  c.executor = cfg.executor == config::ExecutorKind::slurm ? "slurm" : "local";
  c.state = "ACTIVE";
  c.config_path = cfg.file.string();
  c.created_at = util::iso8601(now);
  c.updated_at = c.created_at;
  return c;
}

bool baseline_complete(store::Store& store, const config::Config& cfg, const store::Campaign& c) {
  int done = 0;
  for (const auto& r : store.runs(c.id)) {
    bool listed = std::find(cfg.seeds.baseline.begin(), cfg.seeds.baseline.end(), r.seed) != cfg.seeds.baseline.end();
    if (listed && r.state == store::run_state::completed && r.final_metric && std::isfinite(*r.final_metric)) {
      ++done;
    }
  }
  return done == static_cast<int>(cfg.seeds.baseline.size());
}

} // namespace

std::string campaign_key(const std::string& name, long long train_tokens) {
  return fmt::format("{}_{}", name, config::scale_label(train_tokens));
}

void plan_runs(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
               const std::vector<int>& seeds, const std::string& phase) {
  store.transaction([&] {
    std::set<int> known;
    for (const auto& r : store.runs(campaign.id, true)) {
      known.insert(r.seed);
    }
    for (int seed : seeds) {
      if (known.count(seed) == 0) {
        store.insert_run(make_run(cfg, campaign, seed, phase, 1));
      }
    }
  });
}

long long plan_new_attempt(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                           const store::Run& run) {
  long long id = 0;
  store.transaction([&] {
    int attempt = 1;
    for (const auto& r : store.runs(campaign.id, true)) {
      if (r.seed == run.seed) {
        attempt = std::max(attempt, r.attempt + 1);
      }
    }
    store.supersede_run(run.id);
    id = store.insert_run(make_run(cfg, campaign, run.seed, run.phase, attempt));
  });
  return id;
}

int mark_orphaned_local_runs(store::Store& store, const store::Campaign& campaign, util::TimePoint now) {
  int n = 0;
  store.transaction([&] {
    for (auto r : store.runs(campaign.id)) {
      if (r.state == store::run_state::running || r.state == store::run_state::pending) {
        r.state = store::run_state::cancelled;
        r.reason = "interrupted: the seedrun process running it stopped";
        r.ended_at = util::iso8601(now);
        store.update_run(r);
        ++n;
      }
    }
  });
  return n;
}

int resume_interrupted(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                       bool stale_local_runs, util::TimePoint now) {
  int resumed = 0;
  store.transaction([&] {
    if (stale_local_runs) {
      mark_orphaned_local_runs(store, campaign, now);
    }
    for (const auto& r : store.runs(campaign.id)) {
      if (r.state == store::run_state::cancelled) {
        plan_new_attempt(cfg, store, campaign, r);
        ++resumed;
      }
    }
  });
  return resumed;
}

BaselineDecision ensure_baseline(const config::Config& cfg, store::Store& store, bool force, util::TimePoint now) {
  BaselineDecision d;
  auto existing = store.find_baseline(config::command_key(cfg), cfg.train_tokens);
  std::string scale = config::scale_label(cfg.train_tokens);
  if (existing && baseline_complete(store, cfg, *existing) && !force) {
    d.campaign = *existing;
    d.skipped = true;
    d.message = fmt::format("a complete {}-seed baseline at {} already exists (campaign {}); skipping it "
                            "(--force re-runs it)",
                            cfg.seeds.baseline.size(), scale, existing->key);
    return d;
  }
  if (existing && existing->state == "DONE" && !force) {
    // Finished, but some seeds failed on their own: re-running them is the user's call.
    int done = 0;
    for (const auto& r : store.runs(existing->id)) {
      done += r.state == store::run_state::completed && r.final_metric && std::isfinite(*r.final_metric) ? 1 : 0;
    }
    d.campaign = *existing;
    d.skipped = true;
    d.message = fmt::format("the baseline {} finished with {} of {} seeds (see its report for the failures); "
                            "using it as it is: `seedrun retry {}` runs the failed seeds again, --force all of them",
                            existing->key, done, cfg.seeds.baseline.size(), existing->key);
    return d;
  }
  if (!existing) {
    auto c = new_campaign(cfg, "baseline", "baseline", {}, now);
    if (store.find_campaign(c.key)) { // same scale, other command: keep both
      c.key = fmt::format("{}_{}", c.key, c.command_key.substr(0, 6));
    }
    c.id = store.insert_campaign(c);
    existing = c;
  } else if (force) {
    store.transaction([&] {
      for (const auto& r : store.runs(existing->id)) {
        plan_new_attempt(cfg, store, *existing, r);
      }
      store.set_campaign_state(existing->id, "ACTIVE", std::nullopt, util::iso8601(now));
    });
    existing = store.find_campaign_by_id(existing->id);
  }
  plan_runs(cfg, store, *existing, cfg.seeds.baseline, "initial");
  d.campaign = *existing;
  return d;
}

store::Campaign ensure_experiment(const config::Config& cfg, store::Store& store, const std::string& name,
                                  const std::vector<std::string>& flags, util::TimePoint now) {
  auto c = new_campaign(cfg, name, "experiment", flags, now);
  auto existing = store.find_campaign(c.key);
  if (existing) {
    if (existing->kind != "experiment" || existing->flags != flags || existing->command_key != c.command_key) {
      throw UsageError(fmt::format("campaign '{}' already exists with other flags ({}) or another command; "
                                   "choose another --name",
                                   existing->key, util::join(existing->flags, " ")));
    }
    c = *existing;
  } else {
    c.id = store.insert_campaign(c);
  }
  plan_runs(cfg, store, c, cfg.seeds.experiment, "initial");
  return c;
}

std::string experiment_name_from_flags(const std::vector<std::string>& flags) {
  std::string joined = util::join(flags, "_");
  std::string name = util::sanitize_name(joined);
  if (name.empty()) {
    name = "experiment";
  }
  if (name.size() > 60) {
    name.resize(60);
  }
  return name;
}

} // namespace seedrun::track
