#include "seedrun/track/campaign_control.hpp"

#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/health_refresh.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/file_lock.hpp"

#include <fmt/format.h>

namespace seedrun::track {
namespace {

constexpr const char* k_user_cancel = "cancelled by seedrun cancel";

} // namespace

std::vector<long long> select_campaigns(store::Store& store, const std::optional<std::string>& name, bool active_only) {
  std::vector<long long> ids;
  if (name) {
    auto c = store.find_campaign(*name);
    if (!c) {
      throw UsageError(fmt::format("no campaign '{}' (seedrun status lists them)", *name));
    }
    ids.push_back(c->id);
    return ids;
  }
  for (const auto& c : store.campaigns()) {
    if (!active_only || c.state == store::CampaignState::active) {
      ids.push_back(c.id);
    }
  }
  return ids;
}

RefreshOutcome refresh(const config::Config& cfg, store::Store& store, exec::Executor& executor,
                       const std::vector<long long>& ids, ProgressSink* sink, util::TimePoint now) {
  RefreshOutcome out;
  util::FileLock lock(refresh_lock_path(cfg), util::FileLock::Mode::try_once);
  if (!lock.held()) {
    out.busy = true;
    return out;
  }
  if (executor.attached()) {
    // No `seedrun baseline/experiment` holds the local lock: runs it left RUNNING are orphans.
    util::FileLock local(local_lock_path(cfg), util::FileLock::Mode::try_once);
    for (auto id : ids) {
      auto c = store.find_campaign_by_id(id);
      int n = local.held() && c ? mark_orphaned_local_runs(store, *c, now) : 0;
      if (n > 0) {
        out.orphaned.emplace_back(c->key, n);
      }
    }
  }
  // Local training lives only as long as the process that started it: refresh reads logs and
  // writes reports for local campaigns, but starting their runs is `seedrun baseline/experiment`'s job.
  // The health rules look at the runs this step read (health_refresh.hpp).
  HealthRefresh health(cfg, store, sink, now);
  Tracker tracker(cfg, store, executor, &health);
  out.step = tracker.step(now, ids, !executor.attached());
  for (auto& w : health.finish(ids)) {
    out.step.warnings.push_back(std::move(w));
  }
  return out;
}

std::vector<CancelOutcome> cancel_campaigns(const config::Config& cfg, store::Store& store, exec::Executor& executor,
                                            const std::vector<long long>& ids, util::TimePoint now) {
  // Between two tracker steps of a `seedrun baseline/experiment/wait` in another terminal (or a
  // cron refresh), never inside one: a step that read RUNNING before our scancel must not
  // write it back over CANCELLED, nor submit runs we are cancelling.
  util::FileLock step_lock(refresh_lock_path(cfg), util::FileLock::Mode::wait);
  std::vector<CancelOutcome> out;
  for (auto id : ids) {
    auto c = store.find_campaign_by_id(id);
    if (!c) {
      continue;
    }
    executor.cancel(store, *c, store::CancelCause::user_cancel, k_user_cancel, now);
    // Local training belongs to the `seedrun baseline/experiment` that started it, which sees the
    // CANCELLED campaign after its current step and ends it; with no such process left, its runs
    // are orphans and are marked here.
    bool orphans = false;
    if (executor.attached()) {
      util::FileLock local(local_lock_path(cfg), util::FileLock::Mode::try_once);
      orphans = local.held();
    }
    cancel(store, *c, orphans, now);
    out.push_back({c->key, executor.attached() && !orphans});
  }
  return out;
}

int retry_failed(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                 std::optional<long long> seed, util::TimePoint now) {
  int n = 0;
  for (const auto& r : store.runs(campaign.id)) {
    bool failed = store::is_final(r.state) && r.state != store::RunState::completed;
    if (failed && (!seed || *seed == r.seed)) {
      plan_new_attempt(cfg, store, campaign, r);
      ++n;
    }
  }
  if (n > 0) {
    activate(store, campaign, now);
  }
  return n;
}

bool all_finished(store::Store& store, const std::vector<long long>& ids) {
  for (auto id : ids) {
    auto c = store.find_campaign_by_id(id);
    if (c && c->state == store::CampaignState::active) {
      return false;
    }
  }
  return true;
}

std::vector<std::pair<std::string, int>> resume_local(const config::Config& cfg, store::Store& store,
                                                      const std::vector<long long>& ids, util::TimePoint now) {
  std::vector<std::pair<std::string, int>> out;
  for (auto id : ids) {
    if (auto c = store.find_campaign_by_id(id); c && c->state == store::CampaignState::active) {
      int n = resume_interrupted(cfg, store, *c, true, now);
      if (n > 0) {
        out.emplace_back(c->key, n);
      }
    }
  }
  return out;
}

std::vector<std::string> stop_cancelled(store::Store& store, exec::Executor& executor,
                                        const std::vector<long long>& ids, util::TimePoint now) {
  std::vector<std::string> stopped;
  if (!executor.attached()) {
    return stopped;
  }
  for (auto id : ids) {
    auto c = store.find_campaign_by_id(id);
    if (!c || c->state != store::CampaignState::cancelled) {
      continue;
    }
    bool live = false;
    for (const auto& r : store.runs(id)) {
      live = live || !store::is_final(r.state);
    }
    if (!live) {
      continue;
    }
    executor.cancel(store, *c, store::CancelCause::user_cancel, k_user_cancel, now);
    store.transaction([&] {
      for (auto r : store.runs(id)) {
        if (!store::is_final(r.state)) { // planned, never started
          store::mark_cancelled(r, store::CancelCause::user_cancel, k_user_cancel);
          store.update_run(r);
        }
      }
    });
    stopped.push_back(c->key);
  }
  return stopped;
}

void interrupt(store::Store& store, exec::Executor& executor, const std::vector<long long>& ids, util::TimePoint now) {
  for (auto id : ids) {
    if (auto c = store.find_campaign_by_id(id)) {
      executor.cancel(store, *c, store::CancelCause::signal, "interrupted (Ctrl-C)", now);
    }
  }
}

} // namespace seedrun::track
