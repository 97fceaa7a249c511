#pragma once
// Training health during `seedrun refresh` (docs/health.md, "In refresh and status"): the
// rules of run_health.hpp evaluated for the runs that got new data in a tracker step, their
// findings kept in the per-campaign cache (report/health_cache.hpp) that `status` and
// `analyze` read.
//
// Which runs: those the step read (running, or ended in this step: those are evaluated at once,
// before the checkpoint cleanup may remove their output directory) and, when seedrun.yaml has a
// `health:` section, every started run the cache does not know yet. A run is evaluated again only
// when its fingerprint changed (its state, log offset, the size and mtime of its files, the
// thresholds). Without a `health:` section a run is looked at only if its metrics or events
// file exists, so a refresh of campaigns that write neither costs one or two stat calls per
// running run and writes nothing.
#include "seedrun/config/config.hpp"
#include "seedrun/report/health_cache.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/track/tracker.hpp"
#include "seedrun/util/time.hpp"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace seedrun::track {

// A ProgressSink that forwards everything to `inner` (may be null) and notes the runs a step
// touched; finish() evaluates them after the step.
class HealthRefresh : public ProgressSink {
public:
  // `every_started_run`: finish() also looks at the started runs the cache does not know when
  // seedrun.yaml has no `health:` section (analyze --sweep; the files rule above still applies).
  HealthRefresh(const config::Config& cfg, store::Store& store, ProgressSink* inner, util::TimePoint now,
                bool every_started_run = false);

  void run_update(const store::Campaign& campaign, const store::Run& run, int index, int total,
                  double elapsed_seconds) override;
  void run_finished(const store::Campaign& campaign, const store::Run& run, int index, int total) override;
  void message(const std::string& text) override;

  // Evaluates what is left over `campaign_ids` and writes the caches that changed. Returns
  // warnings (a run that could not be checked, a cache that could not be written) rather than
  // throwing for them.
  std::vector<std::string> finish(const std::vector<long long>& campaign_ids);

  int evaluated() const { return m_evaluated; }

  // The local drive loop (seedrun baseline/experiment/wait steps every 200 ms): only runs that
  // end are evaluated (at once, before cleanup); running runs are left to `seedrun refresh`.
  void finished_runs_only() { m_finished_only = true; }
  // The time the findings are stamped with (a long drive loop moves it on).
  void set_now(util::TimePoint now) { m_now = now; }

private:
  // What consider() reads of a run, and nothing else: a refresh of 100,000 running runs keeps
  // one of these per run until finish(), not a whole store::Run (472 bytes and its strings).
  struct RunView {
    long long id = 0;
    long long seed = 0;
    store::RunState state = store::RunState::planned;
    long long log_offset = 0;
    bool checkpoint_cleaned = false;
    std::string output_dir;
    std::string log_path;
  };
  static RunView view_of(const store::Run& run);

  report::HealthCache& cache_of(long long campaign_id);
  // Evaluates `run` when its fingerprint differs from the cached one.
  void consider(const store::Campaign& campaign, const RunView& run);

  const config::Config& m_cfg;
  store::Store& m_store;
  ProgressSink* m_inner;
  util::TimePoint m_now;
  std::string m_thresholds; // a digest of the health settings: other thresholds, other findings
  std::map<long long, report::HealthCache> m_caches;
  std::map<long long, std::set<long long>> m_dirty; // campaign → runs checked since the last write
  // campaign id → the campaign and the runs the step read
  std::map<long long, std::pair<store::Campaign, std::vector<RunView>>> m_touched;
  std::vector<std::string> m_warnings; // runs that could not be checked, told by finish()
  int m_evaluated = 0;
  bool m_every_started_run = false;
  bool m_finished_only = false;
};

} // namespace seedrun::track
