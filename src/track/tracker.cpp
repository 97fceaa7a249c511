#include "seedrun/track/tracker.hpp"

#include "seedrun/report/arm_data.hpp"
#include "seedrun/report/assessment.hpp"
#include "seedrun/report/reports.hpp"
#include "seedrun/stats/stats.hpp"
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/track/log_follower.hpp"
#include "seedrun/track/source_follower.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/log_tail.hpp"
#include "seedrun/util/paths.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <spdlog/spdlog.h>

namespace seedrun::track {

// What a campaign follows: every `metrics:` entry when the campaign's metric is the config's
// primary; otherwise (a campaign recorded under another metric) that metric alone, by the
// default pattern of its name, as before issue 12.
struct FollowedMetrics {
  std::vector<LogMetric> log;                   // read from the run's output
  std::vector<const config::MetricSpec*> files; // read from files under output_dir
};

namespace {

FollowedMetrics followed_metrics(const config::Config& cfg, const store::Campaign& c) {
  FollowedMetrics f;
  if (c.metric != cfg.metric.name) {
    f.log.push_back(
        {c.metric, std::make_shared<const config::MetricPattern>(config::default_metric_pattern(c.metric)), true});
    return f;
  }
  for (const auto& m : cfg.metrics) {
    if (m.source != config::MetricSourceKind::pattern) {
      f.files.push_back(&m);
    } else {
      // Compiled once per campaign and refresh (compiling costs more than scanning a log).
      f.log.push_back({m.name, std::make_shared<const config::MetricPattern>(m.pattern), m.name == c.metric});
    }
  }
  if (cfg.metrics.empty()) { // a Config built in code, without the list
    f.log.push_back({c.metric, std::make_shared<const config::MetricPattern>(cfg.metric.pattern), true});
  }
  return f;
}

} // namespace

Tracker::Tracker(const config::Config& cfg, store::Store& store, exec::Executor& executor, ProgressSink* sink)
    : m_cfg(cfg), m_store(store), m_executor(executor), m_sink(sink) {}

StepResult Tracker::step(util::TimePoint now, const std::vector<long long>& campaign_ids, bool may_launch) {
  StepResult result;
  m_executor.poll(m_store, now);
  for (const auto& c : m_store.campaigns()) {
    bool wanted = campaign_ids.empty()
                      ? c.state == store::CampaignState::active
                      : std::find(campaign_ids.begin(), campaign_ids.end(), c.id) != campaign_ids.end();
    if (!wanted || c.state != store::CampaignState::active) {
      continue;
    }
    // One transaction for reading every log of the campaign: one fsync instead of several
    // per run (10,000 runs: see bench/run.sh). Launching stays outside: a
    // submission's intent must be committed before sbatch runs.
    m_store.transaction([&] { settle_runs(c, result); });
    if (maybe_extend(c)) {
      m_store.transaction([&] { settle_runs(c, result); });
    }
    if (auto ff = m_fail_fast.find(c.id); ff != m_fail_fast.end()) {
      stop_arm(c, ff->second, now);
      m_store.transaction([&] { settle_runs(c, result); });
      m_fail_fast.erase(ff);
    }
    if (may_launch) {
      launch_planned(c, now);
    }
    finish_if_done(c, now, result);
    auto fresh = m_store.find_campaign_by_id(c.id);
    if (fresh && fresh->state == store::CampaignState::active) {
      result.idle = false;
    }
  }
  return result;
}

void Tracker::settle_runs(const store::Campaign& campaign, StepResult& result) {
  // A page of runs at a time (by id): 100,000 runs are not all held at once. A retry planned on
  // the way is a new run with a higher id, met in a later page as PLANNED (nothing to do).
  constexpr int k_page = 2048;
  int total = m_store.count_runs(campaign.id);
  auto followed = followed_metrics(m_cfg, campaign);
  int i = -1;
  for (long long after = 0;;) {
    auto page = m_store.runs_after(campaign.id, after, k_page);
    if (page.empty()) {
      break;
    }
    after = page.back().id;
    for (auto& run : page) {
      ++i;
      total = std::max(total, i + 1);
      settle_run(campaign, followed, run, i, total, result);
    }
  }
}

void Tracker::settle_run(const store::Campaign& campaign, const FollowedMetrics& followed, store::Run& run, int i,
                         int total, StepResult& result) {
  bool final_state = store::is_final(run.state);
  if (run.state == store::RunState::running || (final_state && !run.log_done)) {
    // The files first: the log's final read marks the run read (log_done), after which
    // nothing of it is read again.
    std::optional<std::string> file_warning;
    if (!followed.files.empty()) {
      auto sr = follow_sources(m_store, run, followed.files, campaign.metric, final_state);
      if (sr.primary_last) {
        run.final_metric = sr.primary_last;
      } else if (sr.primary_reset) {
        run.final_metric.reset();
      }
      file_warning = sr.warning;
    }
    auto fr = follow_log(m_store, run, followed.log, final_state);
    if (file_warning) {
      fr.warning = fr.warning ? *fr.warning + "; " + *file_warning : *file_warning;
    }
    if (fr.warning) {
      result.warnings.push_back(*fr.warning);
      if (m_sink) {
        m_sink->message("warning: " + *fr.warning);
      }
    }
    // follow_log left `run` as stored (offset, identity, last value): not read back (39% of a
    // steady refresh of 10,000 runs was this read).
    if (fr.warning) {
      run.warning = *fr.warning;
      run.metric_unreliable = run.metric_unreliable || fr.lost;
      m_store.update_run(run);
    }
    if (final_state) {
      if (run.state == store::RunState::completed && !run.final_metric) {
        store::mark_no_metric(run, campaign.metric);
        m_store.update_run(run);
      }
      if (m_sink) {
        m_sink->run_finished(campaign, run, i + 1, total);
      }
      if (!maybe_retry(campaign, run, result)) {
        report_failure(campaign, run, result);
      }
    }
  }
  if (run.state == store::RunState::running && m_sink) {
    double elapsed = 0;
    if (run.started_at) {
      elapsed = std::chrono::duration<double>(util::Clock::now() - *run.started_at).count();
    }
    m_sink->run_update(campaign, run, i + 1, total, elapsed);
  }
  if (store::is_final(run.state) && run.log_done) {
    cleanup_checkpoint(run, result);
  }
}

bool Tracker::maybe_retry(const store::Campaign& campaign, const store::Run& run, StepResult& result) {
  if (!store::infrastructure_failure(run.state, m_cfg.slurm.retry_timeouts)) {
    return false; // the training's own failures are retried only when asked (seedrun retry)
  }
  int attempts = 0;
  for (const auto& r : m_store.runs(campaign.id, true)) {
    attempts += r.seed == run.seed ? 1 : 0;
  }
  if (attempts > m_cfg.slurm.max_retries) {
    result.warnings.push_back(fmt::format("{} seed {}: {} after {} attempts; not retried again (max_retries {})",
                                          campaign.key, run.seed, run.state, attempts, m_cfg.slurm.max_retries));
    return false;
  }
  plan_new_attempt(m_cfg, m_store, campaign, run);
  if (m_sink) {
    m_sink->message(fmt::format("{} seed {}: {} ({}); resubmitting (attempt {})", campaign.key, run.seed, run.state,
                                run.reason.value_or("infrastructure failure"), attempts + 1));
  }
  return true;
}

void Tracker::cleanup_checkpoint(store::Run& run, StepResult& result) {
  if (!m_cfg.cleanup_checkpoints || run.checkpoint_cleaned || run.output_dir.empty()) {
    return;
  }
  // Only a directory seedrun created for this run (not one that was there before it was
  // planned, nor one of a store too old to know), and only once its metric is safely stored: the
  // checkpoints of FAILED, CANCELLED and TIMEOUT runs, or of a value read from a replaced log,
  // are the evidence of what went wrong and stay.
  bool created_by_seedrun = run.output_dir_preexisted.has_value() && !*run.output_dir_preexisted;
  bool metric_stored = run.state == store::RunState::completed && run.final_metric &&
                       !run.metric_unreliable; // a non-finite value too: stored, just not counted
  if (!created_by_seedrun || !metric_stored) {
    return;
  }
  try {
    util::remove_inside(m_cfg.paths.checkpoints, run.output_dir);
    run.checkpoint_cleaned = true;
    m_store.update_run(run);
  } catch (const Error& e) {
    result.warnings.push_back(e.what());
    if (m_sink) {
      m_sink->message(fmt::format("warning: {}", e.what()));
    }
    run.checkpoint_cleaned = true; // refused once, reported once; never deleted
    m_store.update_run(run);
  }
}

void Tracker::launch_planned(const store::Campaign& campaign, util::TimePoint now) {
  std::map<std::string, std::vector<exec::RunLaunch>> by_phase;
  for (const auto& r : m_store.runs_in_state(campaign.id, store::RunState::planned)) {
    exec::RunLaunch l;
    l.run_id = r.id;
    l.seed = r.seed;
    l.argv = config::expand_command(campaign.command, r.seed, campaign.train_tokens, r.output_dir, campaign.flags);
    l.log_path = r.log_path;
    l.output_dir = r.output_dir;
    // First attempts of a phase go as one array; all retries planned together (seedrun retry, or
    // the infrastructure failures one step found), whatever their phase, as one more array
    // (one sbatch, throttled by max_parallel like the first; its submission's phase is "retry").
    std::string group = r.attempt > 1 ? "retry" : r.phase;
    by_phase[group].push_back(std::move(l));
  }
  for (auto& [group, launches] : by_phase) {
    m_executor.launch(m_store, campaign, campaign.kind, group, launches, now);
  }
}

bool Tracker::maybe_extend(const store::Campaign& campaign) {
  if (campaign.kind != "experiment" || m_cfg.seeds.extension.empty()) {
    return false;
  }
  auto runs = m_store.runs(campaign.id, true);
  bool has_extension = std::any_of(runs.begin(), runs.end(), [](const auto& r) { return r.phase == "extension"; });
  if (has_extension) {
    return false;
  }
  auto base_c = report::baseline_for(m_store, campaign);
  if (!base_c || !settled(campaign) || !settled(*base_c)) {
    return false; // the rule needs every experiment seed and the baseline σ
  }
  auto ca = report::assess_experiment(m_store, m_cfg, campaign);
  if (!ca.a.extension_advised) {
    return false;
  }
  if (m_sink) {
    std::string why = ca.a.cmp.verdict == stats::Verdict::neutral
                          ? std::string("|Δ| < 2σ")
                          : fmt::format("{} by the 2σ rule but not confirmed ({})", stats::to_string(ca.a.cmp.verdict),
                                        fmt::join(ca.a.disagreements, ", "));
    m_sink->message(fmt::format("{}: {} after {} seeds; running extension seeds {}", campaign.key, why,
                                ca.exp.metric.size(), fmt::join(m_cfg.seeds.extension, ", ")));
  }
  plan_runs(m_cfg, m_store, campaign, m_cfg.seeds.extension, "extension");
  return true;
}

bool Tracker::settled(const store::Campaign& campaign) {
  // Every run ended and its last metric read: asked of the store, not by reading every run.
  return m_store.settled(campaign.id);
}

void Tracker::finish_if_done(const store::Campaign& campaign, util::TimePoint now, StepResult& result) {
  if (!settled(campaign)) {
    return;
  }
  if (waiting_for_resume(m_store, campaign)) {
    return; // stopped with its seedrun process: waiting to be resumed, not finished
  }
  std::optional<std::string> verdict;
  if (campaign.kind == "experiment") {
    auto base_c = report::baseline_for(m_store, campaign);
    if (base_c && !settled(*base_c)) {
      return; // wait for the baseline to judge against
    }
    verdict = std::string(stats::to_string(report::assess_experiment(m_store, m_cfg, campaign).a.verdict));
  }
  auto paths = write_reports(campaign, now);
  result.reports.insert(result.reports.end(), paths.begin(), paths.end());
  finish(m_store, campaign, verdict, now);
  result.finished_campaigns.push_back(campaign.id);
  if (campaign.kind == "baseline") {
    reassess_experiments(campaign, now, result);
  }
}

void Tracker::reassess_experiments(const store::Campaign& baseline, util::TimePoint now, StepResult& result) {
  for (const auto& c : m_store.campaigns()) {
    if (c.kind != "experiment" || c.state != store::CampaignState::done) {
      continue;
    }
    auto base_c = report::baseline_for(m_store, c);
    if (!base_c || base_c->id != baseline.id) {
      continue;
    }
    // The baseline changed under a finished experiment (--force, retry): judge it again, and
    // run its extension seeds if the new numbers ask for them.
    if (maybe_extend(c)) {
      activate(m_store, c, now);
      result.idle = false;
      continue;
    }
    auto verdict = std::string(stats::to_string(report::assess_experiment(m_store, m_cfg, c).a.verdict));
    auto paths = write_reports(c, now);
    result.reports.insert(result.reports.end(), paths.begin(), paths.end());
    if (c.verdict != verdict) {
      if (m_sink) {
        m_sink->message(
            fmt::format("{}: verdict {} → {} after the baseline changed", c.key, c.verdict.value_or("none"), verdict));
      }
      finish(m_store, c, verdict, now);
    }
  }
}

void Tracker::report_failure(const store::Campaign& campaign, const store::Run& run, StepResult& result) {
  auto counted = [](const store::Run& r) { return store::counts(r); };
  if (counted(run) || run.state == store::RunState::cancelled) {
    return; // cancellations are announced by whoever cancelled
  }
  bool any_counted = false;
  for (const auto& r : m_store.runs(campaign.id)) {
    if (r.id == run.id) {
      continue;
    }
    if (store::is_final(r.state) && !counted(r) && r.state != store::RunState::cancelled) {
      return; // an arm's failures are explained once, with the first one
    }
    any_counted = any_counted || counted(r);
  }
  auto text =
      fmt::format("{}: seed {} {} ({})", campaign.key, run.seed, run.state, run.reason.value_or("no reason recorded"));
  auto tail = util::tail_lines(run.log_path);
  if (!tail.empty()) {
    text += fmt::format("; last lines of {}:\n    {}", run.log_path, fmt::join(tail, "\n    "));
  }
  result.warnings.push_back(text);
  if (m_sink) {
    m_sink->message(text);
  }
  std::optional<double> seconds = run.wall_time;
  if (!seconds && run.started_at && run.ended_at) {
    seconds = std::chrono::duration<double>(*run.ended_at - *run.started_at).count();
  }
  // Only the training's own failure predicts the other seeds' (a vanished log or a timeout does not).
  bool own_failure = run.state == store::RunState::failed;
  if (m_cfg.fail_fast && own_failure && !any_counted && seconds && *seconds <= m_cfg.fail_fast_seconds) {
    m_fail_fast[campaign.id] =
        fmt::format("not run: fail_fast: seed {} failed after {:.0f} s ({}); fix the cause, then `seedrun retry {}`",
                    run.seed, *seconds, run.reason.value_or("failed"), campaign.key);
  }
}

void Tracker::stop_arm(const store::Campaign& campaign, const std::string& why, util::TimePoint now) {
  if (m_sink) {
    m_sink->message(fmt::format("{}: stopping the other seeds: {}", campaign.key, why));
  }
  m_executor.cancel(m_store, campaign, store::CancelCause::fail_fast, why, now);
  cancel_planned(m_store, campaign, store::CancelCause::fail_fast, why);
}

std::vector<std::filesystem::path> Tracker::write_reports(const store::Campaign& campaign, util::TimePoint now) {
  m_store.db().release_memory(); // the pages settling read are not needed to build the reports
  return report::write_reports(m_cfg, m_store, campaign, now);
}

} // namespace seedrun::track
