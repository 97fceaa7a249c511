#pragma once
// Moves campaigns forward. One step(): ask the executor for run states (for Slurm: one sacct
// call for everything unfinished), read the new bytes of every live log, settle runs that
// ended (a run that exited 0 without printing the metric is FAILED), remove checkpoints whose
// metric is stored, start planned runs, decide the extension seeds by the 2σ rule, and write
// the reports of campaigns that finished. Every step is idempotent: a second step with nothing
// new changes nothing.
#include "seedrun/config/config.hpp"
#include "seedrun/exec/executor.hpp"
#include "seedrun/store/store.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace seedrun::track {

// What the user sees while runs go on; the command line implements it (terminal or plain).
class ProgressSink {
public:
  virtual ~ProgressSink() = default;
  // Called every step for each unfinished run, and once when it ends.
  virtual void run_update(const store::Campaign& campaign, const store::Run& run, int index, int total,
                          double elapsed_seconds) = 0;
  virtual void run_finished(const store::Campaign& campaign, const store::Run& run, int index, int total) = 0;
  virtual void message(const std::string& text) = 0;
};

struct StepResult {
  std::vector<long long> finished_campaigns;  // campaigns that became DONE in this step
  std::vector<std::filesystem::path> reports; // reports written in this step
  std::vector<std::string> warnings;          // e.g. a truncated log
  bool idle = true;                           // nothing unfinished in the given campaigns
};

// What a campaign follows (tracker.cpp).
struct FollowedMetrics;

class Tracker {
public:
  Tracker(const config::Config& cfg, store::Store& store, exec::Executor& executor, ProgressSink* sink);

  // One step over `campaign_ids` (empty: every ACTIVE campaign). With `may_launch` false,
  // planned runs are left for another process (a refresh must not start local training that
  // would die with it).
  StepResult step(util::TimePoint now, const std::vector<long long>& campaign_ids = {}, bool may_launch = true);

  // Rewrites the reports of a campaign from the store (seedrun report).
  std::vector<std::filesystem::path> write_reports(const store::Campaign& campaign, util::TimePoint now);

private:
  void settle_runs(const store::Campaign& campaign, StepResult& result);
  // One run of settle_runs: read its files and log, then act on how it ended. `i` of `total`.
  void settle_run(const store::Campaign& campaign, const FollowedMetrics& followed, store::Run& run, int i, int total,
                  StepResult& result);
  void launch_planned(const store::Campaign& campaign, util::TimePoint now);
  bool maybe_extend(const store::Campaign& campaign);
  bool settled(const store::Campaign& campaign);
  void finish_if_done(const store::Campaign& campaign, util::TimePoint now, StepResult& result);
  void cleanup_checkpoint(store::Run& run, StepResult& result);
  // True when the run was planned again (an infrastructure failure within max_retries).
  bool maybe_retry(const store::Campaign& campaign, const store::Run& run, StepResult& result);
  void report_failure(const store::Campaign& campaign, const store::Run& run, StepResult& result);
  void stop_arm(const store::Campaign& campaign, const std::string& why, util::TimePoint now);
  void reassess_experiments(const store::Campaign& baseline, util::TimePoint now, StepResult& result);

  const config::Config& m_cfg;
  store::Store& m_store;
  exec::Executor& m_executor;
  ProgressSink* m_sink;
  std::map<long long, std::string> m_fail_fast; // campaign id → why its arm stops (fail_fast)
};

} // namespace seedrun::track
