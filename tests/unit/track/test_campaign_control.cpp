// refresh, cancel, retry and the drive helpers (track/campaign_control) against a recording
// FakeExecutor (named as such) and a fixed time: what the CLI handlers only print.
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/track/campaign_control.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/file_lock.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;
using store::RunState;

namespace {

// Fake: launched runs are PENDING; the next poll "runs" each to the end, writing the value the
// test chose for its seed to its log. Records launches, polls (with their time) and cancels.
class FakeExecutor final : public exec::Executor {
public:
  bool is_attached = false;
  std::map<long long, double> values; // seed → val_loss (missing: 2.0)
  std::vector<long long> launched;    // run ids
  std::vector<util::TimePoint> polls;
  std::vector<std::pair<store::CancelCause, std::string>> cancels;

  std::string name() const override { return "fake"; }
  bool attached() const override { return is_attached; }
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
    polls.push_back(now);
    for (auto id : launched) {
      auto r = *store.run(id);
      if (r.state != RunState::pending) {
        continue;
      }
      auto it = values.find(r.seed);
      util::write_file_atomic(r.log_path, fmt::format("val_loss: {}\n", it == values.end() ? 2.0 : it->second));
      store::mark_started(r, now);
      store::mark_exited(r, {false, 0, 0, 10}, now);
      store.update_run(r);
    }
  }
  void cancel(store::Store& store, const store::Campaign& c, store::CancelCause cause, const std::string& reason,
              util::TimePoint now) override {
    cancels.emplace_back(cause, reason);
    for (auto r : store.runs(c.id)) {
      if (!store::is_final(r.state) && r.state != RunState::planned) {
        store::mark_cancelled(r, cause, reason, now);
        store.update_run(r);
      }
    }
  }
};

struct Project {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-control-{}-{}", ::getpid(), rand());
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  FakeExecutor fake;
  util::TimePoint now = *util::parse_iso8601("2026-11-23T10:00:00Z");
  Project() {
    fs::create_directories(dir);
    cfg = config::parse_config("command: [train, '{seed}']\ntrain_tokens: 1000\n", dir / "seedrun.yaml");
    store = store::Store::open(cfg.paths.state);
  }
  ~Project() { fs::remove_all(dir); }
  track::RefreshOutcome refresh(const std::vector<long long>& ids) {
    now += std::chrono::minutes(5); // cron's interval
    return track::refresh(cfg, *store, fake, ids, nullptr, now);
  }
  std::vector<RunState> states(long long campaign_id) {
    std::vector<RunState> out;
    for (const auto& r : store->runs(campaign_id)) {
      out.push_back(r.state);
    }
    return out;
  }
};

} // namespace

TEST_CASE("refresh moves a detached (Slurm-like) campaign from submitted to its report, at the time it is given") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  auto ids = track::select_campaigns(*p.store, std::nullopt, true);
  REQUIRE(ids == std::vector<long long>{base.campaign.id});

  auto first = p.refresh(ids);
  CHECK_FALSE(first.busy);
  CHECK(p.fake.launched.size() == 5); // planned runs are submitted: training does not die with us
  CHECK(p.states(base.campaign.id) == std::vector<RunState>(5, RunState::pending));
  CHECK(first.step.reports.empty());

  auto second = p.refresh(ids);
  CHECK(p.fake.polls.size() == 2);
  CHECK(p.fake.polls.back() == *util::parse_iso8601("2026-11-23T10:10:00Z"));
  CHECK(p.states(base.campaign.id) == std::vector<RunState>(5, RunState::completed));
  CHECK(p.store->runs(base.campaign.id)[0].ended_at == *util::parse_iso8601("2026-11-23T10:10:00Z"));
  CHECK(p.store->find_campaign_by_id(base.campaign.id)->state == store::CampaignState::done);
  REQUIRE(second.step.reports.size() == 2);
  CHECK(fs::exists(p.cfg.paths.reports / "baseline_variance_1K.md"));
  CHECK(track::select_campaigns(*p.store, std::nullopt, true).empty());

  auto third = p.refresh({}); // idempotent: nothing left to do
  CHECK(third.step.reports.empty());
  CHECK(third.step.idle);
}

TEST_CASE("refresh of local training whose seedrun is gone marks its runs orphaned and starts none") {
  Project p;
  p.fake.is_attached = true;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  auto runs = p.store->runs(base.campaign.id);
  store::mark_pending(runs[0]);
  store::mark_started(runs[0], p.now);
  p.store->update_run(runs[0]);

  auto r = p.refresh({base.campaign.id});
  REQUIRE(r.orphaned.size() == 1);
  CHECK(r.orphaned[0] == std::pair<std::string, int>{base.campaign.key, 1});
  CHECK(p.fake.launched.empty()); // local runs are started by baseline/experiment only
  auto after = *p.store->run(runs[0].id);
  CHECK(after.state == RunState::cancelled);
  CHECK(after.cancel_cause == store::CancelCause::orphaned);
  CHECK(store::interrupted(after));
  CHECK(track::waiting_for_resume(*p.store, base.campaign));

  SUBCASE("the next baseline resumes it as a new attempt") {
    auto resumed = track::resume_local(p.cfg, *p.store, {base.campaign.id}, p.now);
    CHECK(resumed == std::vector<std::pair<std::string, int>>{{base.campaign.key, 1}});
    auto current = p.store->runs(base.campaign.id);
    CHECK(current.size() == 5);
    CHECK(std::count_if(current.begin(), current.end(), [](const auto& x) { return x.attempt == 2; }) == 1);
    CHECK_FALSE(track::waiting_for_resume(*p.store, base.campaign));
  }
}

TEST_CASE("a refresh finding the lock held does nothing and says so") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  util::FileLock other(track::refresh_lock_path(p.cfg), util::FileLock::Mode::try_once);
  REQUIRE(other.held());
  auto r = p.refresh({base.campaign.id});
  CHECK(r.busy);
  CHECK(p.fake.polls.empty());
  CHECK(p.fake.launched.empty());
}

TEST_CASE("cancel ends live runs through the executor, cancels planned ones, and the campaign") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  p.refresh({base.campaign.id}); // all five submitted
  auto runs = p.store->runs(base.campaign.id);
  auto planned = track::ensure_experiment(p.cfg, *p.store, "warm", {"--warm"}, p.now);

  auto out = track::cancel_campaigns(p.cfg, *p.store, p.fake, {base.campaign.id, planned.id}, p.now);
  REQUIRE(out.size() == 2);
  CHECK(out[0].key == base.campaign.key);
  CHECK_FALSE(out[0].stopped_elsewhere);
  CHECK(p.fake.cancels.size() == 2);
  CHECK(p.fake.cancels[0] ==
        std::pair<store::CancelCause, std::string>{store::CancelCause::user_cancel, "cancelled by seedrun cancel"});
  for (auto id : {base.campaign.id, planned.id}) {
    CHECK(p.store->find_campaign_by_id(id)->state == store::CampaignState::cancelled);
    for (const auto& r : p.store->runs(id)) {
      CHECK(r.state == RunState::cancelled);
      CHECK(r.cancel_cause == store::CancelCause::user_cancel);
    }
  }
  CHECK_FALSE(track::waiting_for_resume(*p.store, base.campaign)); // a user's cancel is no interruption

  SUBCASE("running the command again reopens it") {
    auto c = *p.store->find_campaign_by_id(planned.id);
    CHECK(track::reopen_if_cancelled(p.cfg, *p.store, c, p.now) == std::optional<int>(3));
    CHECK(p.store->find_campaign_by_id(planned.id)->state == store::CampaignState::active);
    CHECK(p.states(planned.id) == std::vector<RunState>(3, RunState::planned));
    CHECK_FALSE(track::reopen_if_cancelled(p.cfg, *p.store, *p.store->find_campaign_by_id(planned.id), p.now));
  }
}

TEST_CASE("cancelling local training that another seedrun runs leaves the stopping to it") {
  Project p;
  p.fake.is_attached = true;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  auto runs = p.store->runs(base.campaign.id);
  store::mark_pending(runs[0]);
  p.store->update_run(runs[0]);
  util::FileLock driver(track::local_lock_path(p.cfg), util::FileLock::Mode::try_once);
  REQUIRE(driver.held());
  auto out = track::cancel_campaigns(p.cfg, *p.store, p.fake, {base.campaign.id}, p.now);
  REQUIRE(out.size() == 1);
  CHECK(out[0].stopped_elsewhere);
}

TEST_CASE("retry plans new attempts of failed seeds only, and reopens a finished campaign") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  p.refresh({base.campaign.id});
  auto runs = p.store->runs(base.campaign.id);
  auto failed = runs[1];
  store::mark_exited(failed, {false, 0, 1, 3}, p.now);
  p.store->update_run(failed);
  p.refresh({base.campaign.id});
  CHECK(p.store->find_campaign_by_id(base.campaign.id)->state == store::CampaignState::done);

  auto c = *p.store->find_campaign_by_id(base.campaign.id);
  CHECK(track::retry_failed(p.cfg, *p.store, c, runs[0].seed, p.now) == 0); // completed: nothing to retry
  CHECK(track::retry_failed(p.cfg, *p.store, c, std::nullopt, p.now) == 1);
  CHECK(p.store->find_campaign_by_id(base.campaign.id)->state == store::CampaignState::active);
  auto current = p.store->runs(base.campaign.id);
  auto again = std::find_if(current.begin(), current.end(), [&](const auto& r) { return r.seed == failed.seed; });
  REQUIRE(again != current.end());
  CHECK(again->attempt == 2);
  CHECK(again->state == RunState::planned);
}

TEST_CASE("Ctrl-C cancels live runs as interrupted; the campaign waits to be resumed") {
  Project p;
  p.fake.is_attached = true;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, p.now);
  auto runs = p.store->runs(base.campaign.id);
  store::mark_pending(runs[0]);
  p.store->update_run(runs[0]);
  track::interrupt(*p.store, p.fake, {base.campaign.id}, p.now);
  REQUIRE(p.fake.cancels.size() == 1);
  CHECK(p.fake.cancels[0].first == store::CancelCause::signal);
  CHECK(track::waiting_for_resume(*p.store, base.campaign));
  CHECK_FALSE(track::all_finished(*p.store, {base.campaign.id}));
}

TEST_CASE("an unknown campaign name is a usage error naming it") {
  Project p;
  CHECK_THROWS_WITH_AS(track::select_campaigns(*p.store, std::string("nope"), true),
                       doctest::Contains("no campaign 'nope'"), UsageError);
}
