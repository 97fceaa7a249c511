// seedrun refresh / wait / cancel / retry / cron: the tracker's entry points.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/cli/drive.hpp"
#include "seedrun/cli/progress.hpp"
#include "seedrun/track/campaign_control.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/shell_words.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace seedrun::cli {

int run_refresh(const GlobalOptions& g, const CampaignOptions& o) {
  auto ctx = load_context(g);
  auto sink = make_progress(true);
  auto ids = track::select_campaigns(*ctx.store, o.campaign, true);
  auto r = track::refresh(ctx.cfg, *ctx.store, *ctx.executor, ids, sink.get(), ctx.now);
  if (r.busy) { // overlapping cron ticks: the second one leaves at once, successfully
    if (!g.quiet) {
      fmt::print(stderr, "another refresh is running; nothing to do\n");
    }
    return 0;
  }
  if (!g.quiet) {
    for (const auto& [key, n] : r.orphaned) {
      fmt::print(stderr,
                 "{}: {} run(s) whose seedrun process is gone marked CANCELLED; run the same command "
                 "again to resume them\n",
                 key, n);
    }
  }
  for (const auto& w : r.step.warnings) {
    fmt::print(stderr, "seedrun: warning: {}\n", w);
  }
  if (!g.quiet) {
    for (const auto& p : r.step.reports) {
      fmt::print("wrote {}\n", p.string());
    }
  }
  return 0;
}

int run_wait(const GlobalOptions& g, const CampaignOptions& o) {
  auto ctx = load_context(g);
  auto sink = make_progress(g.quiet);
  install_interrupt_handlers();
  auto ids = track::select_campaigns(*ctx.store, o.campaign, true);
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
  auto ids = track::select_campaigns(*ctx.store, o.campaign, true);
  for (const auto& c : track::cancel_campaigns(ctx.cfg, *ctx.store, *ctx.executor, ids, ctx.now)) {
    if (c.stopped_elsewhere) {
      fmt::print("{}: the seedrun running its training stops it now\n", c.key);
    }
    fmt::print("cancelled {}\n", c.key);
  }
  return 0;
}

int run_cron(const GlobalOptions& g) {
  auto ctx = load_context(g);
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string self = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "seedrun";
  auto log = ctx.cfg.paths.state / "cron.log";
  fmt::print("*/5 * * * * cd {} && {} --config {} --quiet refresh >> {} 2>&1\n",
             util::shell_quote(ctx.cfg.dir.string()), util::shell_quote(self), util::shell_quote(ctx.cfg.file.string()),
             util::shell_quote(log.string()));
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
  int n = track::retry_failed(ctx.cfg, *ctx.store, *c, o.seed, ctx.now);
  if (n == 0) {
    fmt::print("nothing to retry in {}\n", c->key);
    return 0;
  }
  fmt::print("{}: {} seed(s) planned again\n", c->key, n);
  auto sink = make_progress(g.quiet);
  install_interrupt_handlers();
  auto out = drive(ctx, {c->id}, *sink, false);
  return out.interrupted ? static_cast<int>(ExitCode::interrupted) : 0;
}

} // namespace seedrun::cli
