// seedrun refresh --after-job ID: what the refresh job (slurm.refresh_job) runs on the cluster
// once an array has ended. sacct lags the controller by a few seconds (placeholder rows, NOTES
// 18), so one step may still see the tasks unfinished: it steps every active campaign, then
// again after 2, 4, 8, ... s (at most 30 s apart) until the store has no unfinished run of that
// job, or --settle-timeout passes (then cron, `seedrun refresh` or `seedrun wait` take over).
// Each step holds <state>/refresh.lock like every other tracker step, so cron or a waiting
// seedrun alongside are harmless.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/track/tracker.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/file_lock.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/format.h>
#include <thread>

namespace seedrun::cli {
namespace {

// A run of `job` (its job id is "<job>_<index>") that has not ended.
bool waits_on(store::Store& store, const std::string& job) {
  for (const auto& c : store.campaigns()) {
    for (const auto& r : store.runs(c.id)) {
      if (r.job_id && r.job_id->starts_with(job + "_") && !store::is_final(r.state)) {
        return true;
      }
    }
  }
  return false;
}

std::vector<long long> active_campaigns(store::Store& store) {
  std::vector<long long> ids;
  for (const auto& c : store.campaigns()) {
    if (c.state == store::CampaignState::active) {
      ids.push_back(c.id);
    }
  }
  return ids;
}

} // namespace

int run_refresh_after_job(const GlobalOptions& g, const CampaignOptions& o) {
  using namespace std::chrono_literals;
  auto ctx = load_context(g);
  const std::string job = *o.after_job;
  track::Tracker tracker(ctx.cfg, *ctx.store, *ctx.executor, nullptr);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o.settle_timeout_seconds);
  auto delay = 2s;
  int steps = 0;
  while (true) {
    track::StepResult r;
    {
      util::FileLock lock(ctx.cfg.paths.state / "refresh.lock", util::FileLock::Mode::wait);
      r = tracker.step(util::Clock::now(), active_campaigns(*ctx.store), true);
    }
    ++steps;
    for (const auto& w : r.warnings) {
      fmt::print(stderr, "seedrun: warning: {}\n", w);
    }
    for (const auto& p : r.reports) {
      fmt::print("wrote {}\n", p.string());
    }
    if (!waits_on(*ctx.store, job)) {
      fmt::print("job {} has ended: {} refresh step(s)\n", job, steps);
      return 0;
    }
    if (std::chrono::steady_clock::now() + delay > deadline) {
      fmt::print(stderr,
                 "seedrun: warning: job {} still unfinished in sacct after {} s; `seedrun refresh` (cron) or "
                 "`seedrun wait` takes over\n",
                 job, o.settle_timeout_seconds);
      return 0;
    }
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::seconds(30));
  }
}

} // namespace seedrun::cli
