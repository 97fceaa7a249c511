#include "seedrun/cli/drive.hpp"

#include "seedrun/track/campaigns.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/file_lock.hpp"


#include <atomic>
#include <csignal>
#include <thread>

#include <fmt/format.h>

namespace seedrun::cli {
namespace {

std::atomic<bool> g_interrupted{false};

extern "C" void on_signal(int) { g_interrupted = true; }

bool all_done(store::Store& store, const std::vector<long long>& ids) {
  for (auto id : ids) {
    auto c = store.find_campaign_by_id(id);
    if (c && c->state == "ACTIVE") {
      return false;
    }
  }
  return true;
}

// `seedrun cancel` from another terminal marks the campaign CANCELLED; the training it cannot
// reach runs in this process, which ends it here (local), so no run stays RUNNING inside a
// cancelled campaign.
void stop_cancelled(Context& ctx, const std::vector<long long>& ids, track::ProgressSink& sink) {
  if (!ctx.executor->attached()) {
    return;
  }
  for (auto id : ids) {
    auto c = ctx.store->find_campaign_by_id(id);
    if (!c || c->state != "CANCELLED") {
      continue;
    }
    bool live = false;
    for (const auto& r : ctx.store->runs(id)) {
      live = live || !store::is_final_run_state(r.state);
    }
    if (live) {
      ctx.executor->cancel(*ctx.store, *c, "cancelled by seedrun cancel", util::Clock::now());
      for (auto r : ctx.store->runs(id)) {
        if (!store::is_final_run_state(r.state)) { // planned, never started
          r.state = store::run_state::cancelled;
          r.reason = "cancelled by seedrun cancel";
          ctx.store->update_run(r);
        }
      }
      sink.message(fmt::format("{} was cancelled by `seedrun cancel`; its running seeds were stopped", c->key));
    }
  }
}

} // namespace

void install_interrupt_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

bool interrupted() { return g_interrupted.load(); }

DriveOutcome drive(Context& ctx, const std::vector<long long>& campaign_ids, track::ProgressSink& sink,
                   bool wait_for_slurm, int timeout_seconds) {
  using namespace std::chrono_literals;
  DriveOutcome out;
  std::optional<util::FileLock> lock;
  if (ctx.executor->attached()) {
    // One local driver per state directory: two would both think the other's runs were orphans.
    lock.emplace(ctx.cfg.paths.state / "local.lock", util::FileLock::Mode::try_once);
    if (!lock->held()) {
      throw Error(fmt::format("another seedrun is already running local training in {}",
                              ctx.cfg.paths.state.string()));
    }
    for (auto id : campaign_ids) {
      if (auto c = ctx.store->find_campaign_by_id(id); c && c->state == "ACTIVE") {
        int n = track::resume_interrupted(ctx.cfg, *ctx.store, *c, true, ctx.now);
        if (n > 0) {
          sink.message(fmt::format("{}: resuming {} interrupted seed(s)", c->key, n));
        }
      }
    }
  }
  track::Tracker tracker(ctx.cfg, *ctx.store, *ctx.executor, &sink);
  auto started = std::chrono::steady_clock::now();
  auto delay = ctx.executor->attached() ? 200ms : 2000ms;
  while (true) {
    track::StepResult r;
    {
      // One tracker step at a time per state directory (cron refreshes may overlap with us).
      util::FileLock step_lock(ctx.cfg.paths.state / "refresh.lock", util::FileLock::Mode::wait);
      r = tracker.step(util::Clock::now(), campaign_ids);
    }
    out.reports.insert(out.reports.end(), r.reports.begin(), r.reports.end());
    stop_cancelled(ctx, campaign_ids, sink);
    if (all_done(*ctx.store, campaign_ids)) {
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
        for (auto id : campaign_ids) {
          if (auto c = ctx.store->find_campaign_by_id(id)) {
            ctx.executor->cancel(*ctx.store, *c, "interrupted (Ctrl-C)", util::Clock::now());
          }
        }
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
