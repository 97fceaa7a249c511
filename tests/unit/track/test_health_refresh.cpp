// Health rules during refresh (track/health_refresh.hpp): which runs are evaluated, when, and
// what the per-campaign cache (report/health_cache.hpp) then holds. A recording fake executor
// finishes each launched run on the next poll, writing its log and (if the test asks) a
// metrics.jsonl with a KL spike into its output directory.
#include "seedrun/report/health_cache.hpp"
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/track/campaign_control.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/health_refresh.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;
using store::RunState;

namespace {

class FinishingExecutor final : public exec::Executor {
public:
  bool write_metrics = true;
  std::vector<long long> launched;

  std::string name() const override { return "fake"; }
  bool attached() const override { return false; }
  void launch(store::Store& store, const store::Campaign&, const std::string&, const std::string&,
              const std::vector<exec::RunLaunch>& runs, util::TimePoint) override {
    for (const auto& l : runs) {
      auto r = *store.run(l.run_id);
      store::mark_pending(r);
      store.update_run(r);
      launched.push_back(r.id);
    }
  }
  void poll(store::Store& store, util::TimePoint now) override {
    for (auto id : launched) {
      auto r = *store.run(id);
      if (r.state != RunState::pending) {
        continue;
      }
      if (write_metrics) {
        fs::create_directories(r.output_dir);
        std::string lines;
        for (int step = 10; step <= 50; step += 10) {
          double kl = r.seed == 42 && step == 30 ? 0.5 : 0.02;
          lines += fmt::format("{{\"step\": {}, \"kl\": {}, \"grad_norm\": 3}}\n", step, kl);
        }
        util::write_file_atomic(fs::path(r.output_dir) / "metrics.jsonl", lines);
      }
      util::write_file_atomic(r.log_path, "val_loss: 2.0\n");
      store::mark_started(r, now);
      store::mark_exited(r, {false, 0, 0, 10}, now);
      store.update_run(r);
    }
  }
  void cancel(store::Store&, const store::Campaign&, store::CancelCause, const std::string&, util::TimePoint) override {
  }
};

struct Project {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-health-refresh-{}-{}", ::getpid(), rand());
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  FinishingExecutor fake;
  util::TimePoint now = *util::parse_iso8601("2026-11-23T10:00:00Z");
  explicit Project(const std::string& extra = "") {
    fs::create_directories(dir);
    cfg = config::parse_config("command: [train, '{seed}', '{output_dir}']\ntrain_tokens: 1000\n" + extra,
                               dir / "seedrun.yaml");
    store = store::Store::open(cfg.paths.state);
  }
  ~Project() { fs::remove_all(dir); }
  void refresh(const std::vector<long long>& ids) {
    now += std::chrono::minutes(5);
    track::refresh(cfg, *store, fake, ids, nullptr, now);
  }
  report::HealthCache cache(long long campaign_id) const {
    return report::read_health_cache(report::health_cache_path(cfg.paths.state, campaign_id));
  }
};

} // namespace

TEST_CASE("refresh evaluates the runs that ended in its step, before cleanup removes their files") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  const auto id = base.campaign.id;
  p.refresh({id}); // submitted
  CHECK(p.cache(id).runs.empty());
  p.refresh({id}); // all five end; their output directories are removed (cleanup_checkpoints)
  auto runs = p.store->runs(id);
  REQUIRE(runs.size() == 5);
  CHECK(runs[0].checkpoint_cleaned);
  auto cache = p.cache(id);
  REQUIRE(cache.runs.size() == 5);
  for (const auto& r : runs) {
    const auto& h = cache.runs.at(r.id);
    CHECK(h.final);
    CHECK(h.evaluated);
    CHECK(h.checked_at == "2026-11-23T10:10:00Z");
    if (r.seed == 42) {
      REQUIRE(h.findings.size() == 1);
      CHECK(h.findings[0].rule == "kl_spike");
      CHECK(h.findings[0].step == std::optional<long long>(30));
      CHECK(h.findings[0].value == 0.5);
      CHECK(report::health_short(h) == "1 finding");
      CHECK(report::health_phrase(h.findings, h.evaluated) == "1 problem, 0 warnings: kl_spike at step 30");
    } else {
      CHECK(h.findings.empty());
      CHECK(report::health_short(h) == "ok");
    }
  }

  SUBCASE("a later refresh with nothing new evaluates nothing again") {
    p.refresh({id});
    for (const auto& [run_id, h] : p.cache(id).runs) {
      CHECK(h.checked_at == "2026-11-23T10:10:00Z");
    }
  }
}

TEST_CASE("without a health section, runs without metrics or events files leave no cache") {
  Project p;
  p.fake.write_metrics = false;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  p.refresh({base.campaign.id});
  p.refresh({base.campaign.id});
  CHECK(p.store->find_campaign_by_id(base.campaign.id)->state == store::CampaignState::done);
  CHECK_FALSE(fs::exists(report::health_cache_path(p.cfg.paths.state, base.campaign.id)));
}

TEST_CASE("with a health section, other thresholds re-evaluate ended runs the cache already holds") {
  Project p("cleanup_checkpoints: false\nhealth:\n  kl_spike_above: 0.2\n");
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  const auto id = base.campaign.id;
  p.refresh({id});
  p.refresh({id});
  auto seed42 = [&](const report::HealthCache& c) {
    for (const auto& r : p.store->runs(id)) {
      if (r.seed == 42) {
        return c.runs.at(r.id);
      }
    }
    return report::CachedRunHealth{};
  };
  REQUIRE(seed42(p.cache(id)).findings.size() == 1);
  CHECK(seed42(p.cache(id)).findings[0].rule == "kl_spike");

  SUBCASE("the campaign is done: refresh names it, and the laxer spike threshold makes it a warning") {
    p.cfg = config::parse_config(
        "command: [train, '{seed}', '{output_dir}']\ntrain_tokens: 1000\ncleanup_checkpoints: false\n"
        "health:\n  kl_spike_above: 0.6\n",
        p.dir / "seedrun.yaml");
    p.refresh({id});
    auto h = seed42(p.cache(id));
    REQUIRE(h.findings.size() == 1);
    CHECK(h.findings[0].rule == "kl_unstable");
    CHECK(h.findings[0].severity == stats::Severity::warning);
    CHECK(h.checked_at == "2026-11-23T10:15:00Z");
  }
  SUBCASE("the same thresholds: nothing is evaluated again") {
    p.refresh({id});
    CHECK(seed42(p.cache(id)).checked_at == "2026-11-23T10:10:00Z");
  }
}

namespace {

// Fake: launched runs start on the next poll (RUNNING, an empty log and a healthy metrics.jsonl
// in their output directory) and stay running.
class RunningExecutor final : public exec::Executor {
public:
  std::vector<long long> launched;

  std::string name() const override { return "fake"; }
  bool attached() const override { return false; }
  void launch(store::Store& store, const store::Campaign&, const std::string&, const std::string&,
              const std::vector<exec::RunLaunch>& runs, util::TimePoint) override {
    for (const auto& l : runs) {
      auto r = *store.run(l.run_id);
      store::mark_pending(r);
      store.update_run(r);
      launched.push_back(r.id);
    }
  }
  void poll(store::Store& store, util::TimePoint now) override {
    for (auto id : launched) {
      auto r = *store.run(id);
      if (r.state == RunState::pending) {
        fs::create_directories(r.output_dir);
        util::write_file_atomic(fs::path(r.output_dir) / "metrics.jsonl",
                                "{\"step\": 10, \"kl\": 0.02}\n{\"step\": 20, \"kl\": 0.03}\n");
        util::write_file_atomic(r.log_path, "");
        store::mark_started(r, now);
        store.update_run(r);
      }
    }
  }
  void cancel(store::Store&, const store::Campaign&, store::CancelCause, const std::string&, util::TimePoint) override {
  }
};

} // namespace

TEST_CASE("a running run is evaluated again only when its files changed") {
  Project p;
  RunningExecutor fake;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  const auto id = base.campaign.id;
  auto refresh = [&] {
    p.now += std::chrono::minutes(5);
    track::refresh(p.cfg, *p.store, fake, {id}, nullptr, p.now);
  };
  refresh(); // submitted
  refresh(); // running: read by the step, checked
  auto runs = p.store->runs(id);
  REQUIRE(runs[0].state == RunState::running);
  auto first = p.cache(id).runs.at(runs[0].id);
  CHECK_FALSE(first.final);
  CHECK(first.findings.empty());
  CHECK(first.checked_at == "2026-11-23T10:10:00Z");

  refresh(); // nothing new: not read again
  CHECK(p.cache(id).runs.at(runs[0].id).checked_at == "2026-11-23T10:10:00Z");

  // the trainer logs a KL spike: the next refresh finds it
  std::string more = "{\"step\": 30, \"kl\": 0.45}\n";
  auto path = fs::path(runs[0].output_dir) / "metrics.jsonl";
  util::write_file_atomic(path, util::read_file(path) + more);
  refresh();
  auto after = p.cache(id).runs.at(runs[0].id);
  CHECK(after.checked_at == "2026-11-23T10:20:00Z");
  REQUIRE(after.findings.size() == 1);
  CHECK(after.findings[0].rule == "kl_spike");
  CHECK(after.findings[0].step == std::optional<long long>(30));
  CHECK(p.cache(id).runs.at(runs[1].id).checked_at == "2026-11-23T10:10:00Z"); // the others did not change
}

TEST_CASE("two seedruns checking runs of one campaign keep each other's findings") {
  Project p("cleanup_checkpoints: false\n");
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  const auto id = base.campaign.id;
  p.refresh({id});
  p.refresh({id});
  auto path = report::health_cache_path(p.cfg.paths.state, id);
  REQUIRE(p.cache(id).runs.size() == 5);
  fs::remove(path);
  auto runs = p.store->runs(id);
  // a drive loop and a cron refresh, each with its own view of the cache
  track::HealthRefresh drive(p.cfg, *p.store, nullptr, p.now);
  track::HealthRefresh cron(p.cfg, *p.store, nullptr, p.now);
  drive.run_finished(base.campaign, runs[0], 1, 5);
  cron.run_finished(base.campaign, runs[1], 2, 5);
  CHECK(cron.finish({}).empty());
  CHECK(drive.finish({}).empty());
  auto cache = p.cache(id);
  CHECK(cache.runs.size() == 2);
  CHECK(cache.runs.count(runs[0].id) == 1);
  CHECK(cache.runs.count(runs[1].id) == 1);
}
