#pragma once
// Creating and resuming campaigns: the plan of seeds for each phase, as method.md defines it.
// These functions only write the store; starting runs is the Tracker's job.
#include "seedrun/config/config.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/track/baseline_identity.hpp"
#include "seedrun/util/time.hpp"

#include <string>
#include <vector>

namespace seedrun::track {

struct BaselineOptions {
  bool force = false; // re-run every seed of the matching baseline
  bool reuse = false; // --reuse-baseline: accept a complete baseline of other code, saying so
};

struct BaselineDecision {
  store::Campaign campaign;
  bool skipped = false;                 // a complete (or finished) baseline is used as it is
  std::string message;                  // what was decided, in words; empty when a new baseline simply starts
  bool code_changed = false;            // a baseline of this command exists for other code: a new one runs
  bool reused_other_code = false;       // --reuse-baseline took a baseline of other code
  bool imported = false;                // read back from a report's JSON twin
  bool finished_with_failures = false;  // a DONE baseline some of whose seeds failed, used as it is
  std::vector<std::string> differences; // what changed since the older baseline, in words
  std::vector<std::string> notes;       // e.g. a report file kept because it holds other code's numbers
};

// Finds the baseline of `identity` (the configured command, scale, code and executor: see
// baseline_identity.hpp), creating it with its planned runs when absent. In order:
//   1. the store's baseline with this identity;
//   2. a baseline recorded before identities existed for the same command, scale, metric and
//      executor: adopted as this code's (said in the message);
//   3. a seedrun-written JSON twin (<reports>/baseline_variance_<scale>*.json) of this identity
//      holding every baseline seed: imported as a DONE campaign (origin "imported:<path>");
//   4. a baseline of the same command for other code: with `reuse` it is used (said so);
//      otherwise a new baseline is planned and the message says what changed.
// A new baseline's campaign key is baseline_<scale> when that key and its report files are
// free, else baseline_<scale>_<6 hex of the identity>: a report holding other numbers is never
// overwritten. A complete baseline is skipped unless `force`, which re-runs every seed as a new
// attempt; an incomplete one is resumed.
BaselineDecision ensure_baseline(const config::Config& cfg, store::Store& store, const BaselineOptions& options,
                                 const BaselineIdentity& identity, util::TimePoint now);
// The same with the identity computed without git.
BaselineDecision ensure_baseline(const config::Config& cfg, store::Store& store, bool force, util::TimePoint now);

// Finds or creates the experiment campaign `name` with `flags` (three planned runs), judged
// against `baseline` (its command_key links them) and recording `identity` as its code. Throws
// UsageError when a campaign of that name exists with other flags or another baseline.
store::Campaign ensure_experiment(const config::Config& cfg, store::Store& store, const std::string& name,
                                  const std::vector<std::string>& flags, const store::Campaign& baseline,
                                  const BaselineIdentity& identity, util::TimePoint now);
// The same against the baseline of the identity computed without git (or a new link key).
store::Campaign ensure_experiment(const config::Config& cfg, store::Store& store, const std::string& name,
                                  const std::vector<std::string>& flags, util::TimePoint now);

// The campaign key of the first baseline at a scale: baseline_<scale>.
std::string plain_baseline_key(long long train_tokens);

// Reads the seedrun-written JSON twins of baseline reports at this scale (depth- and
// size-limited: they may have been edited by hand) and imports the one of `identity` (or, with
// `accept_other_code`, any complete one) as a DONE baseline campaign. Twins that cannot be
// imported are left untouched; `notes` says why, in words.
std::optional<store::Campaign> import_baseline_twin(const config::Config& cfg, store::Store& store,
                                                    const BaselineIdentity& identity, bool accept_other_code,
                                                    std::vector<std::string>& notes, util::TimePoint now);

// "--use_warmup" → "use_warmup"; "--lr 0.001" → "lr_0.001". Never empty.
std::string experiment_name_from_flags(const std::vector<std::string>& flags);

// Plans a new attempt of `run`'s seed (the old row is kept, marked superseded).
long long plan_new_attempt(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
                           const store::Run& run);

// Adds planned runs for `seeds` in `phase` ("initial" | "extension").
void plan_runs(const config::Config& cfg, store::Store& store, const store::Campaign& campaign,
               const std::vector<long long>& seeds, const std::string& phase);

// The campaign key: <name>_<scale>.
std::string campaign_key(const std::string& name, long long train_tokens);

} // namespace seedrun::track
