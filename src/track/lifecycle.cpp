#include "seedrun/track/lifecycle.hpp"

#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/track/campaigns.hpp"

namespace seedrun::track {

void activate(store::Store& store, const store::Campaign& campaign, util::TimePoint now) {
  auto fresh = store.find_campaign_by_id(campaign.id);
  if (fresh && fresh->state == store::CampaignState::active) {
    return;
  }
  store.set_campaign_state(campaign.id, store::CampaignState::active, std::nullopt, now);
}

void finish(store::Store& store, const store::Campaign& campaign, const std::optional<std::string>& verdict,
            util::TimePoint now) {
  store.set_campaign_state(campaign.id, store::CampaignState::done, verdict, now);
}

void cancel(store::Store& store, const store::Campaign& campaign, bool orphans, util::TimePoint now) {
  store.transaction([&] {
    for (auto r : store.runs(campaign.id)) { // never started: nothing to end, but not to run either
      if (r.state == store::RunState::planned || (orphans && !store::is_final(r.state))) {
        store::mark_cancelled(r, store::CancelCause::user_cancel, "cancelled by seedrun cancel");
        store.update_run(r);
      }
    }
    store.set_campaign_state(campaign.id, store::CampaignState::cancelled, std::nullopt, now);
  });
}

std::optional<int> reopen_if_cancelled(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                                       util::TimePoint now) {
  if (campaign.state != store::CampaignState::cancelled) {
    return std::nullopt;
  }
  int n = resume_interrupted(cfg, store, campaign, false, now);
  store.set_campaign_state(campaign.id, store::CampaignState::active, std::nullopt, now);
  return n;
}

int cancel_planned(store::Store& store, const store::Campaign& campaign, store::CancelCause cause,
                   const std::string& reason) {
  int n = 0;
  store.transaction([&] {
    for (auto r : store.runs(campaign.id)) {
      if (r.state == store::RunState::planned) {
        store::mark_cancelled(r, cause, reason);
        r.log_done = true; // nothing will ever be written
        store.update_run(r);
        ++n;
      }
    }
  });
  return n;
}

int mark_orphaned_local_runs(store::Store& store, const store::Campaign& campaign, util::TimePoint now) {
  int n = 0;
  store.transaction([&] {
    for (auto r : store.runs(campaign.id)) {
      if (r.state == store::RunState::running || r.state == store::RunState::pending) {
        store::mark_cancelled(r, store::CancelCause::orphaned, "interrupted: the seedrun process running it stopped",
                              now);
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
      if (r.state == store::RunState::cancelled) {
        plan_new_attempt(cfg, store, campaign, r);
        ++resumed;
      }
    }
  });
  return resumed;
}

bool waiting_for_resume(store::Store& store, const store::Campaign& campaign) {
  return store.has_interrupted_runs(campaign.id); // store::interrupted() of any run, asked in SQL
}

std::filesystem::path refresh_lock_path(const config::Config& cfg) {
  return cfg.paths.state / "refresh.lock";
}
std::filesystem::path local_lock_path(const config::Config& cfg) {
  return cfg.paths.state / "local.lock";
}

} // namespace seedrun::track
