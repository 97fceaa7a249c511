// seedrun baseline / seedrun experiment.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/cli/drive.hpp"
#include "seedrun/cli/progress.hpp"
#include "seedrun/report/assessment.hpp"
#include "seedrun/report/reports.hpp"
#include "seedrun/slurm/sbatch_args.hpp"
#include "seedrun/slurm/slurm_executor.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/track/log_scanner.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/paths.hpp"
#include "seedrun/util/shell_words.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace seedrun::cli {
namespace {

// `<name>_<scale>_seed<seed>_attempt<n>.log` stays under NAME_MAX (255) with 64-bit seeds.
constexpr size_t k_max_name_bytes = 128;

void print_if_exists(const char* label, const std::filesystem::path& p) {
  std::error_code ec;
  if (std::filesystem::exists(p, ec)) {
    fmt::print("{}: {}\n", label, p.string());
  }
}

// The last lines of the command: the verdict from the one assessment (never the stored
// string, which a baseline re-run may have made stale), the reports that exist, and exit 1
// when no trustworthy verdict came out of it.
int finish(Context& ctx, const DriveOutcome& out, const std::vector<long long>& ids, track::ProgressSink& sink) {
  if (out.interrupted) {
    return static_cast<int>(ExitCode::interrupted);
  }
  if (!out.done) {
    sink.message("submitted; `seedrun status` shows progress, `seedrun refresh` (or cron) moves it forward");
    return 0;
  }
  int rc = 0;
  for (auto id : ids) {
    auto c = ctx.store->find_campaign_by_id(id);
    if (!c) {
      continue;
    }
    if (c->state == store::CampaignState::cancelled) {
      fmt::print("{} was cancelled: no verdict. Run the same command again to resume it.\n", c->key);
      rc = 1;
      continue;
    }
    if (c->kind == "experiment") {
      auto ca = report::assess_experiment(*ctx.store, ctx.cfg, *c);
      fmt::print("Verdict for {}: {}\n", c->key, ca.headline(c->metric));
      if (ca.a.verdict == stats::Verdict::incomplete) {
        rc = 1;
        for (const auto* arm : {&ca.base, &ca.exp}) {
          if (arm->first_failure) {
            fmt::print("First failure: {}\n", report::failure_text(*arm->first_failure));
          }
        }
      }
      print_if_exists("Report", report::experiment_report_path(ctx.cfg, c->name, c->train_tokens));
      if (ca.baseline) {
        print_if_exists("Baseline report", report::baseline_report_path(ctx.cfg, *ca.baseline));
      }
    } else {
      auto b = report::assess_baseline(*ctx.store, ctx.cfg, *c);
      if (!b.usable) {
        fmt::print("Baseline {}\n", b.headline());
        if (b.arm.first_failure) {
          fmt::print("First failure: {}\n", report::failure_text(*b.arm.first_failure));
        }
        rc = 1;
      }
      print_if_exists("Baseline report", report::baseline_report_path(ctx.cfg, *c));
    }
  }
  return rc;
}

// A campaign cancelled earlier is taken up again by running its command again: its cancelled
// seeds get new attempts (completed ones are kept).
void reopen_if_cancelled(Context& ctx, const store::Campaign& c, track::ProgressSink& sink) {
  if (auto n = track::reopen_if_cancelled(ctx.cfg, *ctx.store, c, ctx.now)) {
    sink.message(fmt::format("{} was cancelled; resuming it ({} seed(s) planned again)", c.key, *n));
  }
}

// --dry-run: every seed's exact argument vector (shown shell-quoted), where it runs and logs,
// and for Slurm the part of the batch script that runs it; the metric pattern is tried on
// --sample-line. Nothing is stored or started.
int dry_run(Context& ctx, const RunOptions& o, const std::string& arm, const std::vector<long long>& seeds,
            const std::vector<std::string>& flags) {
  std::string name = arm == "baseline" ? "baseline" : arm;
  std::vector<slurm::ScriptTask> tasks;
  fmt::print("# {} ({} executor, {} seeds), working directory {}\n", name, ctx.executor->name(), seeds.size(),
             ctx.cfg.dir.string());
  for (size_t i = 0; i < seeds.size(); ++i) {
    auto out_dir = ctx.cfg.paths.checkpoints /
                   fmt::format("{}_{}_seed{}", name, config::scale_label(ctx.cfg.train_tokens), seeds[i]);
    auto argv = config::expand_command(ctx.cfg.command, seeds[i], ctx.cfg.train_tokens, out_dir.string(), flags);
    std::vector<std::string> quoted;
    for (const auto& a : argv) {
      quoted.push_back(util::shell_quote(a));
    }
    fmt::print("seed {}: {}\n", seeds[i], fmt::join(quoted, " "));
    tasks.push_back({static_cast<int>(i), seeds[i], argv});
  }
  if (ctx.cfg.executor == config::ExecutorKind::slurm) {
    auto key = fmt::format("{}_{}", name, config::scale_label(ctx.cfg.train_tokens));
    auto preview =
        slurm::preview_submission(ctx.cfg, key, arm == "baseline" ? "baseline" : "experiment", tasks, o.sbatch_args);
    std::vector<std::string> shown;
    for (const auto& a : preview.sbatch_argv) {
      shown.push_back(util::shell_quote(a));
    }
    fmt::print("\n# sbatch call (each word one argument, no shell):\n{}\n", fmt::join(shown, " "));
    fmt::print("\n# batch script:\n{}", preview.script);
  }
  if (o.sample_line) {
    track::LogScanner scanner(ctx.cfg.metric.pattern);
    scanner.feed(*o.sample_line + "\n");
    auto found = scanner.take();
    if (found.empty()) {
      fmt::print("\nmetric.pattern '{}' does NOT match the sample line: no {} would be read\n", ctx.cfg.metric.pattern,
                 ctx.cfg.metric.name);
      return 1;
    }
    fmt::print("\nmetric.pattern reads {} = {} from the sample line\n", ctx.cfg.metric.name, found.back().value);
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

// --sbatch-arg values are checked before anything is planned, and only mean something on Slurm.
void check_sbatch_args(const Context& ctx, const RunOptions& o) {
  for (const auto& a : o.sbatch_args) {
    if (auto why = slurm::sbatch_arg_problem(a)) {
      throw UsageError(*why);
    }
  }
  if (!o.sbatch_args.empty() && ctx.cfg.executor != config::ExecutorKind::slurm) {
    throw UsageError("--sbatch-arg needs executor: slurm in seedrun.yaml");
  }
}

// Kept for every later array of the campaign (extension, retries), whoever submits it.
void keep_sbatch_args(const Context& ctx, const RunOptions& o, const std::string& campaign_key) {
  if (!o.sbatch_args.empty()) {
    slurm::save_campaign_sbatch_args(ctx.cfg.paths.state, campaign_key, o.sbatch_args);
  }
}

} // namespace

int run_baseline(const GlobalOptions& g, const RunOptions& o) {
  auto ctx = load_context(g);
  check_sbatch_args(ctx, o);
  if (o.dry_run) {
    return dry_run(ctx, o, "baseline", ctx.cfg.seeds.baseline, {});
  }
  auto sink = make_progress(g.quiet);
  auto decision = track::ensure_baseline(ctx.cfg, *ctx.store, {o.force, o.reuse_baseline},
                                         track::compute_identity(ctx.cfg, ctx.runner.get()), ctx.now);
  say_baseline_decision(decision, *sink);
  if (decision.skipped) {
    fmt::print("Baseline report: {}\n", report::baseline_report_path(ctx.cfg, decision.campaign).string());
    return 0;
  }
  keep_sbatch_args(ctx, o, decision.campaign.key);
  install_interrupt_handlers();
  std::vector<long long> ids{decision.campaign.id};
  reopen_if_cancelled(ctx, decision.campaign, *sink);
  track::activate(*ctx.store, decision.campaign, ctx.now);
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
  check_sbatch_args(ctx, o);
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
  if (o.dry_run) {
    return dry_run(ctx, o, name, ctx.cfg.seeds.experiment, o.flags);
  }
  std::vector<long long> ids;
  auto identity = track::compute_identity(ctx.cfg, ctx.runner.get());
  auto base = track::ensure_baseline(ctx.cfg, *ctx.store, {false, o.reuse_baseline}, identity, ctx.now);
  if (base.code_changed || base.reused_other_code || base.imported || !base.notes.empty() ||
      (base.skipped && base.finished_with_failures)) {
    say_baseline_decision(base, *sink);
  }
  if (base.skipped && base.campaign.state == store::CampaignState::done) {
    // Judging against a baseline that cannot give σ would only produce INCOMPLETE at the end.
    auto b = report::assess_baseline(*ctx.store, ctx.cfg, base.campaign);
    if (!b.usable) {
      throw Error(fmt::format(
          "baseline {}{}; fix the cause, then `seedrun retry {}` (or `seedrun baseline --force`)", b.headline(),
          b.arm.first_failure ? "\nfirst failure: " + report::failure_text(*b.arm.first_failure) : "",
          base.campaign.key));
    }
  }
  if (!base.skipped) {
    reopen_if_cancelled(ctx, base.campaign, *sink);
    if (!base.code_changed) {
      sink->message(fmt::format("no complete baseline for this command and code at {}: running it first",
                                config::scale_label(ctx.cfg.train_tokens)));
    }
    track::activate(*ctx.store, base.campaign, ctx.now);
    ids.push_back(base.campaign.id);
  }
  auto exp = track::ensure_experiment(ctx.cfg, *ctx.store, name, o.flags, base.campaign, identity, ctx.now);
  keep_sbatch_args(ctx, o, exp.key);
  reopen_if_cancelled(ctx, exp, *sink);
  if (exp.state == store::CampaignState::done) {
    sink->message(
        fmt::format("experiment {} is already done; `seedrun report {}` rewrites its report", exp.key, exp.key));
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
