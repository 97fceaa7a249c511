// Health rules evaluated during refresh (health_refresh.hpp).
#include "seedrun/track/health_refresh.hpp"

#include "seedrun/track/metric_source.hpp"
#include "seedrun/track/run_health.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/sha256.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <sys/stat.h>

namespace seedrun::track {
namespace {

// "size:mtime" of a path, "-" when there is nothing.
std::string stat_text(const std::filesystem::path& p) {
  struct stat st {};
  if (p.empty() || ::stat(p.c_str(), &st) != 0) {
    return "-";
  }
  return fmt::format("{}:{}.{}", st.st_size, st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

bool present(const std::filesystem::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0;
}

std::string thresholds_text(const config::Config& cfg) {
  const auto& h = cfg.health;
  std::string text =
      fmt::format("{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", h.metrics_file, h.events_file, h.step_key,
                  h.kl_metric, h.kl_stable_below, h.kl_spike_above, h.grad_norm_metric, h.grad_norm_below,
                  h.loss_metric, h.loss_evals, fmt::join(h.finite_metrics, ","), h.rollout_p95_below_seconds,
                  h.extraction_rate_above, h.error_rate_below, cfg.metrics.size());
  for (const auto& m : cfg.metrics) {
    text += fmt::format("|{}:{}:{}:{}:{}", m.name, static_cast<int>(m.source), m.file, m.key, m.dir);
  }
  return text;
}

} // namespace

HealthRefresh::HealthRefresh(const config::Config& cfg, store::Store& store, ProgressSink* inner, util::TimePoint now,
                             bool every_started_run)
    : m_cfg(cfg), m_store(store), m_inner(inner), m_now(now), m_thresholds(util::sha256_hex(thresholds_text(cfg))),
      m_every_started_run(every_started_run) {}

void HealthRefresh::run_update(const store::Campaign& campaign, const store::Run& run, int index, int total,
                               double elapsed_seconds) {
  if (!m_finished_only) {
    auto& touched = m_touched[campaign.id];
    touched.first = campaign;
    touched.second.push_back(view_of(run)); // as the step left it: finish() needs no query
  }
  if (m_inner != nullptr) {
    m_inner->run_update(campaign, run, index, total, elapsed_seconds);
  }
}

void HealthRefresh::run_finished(const store::Campaign& campaign, const store::Run& run, int index, int total) {
  if (m_inner != nullptr) {
    m_inner->run_finished(campaign, run, index, total);
  }
  // Now: the tracker may remove the output directory right after (cleanup_checkpoints).
  consider(campaign, view_of(run));
}

void HealthRefresh::message(const std::string& text) {
  if (m_inner != nullptr) {
    m_inner->message(text);
  }
}

report::HealthCache& HealthRefresh::cache_of(long long campaign_id) {
  auto it = m_caches.find(campaign_id);
  if (it == m_caches.end()) {
    it = m_caches
             .emplace(campaign_id, report::read_health_cache(report::health_cache_path(m_cfg.paths.state, campaign_id)))
             .first;
  }
  return it->second;
}

HealthRefresh::RunView HealthRefresh::view_of(const store::Run& run) {
  return {run.id, run.seed, run.state, run.log_offset, run.checkpoint_cleaned, run.output_dir, run.log_path};
}

void HealthRefresh::consider(const store::Campaign& campaign, const RunView& run) {
  if (run.state == store::RunState::planned || run.state == store::RunState::submitting) {
    return;
  }
  auto& cache = cache_of(campaign.id);
  auto old = cache.runs.find(run.id);
  const bool known = old != cache.runs.end();
  if (known && old->second.final && store::is_final(run.state) && old->second.settings == m_thresholds) {
    return; // an ended run's data does not change
  }
  SourceContext ctx{run.output_dir, run.seed};
  auto metrics = resolve_source_path(m_cfg.health.metrics_file, ctx);
  auto events = resolve_source_path(m_cfg.health.events_file, ctx);
  if (!m_cfg.health.configured && !known && !present(metrics) && !present(events)) {
    return; // no health: section and none of its files: nothing to look at
  }
  std::string files = fmt::format("{} {} {}", stat_text(metrics), stat_text(events), stat_text(run.output_dir));
  auto fingerprint = util::sha256_hex(
      fmt::format("{}|{}|{}|{}|{}", to_string(run.state), run.log_offset, run.checkpoint_cleaned, files, m_thresholds));
  if (known && old->second.fingerprint == fingerprint && old->second.settings == m_thresholds) {
    return;
  }
  HealthTarget t;
  t.dir = run.output_dir;
  t.seed = run.seed;
  t.run_id = run.id;
  t.log_path = run.log_path;
  report::RunHealth health;
  try {
    health = check_run_health(m_cfg, t, std::nullopt, &m_store);
  } catch (const std::exception& e) { // e.g. the store is busy: the next refresh tries again
    m_warnings.push_back(fmt::format("health of {} seed {} not checked: {}", campaign.key, run.seed, e.what()));
    return;
  }
  auto cached = report::to_cached(health);
  cached.fingerprint = fingerprint;
  cached.settings = m_thresholds;
  cached.final = store::is_final(run.state);
  cached.checked_at = util::iso8601(m_now);
  if (run.checkpoint_cleaned) {
    cached.warnings.emplace_back("its output directory was removed after the run (cleanup_checkpoints): only stored "
                                 "points were read");
  }
  cache.runs[run.id] = std::move(cached);
  m_dirty[campaign.id].insert(run.id);
  ++m_evaluated;
}

std::vector<std::string> HealthRefresh::finish(const std::vector<long long>& campaign_ids) {
  std::vector<std::string> warnings;
  const bool every_run = m_cfg.health.configured || m_every_started_run;
  for (auto id : campaign_ids) {
    // The runs the step read; without a health: section nothing else is looked at (no query).
    std::set<long long> seen;
    if (auto touched = m_touched.find(id); touched != m_touched.end()) {
      for (const auto& run : touched->second.second) {
        seen.insert(run.id);
        consider(touched->second.first, run);
      }
    }
    if (!every_run) {
      continue;
    }
    auto campaign = m_store.find_campaign_by_id(id);
    if (!campaign) {
      continue;
    }
    for (const auto& run : m_store.runs(id)) {
      // Runs the cache does not know yet, or checked with other thresholds.
      const auto& runs = cache_of(id).runs;
      auto entry = runs.find(run.id);
      if (seen.count(run.id) == 0 && (entry == runs.end() || entry->second.settings != m_thresholds)) {
        consider(*campaign, view_of(run));
      }
    }
  }
  m_touched.clear();
  for (const auto& [id, run_ids] : m_dirty) {
    // Merged into the file as it is now: another seedrun (a cron refresh beside a drive loop)
    // may have written other runs since this one read it.
    auto path = report::health_cache_path(m_cfg.paths.state, id);
    auto merged = report::read_health_cache(path);
    for (auto run_id : run_ids) {
      merged.runs[run_id] = m_caches[id].runs[run_id];
    }
    try {
      report::write_health_cache(path, merged);
      m_caches[id] = std::move(merged);
    } catch (const Error& e) {
      warnings.push_back(fmt::format("health findings not saved: {}", e.what()));
    }
  }
  m_dirty.clear();
  warnings.insert(warnings.begin(), m_warnings.begin(), m_warnings.end());
  m_warnings.clear();
  return warnings;
}

} // namespace seedrun::track
