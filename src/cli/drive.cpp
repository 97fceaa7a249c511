#include "seedrun/cli/drive.hpp"

#include "seedrun/track/campaign_control.hpp"
#include "seedrun/track/health_refresh.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/file_lock.hpp"

#include <atomic>
#include <csignal>
#include <fmt/format.h>
#include <thread>

namespace seedrun::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) {
  g_interrupted = true;
}

} // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() {
  return g_interrupted.load();
}

DriveOutcome drive(Context& ctx, const std::vector<long long>& campaign_ids, track::ProgressSink& sink,
                   bool wait_for_slurm, int timeout_seconds) {
  using namespace std::chrono_literals;
  DriveOutcome out;
  std::optional<util::FileLock> lock;
  if (ctx.executor->attached()) {
    // One local driver per state directory: two would both think the other's runs were orphans.
    lock.emplace(track::local_lock_path(ctx.cfg), util::FileLock::Mode::try_once);
    if (!lock->held()) {
      throw Error(fmt::format("another seedrun is already running local training in {}", ctx.cfg.paths.state.string()));
    }
    for (const auto& [key, n] : track::resume_local(ctx.cfg, *ctx.store, campaign_ids, ctx.now)) {
      sink.message(fmt::format("{}: resuming {} interrupted seed(s)", key, n));
    }
  }
  // Runs that end are checked by the health rules before cleanup may remove their files.
  track::HealthRefresh health(ctx.cfg, *ctx.store, &sink, ctx.now);
  health.finished_runs_only();
  track::Tracker tracker(ctx.cfg, *ctx.store, *ctx.executor, &health);
  auto started = std::chrono::steady_clock::now();
  auto delay = ctx.executor->attached() ? 200ms : 2000ms;
  while (true) {
    track::StepResult r;
    {
      // One tracker step at a time per state directory (cron refreshes may overlap with us).
      util::FileLock step_lock(track::refresh_lock_path(ctx.cfg), util::FileLock::Mode::wait);
      auto now = util::Clock::now();
      health.set_now(now);
      r = tracker.step(now, campaign_ids);
      for (const auto& w : health.finish({})) {
        sink.message("warning: " + w);
      }
    }
    out.reports.insert(out.reports.end(), r.reports.begin(), r.reports.end());
    // `seedrun cancel` from another terminal marks the campaign CANCELLED; the training it cannot
    // reach runs in this process, which ends it here (local), so no run stays RUNNING inside a
    // cancelled campaign.
    for (const auto& key : track::stop_cancelled(*ctx.store, *ctx.executor, campaign_ids, util::Clock::now())) {
      sink.message(fmt::format("{} was cancelled by `seedrun cancel`; its running seeds were stopped", key));
    }
    if (track::all_finished(*ctx.store, campaign_ids)) {
      out.done = true;
      return out;
    }
    if (!ctx.executor->attached() && !wait_for_slurm) {
      return out;
    }
    if (timeout_seconds > 0 && std::chrono::steady_clock::now() - started > std::chrono::seconds(timeout_seconds)) {
      return out;
    }
    auto until = std::chrono::steady_clock::now() + delay;
    while (std::chrono::steady_clock::now() < until && !interrupted()) {
      std::this_thread::sleep_for(50ms);
    }
    if (interrupted()) {
      out.interrupted = true;
      if (ctx.executor->attached()) {
        track::interrupt(*ctx.store, *ctx.executor, campaign_ids, util::Clock::now());
        sink.message("interrupted: running seeds were stopped and marked CANCELLED; run the same command again "
                     "to resume (completed seeds are kept)");
      } else {
        sink.message("stopped waiting; the Slurm jobs keep running (seedrun refresh tracks them, seedrun cancel "
                     "ends them)");
      }
      return out;
    }
    if (!ctx.executor->attached()) {
      delay = std::min(delay * 2, std::chrono::milliseconds(60000)); // Slurm: 2 s doubling to 60 s
    }
  }
}

} // namespace seedrun::cli
