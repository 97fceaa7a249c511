#pragma once
// The campaign lifecycle: every change of a campaign's state, and the changes of run states
// that concern a whole campaign (cancel what has not started, mark orphans, resume
// interruptions), as named transitions. The transitions of a single run value are
// store/run_lifecycle.hpp (executors below `track` use them too); this file is the only caller
// of Store::set_campaign_state.
//
//   ACTIVE ──finish──▶ DONE ──reopen (baseline changed, retry, --force)──▶ ACTIVE
//   ACTIVE ──cancel──▶ CANCELLED ──reopen (the same command again)──▶ ACTIVE
#include "seedrun/config/config.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <filesystem>
#include <optional>
#include <string>

namespace seedrun::track {

// → ACTIVE (verdict cleared). No change when it is ACTIVE already.
void activate(store::Store& store, const store::Campaign& campaign, util::TimePoint now);
// → DONE with `verdict` (experiments; nullopt for a baseline).
void finish(store::Store& store, const store::Campaign& campaign, const std::optional<std::string>& verdict,
            util::TimePoint now);
// → CANCELLED; its PLANNED runs (and with `orphans` every unfinished one, whose seedrun process is
// gone) become CANCELLED by the user. Ending the live runs is the executor's job, before this.
void cancel(store::Store& store, const store::Campaign& campaign, bool orphans, util::TimePoint now);
// A campaign cancelled earlier, taken up again by running its command again: its cancelled seeds
// get new attempts (completed ones are kept) and it is ACTIVE. Returns how many seeds were
// planned again; nullopt when it was not cancelled (nothing changed).
std::optional<int> reopen_if_cancelled(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                                       util::TimePoint now);

// The PLANNED runs of `campaign` become CANCELLED for `cause`; nothing will ever be written to their
// logs. Returns how many.
int cancel_planned(store::Store& store, const store::Campaign& campaign, store::CancelCause cause,
                   const std::string& reason);
// Local runs left RUNNING/PENDING when no seedrun process runs them any more become CANCELLED
// (orphaned, an interruption); the next baseline/experiment resumes them. Returns how many.
int mark_orphaned_local_runs(store::Store& store, const store::Campaign& campaign, util::TimePoint now);
// With `stale_local_runs`, marks orphans first; then every CANCELLED run gets a new PLANNED
// attempt (completed and failed seeds are kept as they are). Returns how many.
int resume_interrupted(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                       bool stale_local_runs, util::TimePoint now);
// True when a run of the campaign was interrupted (store::interrupted): the campaign waits to be
// resumed instead of finishing.
bool waiting_for_resume(store::Store& store, const store::Campaign& campaign);

// The locks of a state directory. refresh.lock: one tracker step at a time (cron refreshes,
// `wait`, `cancel` and a running baseline/experiment take turns). local.lock: held by the one
// seedrun process running local training; when nobody holds it, local runs left RUNNING are
// orphans.
std::filesystem::path refresh_lock_path(const config::Config& cfg);
std::filesystem::path local_lock_path(const config::Config& cfg);

} // namespace seedrun::track
