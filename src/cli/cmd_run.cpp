// seedrun baseline / seedrun experiment.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/cli/drive.hpp"
#include "seedrun/cli/progress.hpp"
#include "seedrun/report/reports.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/util/error.hpp"

#include "seedrun/util/paths.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace seedrun::cli {
namespace {

// `<name>_<scale>_seed<seed>_attempt<n>.log` stays under NAME_MAX (255) with 64-bit seeds.
constexpr size_t k_max_name_bytes = 128;

int finish(Context& ctx, const DriveOutcome& out, const std::vector<long long>& ids, track::ProgressSink& sink) {
  if (out.interrupted) {
    return static_cast<int>(ExitCode::interrupted);
  }
  if (!out.done) {
    sink.message("submitted; `seedrun status` shows progress, `seedrun refresh` (or cron) moves it forward");
    return 0;
  }
  for (auto id : ids) {
    auto c = ctx.store->find_campaign_by_id(id);
    if (!c) {
      continue;
    }
    if (c->kind == "experiment") {
      fmt::print("Verdict for {}: {}\n", c->key, c->verdict.value_or("none"));
      fmt::print("Report: {}\n", report::experiment_report_path(ctx.cfg, c->name, c->train_tokens).string());
      if (auto b = ctx.store->find_baseline(c->command_key, c->train_tokens)) {
        fmt::print("Baseline report: {}\n", report::baseline_report_path(ctx.cfg, *b).string());
      }
    } else {
      fmt::print("Baseline report: {}\n", report::baseline_report_path(ctx.cfg, *c).string());
    }
  }
  return 0;
}

void say_baseline_decision(const track::BaselineDecision& d, track::ProgressSink& sink) {
  for (const auto& n : d.notes) {
    sink.message(n);
  }
  if (!d.message.empty()) {
    sink.message(d.message);
  }
}

} // namespace

int run_baseline(const GlobalOptions& g, const RunOptions& o) {
  auto ctx = load_context(g);
  auto sink = make_progress(g.quiet);
  auto decision = track::ensure_baseline(ctx.cfg, *ctx.store, {o.force, o.reuse_baseline},
                                         track::compute_identity(ctx.cfg, ctx.runner.get()), ctx.now);
  say_baseline_decision(decision, *sink);
  if (decision.skipped) {
    fmt::print("Baseline report: {}\n", report::baseline_report_path(ctx.cfg, decision.campaign).string());
    return 0;
  }
  install_interrupt_handlers();
  std::vector<long long> ids{decision.campaign.id};
  if (decision.campaign.state != "ACTIVE") {
    ctx.store->set_campaign_state(decision.campaign.id, "ACTIVE", std::nullopt, util::iso8601(ctx.now));
  }
  sink->message(fmt::format("baseline {}: {} seeds ({})", decision.campaign.key, ctx.cfg.seeds.baseline.size(),
                            ctx.executor->name()));
  auto out = drive(ctx, ids, *sink, !o.no_wait);
  return finish(ctx, out, ids, *sink);
}

int run_experiment(const GlobalOptions& g, const RunOptions& o) {
  if (o.flags.empty()) {
    throw UsageError("experiment needs at least one --flag (e.g. seedrun experiment --flag --use_warmup)");
  }
  auto ctx = load_context(g);
  auto sink = make_progress(g.quiet);
  std::string name = o.name ? util::sanitize_name(*o.name) : track::experiment_name_from_flags(o.flags);
  if (name.empty()) {
    throw UsageError("--name must contain letters or digits");
  }
  if (name.size() > k_max_name_bytes) { // before anything is planned: every seed would fail to open its log
    throw UsageError(fmt::format("--name is {} bytes, at most {} are allowed: it is part of the log, checkpoint and "
                                 "report file names, and a file name has at most 255 bytes (NAME_MAX)",
                                 name.size(), k_max_name_bytes));
  }
  std::vector<long long> ids;
  auto identity = track::compute_identity(ctx.cfg, ctx.runner.get());
  auto base = track::ensure_baseline(ctx.cfg, *ctx.store, {false, o.reuse_baseline}, identity, ctx.now);
  if (base.code_changed || base.reused_other_code || base.imported || !base.notes.empty() ||
      (base.skipped && base.message.find("finished with") != std::string::npos)) {
    say_baseline_decision(base, *sink);
  }
  if (!base.skipped) {
    if (!base.code_changed) {
      sink->message(fmt::format("no complete baseline for this command and code at {}: running it first",
                                config::scale_label(ctx.cfg.train_tokens)));
    }
    if (base.campaign.state != "ACTIVE") {
      ctx.store->set_campaign_state(base.campaign.id, "ACTIVE", std::nullopt, util::iso8601(ctx.now));
    }
    ids.push_back(base.campaign.id);
  }
  auto exp = track::ensure_experiment(ctx.cfg, *ctx.store, name, o.flags, base.campaign, identity, ctx.now);
  if (exp.state == "DONE") {
    sink->message(fmt::format("experiment {} is already done (verdict {}); `seedrun report {}` rewrites its report",
                              exp.key, exp.verdict.value_or("none"), exp.key));
    ids.push_back(exp.id);
    DriveOutcome done;
    done.done = true;
    return finish(ctx, done, ids, *sink);
  }
  ids.push_back(exp.id);
  install_interrupt_handlers();
  sink->message(fmt::format("experiment {}: flags {} at seeds {} ({})", exp.key, fmt::join(o.flags, " "),
                            fmt::join(ctx.cfg.seeds.experiment, ", "), ctx.executor->name()));
  auto out = drive(ctx, ids, *sink, !o.no_wait);
  return finish(ctx, out, ids, *sink);
}

} // namespace seedrun::cli
