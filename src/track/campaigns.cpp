#include "seedrun/track/campaigns.hpp"

#include "seedrun/report/reports.hpp"
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/paths.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <set>

namespace seedrun::track {
namespace {

store::Run make_run(const config::Config& cfg, const store::Campaign& c, long long seed, const std::string& phase,
                    int attempt) {
  store::Run r;
  r.campaign_id = c.id;
  r.arm = c.kind;
  r.seed = seed;
  r.phase = phase;
  r.attempt = attempt;
  r.state = store::RunState::planned;
  std::string stem = fmt::format("{}_seed{}", c.key, seed);
  r.log_path =
      (cfg.paths.state / "logs" / (attempt > 1 ? fmt::format("{}_attempt{}.log", stem, attempt) : stem + ".log"))
          .string();
  r.output_dir = (cfg.paths.checkpoints / stem).string();
  // Recorded now, before anything of this run can create it: a directory that is already
  // there is not seedrun's to delete (Tracker::cleanup_checkpoint).
  std::error_code ec;
  r.output_dir_preexisted = std::filesystem::exists(std::filesystem::symlink_status(r.output_dir, ec));
  return r;
}

store::Campaign new_campaign(const config::Config& cfg, const std::string& name, const std::string& kind,
                             const std::vector<std::string>& flags, const BaselineIdentity& identity,
                             util::TimePoint now) {
  store::Campaign c;
  c.identity_key = identity.key;
  c.identity = identity.to_json_text();
  c.key = campaign_key(name, cfg.train_tokens);
  c.name = name;
  c.kind = kind;
  c.flags = flags;
  c.command_key = identity.key;
  c.command = cfg.command;
  c.train_tokens = cfg.train_tokens;
  c.metric = cfg.metric.name;
  c.goal = cfg.metric.goal == config::Goal::minimize ? store::Goal::minimize : store::Goal::maximize;
  c.executor = cfg.executor == config::ExecutorKind::slurm ? "slurm" : "local";
  c.state = store::CampaignState::active;
  c.config_path = cfg.file.string();
  c.created_at = std::chrono::floor<std::chrono::seconds>(now);
  c.updated_at = c.created_at;
  return c;
}

bool baseline_complete(store::Store& store, const config::Config& cfg, const store::Campaign& c) {
  int done = 0;
  for (const auto& r : store.runs(c.id)) {
    bool listed = std::find(cfg.seeds.baseline.begin(), cfg.seeds.baseline.end(), r.seed) != cfg.seeds.baseline.end();
    if (listed && store::counts(r)) {
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
               const std::vector<long long>& seeds, const std::string& phase) {
  store.transaction([&] {
    std::set<long long> known;
    for (const auto& r : store.runs(campaign.id, true)) {
      known.insert(r.seed);
    }
    for (long long seed : seeds) {
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
    auto next = make_run(cfg, campaign, run.seed, run.phase, attempt);
    if (next.output_dir == run.output_dir && run.output_dir_preexisted) {
      // The directory may exist now because the earlier attempt created it: it stays seedrun's.
      next.output_dir_preexisted = run.output_dir_preexisted;
    }
    id = store.insert_run(next);
  });
  return id;
}

namespace {

bool finished_or_complete(store::Store& store, const config::Config& cfg, const store::Campaign& c) {
  return c.state == store::CampaignState::done || baseline_complete(store, cfg, c);
}

// The newest baseline of the same command, scale and metric recorded for other code (or by
// another executor, or before identities existed).
std::optional<store::Campaign> previous_baseline(store::Store& store, const BaselineIdentity& id) {
  std::optional<store::Campaign> found;
  for (const auto& c : store.campaigns()) {
    if (c.kind != "baseline" || c.train_tokens != id.train_tokens || c.metric != id.metric) {
      continue;
    }
    std::optional<BaselineIdentity> other = c.identity ? identity_from_text(*c.identity) : std::nullopt;
    std::string legacy = other ? other->command_key : c.command_key;
    if (legacy == id.command_key && c.identity_key != id.key) {
      found = c;
    }
  }
  return found;
}

std::vector<std::string> differences_from(const store::Campaign& c, const BaselineIdentity& id) {
  if (c.identity) {
    if (auto other = identity_from_text(*c.identity)) {
      return identity_differences(*other, id);
    }
  }
  std::vector<std::string> out{"it was recorded before seedrun kept code identities"};
  if (c.executor != id.executor) {
    out.push_back(fmt::format("the executor changed ({} → {})", c.executor, id.executor));
  }
  return out;
}

// A baseline recorded before identities, of this command, scale, metric and executor.
std::optional<store::Campaign> adopt_legacy(store::Store& store, const BaselineIdentity& id, BaselineDecision& d) {
  for (const auto& c : store.campaigns()) {
    if (c.kind == "baseline" && !c.identity_key && c.command_key == id.command_key &&
        c.train_tokens == id.train_tokens && c.executor == id.executor) {
      store.set_campaign_identity(c.id, id.key, id.to_json_text());
      d.notes.push_back(fmt::format("baseline {} was recorded before seedrun kept code identities; it is taken as "
                                    "this code's ({}); --force re-runs it",
                                    c.key, identity_summary(id)));
      return store.find_campaign_by_id(c.id);
    }
  }
  return std::nullopt;
}

bool report_files_free(const config::Config& cfg, const store::Campaign& c) {
  auto md = report::baseline_report_path(cfg, c);
  auto json = md;
  json.replace_extension(".json");
  std::error_code ec;
  if (!std::filesystem::exists(md, ec) && !std::filesystem::exists(json, ec)) {
    return true;
  }
  // Our own earlier report of this very identity (an incomplete run, a deleted store) may be replaced.
  auto text = read_report_twin(json);
  auto other = text ? identity_from_report_text(*text) : std::nullopt;
  return other && c.identity_key && other->key == *c.identity_key;
}

store::Campaign create_baseline(const config::Config& cfg, store::Store& store, const BaselineIdentity& id,
                                util::TimePoint now) {
  auto c = new_campaign(cfg, "baseline", "baseline", {}, id, now);
  std::string plain = c.key;
  // The seed-003 name while it is free; a short identity suffix when another baseline (in the
  // store or only as a report file) has it, so no report ever holds another baseline's numbers.
  for (size_t n = 6; store.find_campaign(c.key) || !report_files_free(cfg, c); n += 2) {
    c.key = fmt::format("{}_{}", plain, id.key.substr(0, std::min<size_t>(n, id.key.size())));
    if (n > id.key.size()) {
      c.key = fmt::format("{}_{}_{}", plain, id.key, n);
    }
  }
  c.id = store.insert_campaign(c);
  return c;
}

} // namespace

std::string plain_baseline_key(long long train_tokens) {
  return campaign_key("baseline", train_tokens);
}

BaselineDecision ensure_baseline(const config::Config& cfg, store::Store& store, bool force, util::TimePoint now) {
  BaselineOptions o;
  o.force = force;
  return ensure_baseline(cfg, store, o, compute_identity(cfg, nullptr), now);
}

BaselineDecision ensure_baseline(const config::Config& cfg, store::Store& store, const BaselineOptions& options,
                                 const BaselineIdentity& id, util::TimePoint now) {
  BaselineDecision d;
  bool force = options.force;
  std::string scale = config::scale_label(cfg.train_tokens);
  auto existing = store.find_baseline_by_identity(id.key, cfg.train_tokens);
  if (!existing) {
    existing = adopt_legacy(store, id, d);
  }
  if (!existing) {
    existing = import_baseline_twin(cfg, store, id, false, d.notes, now);
    if (existing) {
      d.imported = true;
      d.campaign = *existing;
      d.skipped = !force;
      d.message = fmt::format("the store had no baseline of this code at {}; read it back from its report ({}): "
                              "campaign {}{}",
                              scale, existing->origin.value_or("").substr(9), existing->key,
                              force ? "" : "; skipping it (--force re-runs it)");
      if (!force) {
        return d;
      }
    }
  }
  if (!existing) {
    auto previous = previous_baseline(store, id);
    if (previous && finished_or_complete(store, cfg, *previous)) {
      d.differences = differences_from(*previous, id);
      if (options.reuse) {
        d.campaign = *previous;
        d.skipped = true;
        d.reused_other_code = true;
        d.message = fmt::format("--reuse-baseline: using baseline {} although {}", previous->key,
                                util::join(d.differences, "; "));
        return d;
      }
      d.code_changed = true;
    } else if (options.reuse) {
      if (auto imported = import_baseline_twin(cfg, store, id, true, d.notes, now)) {
        d.campaign = *imported;
        d.skipped = true;
        d.imported = true;
        d.reused_other_code = true;
        d.message = fmt::format("--reuse-baseline: read back baseline {} from its report ({}) although its code "
                                "differs or is unknown",
                                imported->key, imported->origin.value_or("").substr(9));
        return d;
      }
    }
    existing = create_baseline(cfg, store, id, now);
    if (d.code_changed) {
      d.message = fmt::format("the code changed since baseline {}: {}; a new baseline ({}) is needed and runs now "
                              "(--reuse-baseline judges against the old one instead)",
                              previous->key, util::join(d.differences, "; "), existing->key);
    }
  }
  if (baseline_complete(store, cfg, *existing) && !force) {
    d.campaign = *existing;
    d.skipped = true;
    d.message = fmt::format("a complete {}-seed baseline of this code at {} already exists (campaign {}); skipping "
                            "it (--force re-runs it)",
                            cfg.seeds.baseline.size(), scale, existing->key);
    return d;
  }
  if (existing->state == store::CampaignState::done && !force) {
    // Finished, but some seeds failed on their own: re-running them is the user's call.
    int done = 0;
    for (const auto& r : store.runs(existing->id)) {
      done += store::counts(r) ? 1 : 0;
    }
    d.campaign = *existing;
    d.skipped = true;
    d.finished_with_failures = true;
    d.message = fmt::format("the baseline {} finished with {} of {} seeds (see its report for the failures); "
                            "using it as it is: `seedrun retry {}` runs the failed seeds again, --force all of them",
                            existing->key, done, cfg.seeds.baseline.size(), existing->key);
    return d;
  }
  if (force) {
    store.transaction([&] {
      for (const auto& r : store.runs(existing->id)) {
        plan_new_attempt(cfg, store, *existing, r);
      }
      activate(store, *existing, now);
    });
    existing = store.find_campaign_by_id(existing->id);
  }
  plan_runs(cfg, store, *existing, cfg.seeds.baseline, "initial");
  d.campaign = *existing;
  return d;
}

store::Campaign ensure_experiment(const config::Config& cfg, store::Store& store, const std::string& name,
                                  const std::vector<std::string>& flags, util::TimePoint now) {
  auto id = compute_identity(cfg, nullptr);
  auto base = store.find_baseline_by_identity(id.key, cfg.train_tokens);
  store::Campaign link;
  link.command_key = base ? base->command_key : id.key;
  return ensure_experiment(cfg, store, name, flags, link, id, now);
}

store::Campaign ensure_experiment(const config::Config& cfg, store::Store& store, const std::string& name,
                                  const std::vector<std::string>& flags, const store::Campaign& baseline,
                                  const BaselineIdentity& identity, util::TimePoint now) {
  auto c = new_campaign(cfg, name, "experiment", flags, identity, now);
  c.command_key = baseline.command_key; // the link: report::baseline_for finds the baseline by it
  auto existing = store.find_campaign(c.key);
  if (existing) {
    if (existing->kind != "experiment" || existing->flags != flags) {
      throw UsageError(fmt::format("campaign '{}' already exists with other flags ({}); choose another --name",
                                   existing->key, util::join(existing->flags, " ")));
    }
    if (existing->command_key != c.command_key) {
      auto old_base = store.find_baseline(existing->command_key, existing->train_tokens);
      throw UsageError(fmt::format("experiment '{}' was run against baseline {} (other code or another command; "
                                   "this code's baseline is {}); choose another --name, or --reuse-baseline to "
                                   "judge against the old baseline",
                                   existing->key, old_base ? old_base->key : std::string("(none)"),
                                   baseline.key.empty() ? std::string("new") : baseline.key));
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
