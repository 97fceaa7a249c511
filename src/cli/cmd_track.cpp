// seedrun refresh / wait / cancel / retry / cron: the tracker's entry points.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/cli/drive.hpp"
#include "seedrun/cli/progress.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/tracker.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/file_lock.hpp"

#include "seedrun/util/shell_words.hpp"

#include <unistd.h>

#include <fmt/format.h>

namespace seedrun::cli {
namespace {

std::vector<long long> select(Context& ctx, const std::optional<std::string>& name, bool active_only) {
  std::vector<long long> ids;
  if (name) {
    auto c = ctx.store->find_campaign(*name);
    if (!c) {
      throw UsageError(fmt::format("no campaign '{}' (seedrun status lists them)", *name));
    }
    ids.push_back(c->id);
    return ids;
  }
  for (const auto& c : ctx.store->campaigns()) {
    if (!active_only || c.state == "ACTIVE") {
      ids.push_back(c.id);
    }
  }
  return ids;
}

} // namespace

int run_refresh(const GlobalOptions& g, const CampaignOptions& o) {
  auto ctx = load_context(g);
  // Overlapping cron ticks: the second one leaves at once, successfully.
  util::FileLock lock(ctx.cfg.paths.state / "refresh.lock", util::FileLock::Mode::try_once);
  if (!lock.held()) {
    if (!g.quiet) {
      fmt::print(stderr, "another refresh is running; nothing to do\n");
    }
    return 0;
  }
  auto sink = make_progress(true);
  track::Tracker tracker(ctx.cfg, *ctx.store, *ctx.executor, sink.get());
  auto ids = select(ctx, o.campaign, true);
  if (ctx.executor->attached()) {
    // No `seedrun baseline/experiment` holds the local lock: runs it left RUNNING are orphans.
    util::FileLock local(ctx.cfg.paths.state / "local.lock", util::FileLock::Mode::try_once);
    for (auto id : ids) {
      auto c = ctx.store->find_campaign_by_id(id);
      int n = local.held() && c ? track::mark_orphaned_local_runs(*ctx.store, *c, ctx.now) : 0;
      if (n > 0 && !g.quiet) {
        fmt::print(stderr, "{}: {} run(s) whose seedrun process is gone marked CANCELLED; run the same command "
                           "again to resume them\n", c->key, n);
      }
    }
  }
  // Local training lives only as long as the process that started it: refresh reads logs and
  // writes reports for local campaigns, but starting their runs is `seedrun baseline/experiment`'s job.
  auto r = tracker.step(ctx.now, ids, !ctx.executor->attached());
  for (const auto& w : r.warnings) {
    fmt::print(stderr, "seedrun: warning: {}\n", w);
  }
  if (!g.quiet) {
    for (const auto& p : r.reports) {
      fmt::print("wrote {}\n", p.string());
    }
  }
  return 0;
}

int run_wait(const GlobalOptions& g, const CampaignOptions& o) {
  auto ctx = load_context(g);
  auto sink = make_progress(g.quiet);
  install_interrupt_handlers();
  auto ids = select(ctx, o.campaign, true);
  auto out = drive(ctx, ids, *sink, true, o.timeout_seconds);
  if (out.interrupted) {
    return static_cast<int>(ExitCode::interrupted);
  }
  if (!out.done) {
    throw Error(fmt::format("campaigns still running after {} s", o.timeout_seconds));
  }
  return 0;
}

int run_cancel(const GlobalOptions& g, const CampaignOptions& o) {
  auto ctx = load_context(g);
  // Between two tracker steps of a `seedrun baseline/experiment/wait` in another terminal (or a
  // cron refresh), never inside one: a step that read RUNNING before our scancel must not
  // write it back over CANCELLED, nor submit runs we are cancelling.
  util::FileLock step_lock(ctx.cfg.paths.state / "refresh.lock", util::FileLock::Mode::wait);
  for (auto id : select(ctx, o.campaign, true)) {
    auto c = ctx.store->find_campaign_by_id(id);
    ctx.executor->cancel(*ctx.store, *c, "cancelled by seedrun cancel", ctx.now);
    // Local training belongs to the `seedrun baseline/experiment` that started it, which sees the
    // CANCELLED campaign after its current step and ends it; with no such process left, its runs
    // are orphans and are marked here.
    bool orphans = false;
    if (ctx.executor->attached()) {
      util::FileLock local(ctx.cfg.paths.state / "local.lock", util::FileLock::Mode::try_once);
      orphans = local.held();
      if (!orphans) {
        fmt::print("{}: the seedrun running its training stops it now\n", c->key);
      }
    }
    for (auto r : ctx.store->runs(id)) { // never started: nothing to end, but not to run either
      if (r.state == store::run_state::planned || (orphans && !store::is_final_run_state(r.state))) {
        r.state = store::run_state::cancelled;
        r.reason = "cancelled by seedrun cancel";
        ctx.store->update_run(r);
      }
    }
    ctx.store->set_campaign_state(id, "CANCELLED", std::nullopt, util::iso8601(ctx.now));
    fmt::print("cancelled {}\n", c->key);
  }
  return 0;
}

int run_cron(const GlobalOptions& g) {
  auto ctx = load_context(g);
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string self = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "seedrun";
  auto log = ctx.cfg.paths.state / "cron.log";
  fmt::print("*/5 * * * * cd {} && {} --config {} --quiet refresh >> {} 2>&1\n", util::shell_quote(ctx.cfg.dir.string()),
             util::shell_quote(self), util::shell_quote(ctx.cfg.file.string()), util::shell_quote(log.string()));
  fmt::print(stderr,
             "\nThe line above runs `seedrun refresh` every 5 minutes for this project: one sacct call, new log\n"
             "bytes, extension seeds, retries and reports. Overlapping runs are harmless (a lock makes the\n"
             "second one exit at once). Install it with `crontab -e` (paste the line), check it with\n"
             "`crontab -l` and `tail {}`, remove it with `crontab -e`. docs/cron.md has the details.\n",
             log.string());
  return 0;
}

int run_retry(const GlobalOptions& g, const CampaignOptions& o) {
  if (!o.campaign) {
    throw UsageError("retry needs a campaign (seedrun retry CAMPAIGN [--seed S])");
  }
  auto ctx = load_context(g);
  auto c = ctx.store->find_campaign(*o.campaign);
  if (!c) {
    throw UsageError(fmt::format("no campaign '{}'", *o.campaign));
  }
  int n = 0;
  for (const auto& r : ctx.store->runs(c->id)) {
    bool failed = store::is_final_run_state(r.state) && r.state != store::run_state::completed;
    if (failed && (!o.seed || *o.seed == r.seed)) {
      track::plan_new_attempt(ctx.cfg, *ctx.store, *c, r);
      ++n;
    }
  }
  if (n == 0) {
    fmt::print("nothing to retry in {}\n", c->key);
    return 0;
  }
  ctx.store->set_campaign_state(c->id, "ACTIVE", std::nullopt, util::iso8601(ctx.now));
  fmt::print("{}: {} seed(s) planned again\n", c->key, n);
  auto sink = make_progress(g.quiet);
  install_interrupt_handlers();
  auto out = drive(ctx, {c->id}, *sink, false);
  return out.interrupted ? static_cast<int>(ExitCode::interrupted) : 0;
}

} // namespace seedrun::cli
