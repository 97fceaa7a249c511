// argv → option structs → handler. The only translation unit that includes CLI11.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/main.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <iostream>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace seedrun::cli {
namespace {

constexpr const char* k_version = "seedrun 0.1.0";

struct Subcommand {
  const char* name;
  const char* summary;
};

const Subcommand k_subcommands[] = {
    {"baseline", "run the baseline at every baseline seed (skipped when a complete one exists)"},
    {"experiment", "run the command plus --flag ... at the experiment seeds and judge it against the baseline"},
    {"status", "campaigns, runs, states and metrics"},
    {"report", "rewrite the reports of a campaign (or all) from the store"},
    {"compare", "compare two lists of values with the seed's rule and more statistics"},
    {"refresh", "one tracking step: ask Slurm once, read new log bytes, move campaigns forward"},
    {"wait", "refresh with backoff until the campaign is done"},
    {"cancel", "cancel a campaign's unfinished runs"},
    {"retry", "run failed seeds of a campaign again"},
    {"cron", "print a crontab line that runs refresh"},
    {"plan", "seeds per arm an effect needs, and the smallest effect the configured seeds detect (80% power)"},
    {"eval-log", "read an inspect-ai log (.eval or .json) and print its metrics"},
    {"summarize", "write summary.md for a finished fine-tune + evaluation experiment"},
    {"analyze", "comparison tables, plots and statistics across runs"},
    {"ratings", "Bradley-Terry (Elo) ratings from game results, anchored on fixed references, over checkpoints"},
    {"health", "training-health rules (KL, grad norm, loss, NaN, rollout p95, extraction and error rates) per run"},
};

void setup_logging(const GlobalOptions& g) {
  auto logger = spdlog::stderr_color_mt("seedrun");
  spdlog::set_default_logger(logger);
  spdlog::set_level(g.verbose ? spdlog::level::debug : (g.quiet ? spdlog::level::warn : spdlog::level::info));
  spdlog::set_pattern(g.verbose ? "[%Y-%m-%d %H:%M:%S.%e] [pid %P] %^%l%$: %v" : "%^%l%$: %v");
}

// The first argument that is neither an option nor the value of --config: the subcommand the
// user named ("" when there is none, e.g. `seedrun --help`).
std::string named_subcommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--config" || a == "-c") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] == '-') {
      continue;
    }
    return std::string(a);
  }
  return {};
}

// Unknown subcommands get a suggestion, ninja-style, before CLI11 sees them.
void check_subcommand(int argc, char** argv) {
  std::string a = named_subcommand(argc, argv);
  if (a.empty()) {
    return;
  }
  std::vector<std::string> names;
  for (const auto& s : k_subcommands) {
    names.emplace_back(s.name);
  }
  if (std::find(names.begin(), names.end(), a) != names.end()) {
    return;
  }
  auto hint = util::closest_match(a, names);
  throw UsageError(hint ? fmt::format("unknown command '{}' (did you mean '{}'?)", a, *hint)
                        : fmt::format("unknown command '{}' (see seedrun --help)", a));
}

// Whether CLI11 may print help: then every subcommand must be declared, for the list.
bool help_asked(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--") {
      break;
    }
    if (a == "--help" || a == "--help-all" ||
        (a.size() >= 2 && a[0] == '-' && a[1] != '-' && a.find('h') != std::string_view::npos)) {
      return true;
    }
  }
  return false;
}

// Every `--flag X` / `--flag=X` (and everything after a lone `--`) becomes one literal argument
// of the training command; CLI11 would otherwise read "--use_warmup" as an option of ours.
// `--sbatch-arg X` / `--sbatch-arg=X` likewise: X is an sbatch option such as --gres=gpu:2.
std::vector<std::string> extract_flags(int argc, char** argv, std::vector<std::string>& flags,
                                       std::vector<std::string>& sbatch_args) {
  std::vector<std::string> rest;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--sbatch-arg") {
      if (i + 1 >= argc) {
        throw UsageError("--sbatch-arg needs a value, e.g. --sbatch-arg=--gres=gpu:2");
      }
      sbatch_args.emplace_back(argv[++i]);
    } else if (util::starts_with(a, "--sbatch-arg=")) {
      sbatch_args.push_back(a.substr(13));
    } else if (a == "--flag") {
      if (i + 1 >= argc) {
        throw UsageError("--flag needs a value, e.g. --flag --use_warmup");
      }
      flags.emplace_back(argv[++i]);
    } else if (util::starts_with(a, "--flag=")) {
      flags.push_back(a.substr(7));
    } else if (a == "--") {
      for (++i; i < argc; ++i) {
        flags.emplace_back(argv[i]);
      }
    } else {
      rest.push_back(a);
    }
  }
  // The store keeps flags as UTF-8 text (JSON); a Latin-1 byte would be changed on the way in,
  // so the trainer would get other bytes on a resume. Refuse it before anything is stored.
  for (const auto* list : {&flags, &sbatch_args}) {
    for (const auto& f : *list) {
      if (auto at = util::first_invalid_utf8(f)) {
        throw UsageError(fmt::format("{} value '{}' is not valid UTF-8 (byte 0x{:02X} at offset {}); seedrun keeps "
                                     "flags as UTF-8 text, so write it in UTF-8",
                                     list == &flags ? "--flag" : "--sbatch-arg",
                                     util::abbreviate(f.substr(0, *at)) + "…", static_cast<unsigned char>(f[*at]),
                                     *at));
      }
    }
  }
  return rest;
}

const char* summary_of(const char* name) {
  for (const auto& s : k_subcommands) {
    if (std::string_view(s.name) == name) {
      return s.summary;
    }
  }
  return "";
}

} // namespace

int main(int argc, char** argv) {
  // Start-up time (issue 11): `seedrun --version` answers before anything is set up, and only
  // the subcommand named on the command line is declared to CLI11 (declaring all of them, with
  // their options, was 3/4 of the instructions of a start). Help and a missing or unknown
  // subcommand still see them all.
  if (argc == 2 && std::string_view(argv[1]) == "--version") {
    std::cout << k_version << std::endl;
    return 0;
  }
  const std::string wanted = help_asked(argc, argv) ? std::string() : named_subcommand(argc, argv);
  auto declare = [&wanted](const char* name) { return wanted.empty() || wanted == name; };

  GlobalOptions g;
  RunOptions run_o;
  StatusOptions status_o;
  ReportOptions report_o;
  CompareOptions compare_o;
  CampaignOptions camp_o;
  EvalLogOptions eval_o;
  PlanOptions plan_o;
  DirOptions dir_o;
  RatingsOptions ratings_o;
  HealthCheckOptions health_o;
  std::function<int()> handler;

  CLI::App app{"seedrun: run training at several seeds and get a verdict you can trust"};
  app.name("seedrun");
  app.footer("Exit codes: 0 ok, 1 failure, 2 usage or configuration, 3 Slurm unreachable, 130 interrupted.\n"
             "Documentation: README.md, docs/cli.md, docs/config.md.");
  app.set_version_flag("--version", k_version);
  app.require_subcommand(1);
  app.fallthrough(); // global options (--quiet, --config) may also follow the subcommand
  app.option_defaults()->always_capture_default();
  app.add_option("-c,--config", g.config, "seedrun.yaml to use (default: nearest one upwards)");
  app.add_flag("-v,--verbose", g.verbose, "debug logging with timestamps and pids");
  app.add_flag("-q,--quiet", g.quiet, "only warnings and errors");

  // Taken out of argv before parsing (they usually start with '-'), like --flag; declared only to
  // document them in --help. They outlive the parse (CLI11 keeps references).
  std::string flag_doc;
  std::string sbatch_doc;

  if (declare("baseline")) {
    auto* base = app.add_subcommand("baseline", summary_of("baseline"));
    base->add_flag("--force", run_o.force, "re-run even when a complete baseline exists");
    base->add_flag("--no-wait", run_o.no_wait, "Slurm: submit and return (seedrun refresh tracks it)");
    base->add_flag("--reuse-baseline", run_o.reuse_baseline,
                   "keep the complete baseline of this command even though the code changed since");
    base->add_flag("--dry-run", run_o.dry_run,
                   "print the exact command of every seed (Slurm: the batch script and "
                   "sbatch call); run nothing");
    base->add_option("--sbatch-arg", sbatch_doc,
                     "Slurm: one extra sbatch option for this campaign, passed as one "
                     "argument (repeatable), e.g. --sbatch-arg=--gres=gpu:2");
    base->add_option("--sample-line", run_o.sample_line,
                     "--dry-run: a line your trainer prints, to test metric.pattern");
    base->callback([&] { handler = [&] { return run_baseline(g, run_o); }; });
  }

  if (declare("experiment")) {
    auto* exp = app.add_subcommand("experiment", summary_of("experiment"));
    exp->add_option("--flag", flag_doc,
                    "one extra argument for the command, kept literally (repeatable); "
                    "arguments after '--' are flags too");
    exp->add_option("--name", run_o.name, "experiment name (default: derived from the flags)");
    exp->add_flag("--no-wait", run_o.no_wait, "Slurm: submit and return (seedrun refresh tracks it)");
    exp->add_flag("--reuse-baseline", run_o.reuse_baseline,
                  "judge against the complete baseline of this command even though the code changed since");
    exp->add_flag("--dry-run", run_o.dry_run,
                  "print the exact command of every seed (Slurm: the batch script and "
                  "sbatch call); run nothing");
    exp->add_option("--sbatch-arg", sbatch_doc,
                    "Slurm: one extra sbatch option for this experiment, passed as one "
                    "argument (repeatable), e.g. --sbatch-arg=--gres=gpu:2");
    exp->add_option("--sample-line", run_o.sample_line,
                    "--dry-run: a line your trainer prints, to test metric.pattern");
    exp->callback([&] { handler = [&] { return run_experiment(g, run_o); }; });
  }

  if (declare("status")) {
    auto* status = app.add_subcommand("status", summary_of("status"));
    status->add_flag("--json", status_o.json, "machine-readable output");
    status->add_flag("--verbose", status_o.verbose, "also the store's journal mode, filesystem and warnings");
    status->add_flag("--health", status_o.health,
                     "each run's training-health findings (seedrun health has the details)");
    status->add_option("campaign", status_o.campaign, "one campaign");
    status->callback([&] { handler = [&] { return run_status(g, status_o); }; });
  }

  if (declare("report")) {
    auto* report = app.add_subcommand("report", summary_of("report"));
    report->add_option("campaign", report_o.campaign, "campaign key or name (default: all)");
    report->callback([&] { handler = [&] { return run_report(g, report_o); }; });
  }

  if (declare("compare")) {
    auto* compare = app.add_subcommand("compare", summary_of("compare"));
    compare->add_option("--baseline", compare_o.baseline, "comma-separated values")->required();
    compare->add_option("--experiment", compare_o.experiment, "comma-separated values")->required();
    compare->add_flag("--higher-is-better", compare_o.higher_is_better, "the metric is maximized");
    compare->add_flag("--json", compare_o.json, "machine-readable output");
    compare->callback([&] { handler = [&] { return run_compare(g, compare_o); }; });
  }

  auto add_campaign_cmd = [&](const char* name, const std::function<int()>& fn) {
    auto* sc = app.add_subcommand(name, summary_of(name));
    sc->add_option("campaign", camp_o.campaign, "campaign key or name (default: all)");
    sc->callback([&handler, fn] { handler = fn; });
    return sc;
  };
  if (declare("refresh")) {
    auto* refresh = add_campaign_cmd(
        "refresh", [&] { return camp_o.after_job ? run_refresh_after_job(g, camp_o) : run_refresh(g, camp_o); });
    refresh->add_option("--after-job", camp_o.after_job,
                        "the refresh job's mode: step every active campaign until this job's runs have ended");
    refresh->add_option("--settle-timeout", camp_o.settle_timeout_seconds,
                        "--after-job: stop waiting for sacct after this many seconds");
  }
  if (declare("cancel")) {
    add_campaign_cmd("cancel", [&] { return run_cancel(g, camp_o); });
  }
  if (declare("wait")) {
    add_campaign_cmd("wait", [&] {
      return run_wait(g, camp_o);
    })->add_option("--timeout", camp_o.timeout_seconds, "give up after this many seconds (0: never)");
  }
  if (declare("retry")) {
    add_campaign_cmd("retry", [&] {
      return run_retry(g, camp_o);
    })->add_option("--seed", camp_o.seed, "only this seed");
  }
  if (declare("cron")) {
    app.add_subcommand("cron", summary_of("cron"))->callback([&] { handler = [&] { return run_cron(g); }; });
  }

  if (declare("plan")) {
    auto* plan = app.add_subcommand("plan", summary_of("plan"));
    plan->add_option("--sigma", plan_o.sigma, "σ of the metric (default: the stored baseline's)");
    plan->add_option("--effect", plan_o.effect, "the effect to detect, in metric units");
    plan->add_option("--effect-sigma", plan_o.effect_sigma, "the effect to detect, in σ");
    plan->add_option("--power", plan_o.power, "the power asked for");
    plan->add_flag("--json", plan_o.json, "machine-readable output");
    plan->callback([&] { handler = [&] { return run_plan(g, plan_o); }; });
  }

  if (declare("eval-log")) {
    auto* eval = app.add_subcommand("eval-log", summary_of("eval-log"));
    eval->add_option("file", eval_o.file, ".eval or .json log")->required();
    eval->add_flag("--binary", eval_o.binary, "also balanced accuracy, F1 and the confusion matrix");
    eval->add_flag("--json", eval_o.json, "JSON output (the default)");
    eval->callback([&] { handler = [&] { return run_eval_log(g, eval_o); }; });
  }

  if (declare("summarize")) {
    auto* summ = app.add_subcommand("summarize", summary_of("summarize"));
    summ->add_option("dir", dir_o.targets, "experiment directory (default: .)");
    summ->callback([&] { handler = [&] { return run_summarize(g, dir_o); }; });
  }

  if (declare("analyze")) {
    auto* ana = app.add_subcommand("analyze", summary_of("analyze"));
    ana->add_option("targets", dir_o.targets, "campaigns, or one experiment directory");
    ana->add_flag("--html", dir_o.html, "also a self-contained analysis/report.html");
    ana->add_option("--curves", dir_o.curves, "loss curves of an arm's seeds: band (mean ± σ) or lines");
    ana->add_option("--metric", dir_o.metric, "the metric arms are ranked on");
    ana->add_option("--task", dir_o.task, "experiment directories: the task compared");
    ana->add_option("--heatmap", dir_o.heatmap, "two parameters to cross, e.g. lora_rank,lr");
    ana->add_option("--output", dir_o.output, "output directory (default: <reports>/analysis or DIR/analysis)");
    ana->add_option("--sweep", dir_o.sweep, "every campaign whose name starts with PREFIX, side by side")
        ->option_text("PREFIX");
    ana->add_option("--matches", dir_o.matches, "game results (MATCHES.jsonl): a Ratings section, as seedrun ratings");
    ana->add_option("--fixed", dir_o.fixed, "with --matches: the fixed references, e.g. base_model,chaos_bot");
    ana->add_option("--bootstrap", dir_o.bootstrap, "with --matches: bootstrap resamples for the 95% intervals");
    ana->callback([&] { handler = [&] { return run_analyze(g, dir_o); }; });
  }

  if (declare("ratings")) {
    auto* rat = app.add_subcommand("ratings", summary_of("ratings"));
    rat->add_option("matches", ratings_o.matches, "MATCHES.jsonl: one game per line (docs/health.md)")->required();
    rat->add_option(
        "--fixed", ratings_o.fixed,
        "fixed references, e.g. base_model,chaos_bot (the first held at 1000) or base_model=1000,chaos_bot=850");
    rat->add_option("--bootstrap", ratings_o.bootstrap, "bootstrap resamples for the 95% intervals (0: none)");
    rat->add_option("--seed", ratings_o.seed, "seed of the bootstrap");
    rat->add_flag("--json", ratings_o.json, "print JSON instead of markdown");
    rat->add_option("--output", ratings_o.output, "also write ratings.json, ratings.md and the trajectory SVG here");
    rat->callback([&] { handler = [&] { return run_ratings(g, ratings_o); }; });
  }

  if (declare("health")) {
    auto* health = app.add_subcommand("health", summary_of("health"));
    health->add_option("targets", health_o.targets, "campaigns (CAMPAIGN or CAMPAIGN:SEED; default: all)");
    health->add_option("--dir", health_o.dirs, "a folder holding metrics.jsonl and events.jsonl (repeatable)");
    health->add_option("--last", health_o.last, "only events of this last span, e.g. 30m, 6h, 2d");
    health->add_flag("--json", health_o.json, "machine-readable output");
    health->callback([&] { handler = [&] { return run_health(g, health_o); }; });
  }

  try {
    if (argc > 1) {
      check_subcommand(argc, argv);
    }
    auto args = extract_flags(argc, argv, run_o.flags, run_o.sbatch_args);
    std::reverse(args.begin(), args.end()); // CLI11 wants them reversed, without argv[0]
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : static_cast<int>(ExitCode::usage);
  } catch (const Error& e) {
    std::cerr << "seedrun: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  }
  setup_logging(g);
  try {
    return handler ? handler() : 0;
  } catch (const Error& e) {
    std::cerr << "seedrun: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "seedrun: error: internal: " << e.what() << "\n";
    return static_cast<int>(ExitCode::failure);
  }
}

} // namespace seedrun::cli
