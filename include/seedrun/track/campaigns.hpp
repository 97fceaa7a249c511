#pragma once
// Creating and resuming campaigns: the plan of seeds for each phase, as method.md defines it.
// These functions only write the store; starting runs is the Tracker's job.
#include "seedrun/config/config.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <string>
#include <vector>

namespace seedrun::track {

struct BaselineDecision {
  store::Campaign campaign;
  bool skipped = false; // a complete baseline for this command and scale already exists
  std::string message;
};

// Finds the baseline for the configured command and scale, creating it (with its five planned
// runs) when absent. A complete baseline is skipped unless `force`, which re-runs every seed as
// a new attempt. An incomplete one is resumed: interrupted seeds get a new attempt.
BaselineDecision ensure_baseline(const config::Config& cfg, store::Store& store, bool force, util::TimePoint now);

// Finds or creates the experiment campaign `name` with `flags` (three planned runs). Throws
// UsageError when a campaign of that name exists with other flags or another command.
store::Campaign ensure_experiment(const config::Config& cfg, store::Store& store, const std::string& name,
                                  const std::vector<std::string>& flags, util::TimePoint now);

// "--use_warmup" → "use_warmup"; "--lr 0.001" → "lr_0.001". Never empty.
std::string experiment_name_from_flags(const std::vector<std::string>& flags);

// Local runs left RUNNING/PENDING by a seedrun that is gone become CANCELLED, and every
// CANCELLED run gets a new PLANNED attempt (completed and failed seeds are kept as they are).
int resume_interrupted(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                       bool stale_local_runs, util::TimePoint now);

// Local runs left RUNNING/PENDING when no seedrun process runs them any more become CANCELLED
// ("interrupted"); the next baseline/experiment resumes them. Returns how many.
int mark_orphaned_local_runs(store::Store& store, const store::Campaign& campaign, util::TimePoint now);

// Plans a new attempt of `run`'s seed (the old row is kept, marked superseded).
long long plan_new_attempt(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                           const store::Run& run);

// Adds planned runs for `seeds` in `phase` ("initial" | "extension").
void plan_runs(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
               const std::vector<int>& seeds, const std::string& phase);

// The campaign key: <name>_<scale>.
std::string campaign_key(const std::string& name, long long train_tokens);

} // namespace seedrun::track
