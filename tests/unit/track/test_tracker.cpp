// The Tracker and campaign planning against a recording FakeExecutor (named as such): the
// extension rule, runs without a metric, checkpoint clean-up, idempotence, skip and resume.
#include "seedrun/report/arm_data.hpp"
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/track/tracker.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <deque>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

// Fake: "runs" a launched run by writing its log with the value the test chose for its seed.
class FakeExecutor final : public exec::Executor {
public:
  std::map<int, std::string> log_text; // seed → log contents (missing: "val_loss: 2.0")
  std::map<int, int> exit_codes;       // seed → non-zero exit code (FAILED after 3 s)
  bool one_at_a_time = false;          // like the local executor at parallel 1: the rest wait
  std::vector<std::vector<int>> launches;
  std::vector<int> started; // seeds actually run, in order
  std::deque<exec::RunLaunch> queue;
  std::vector<std::string> cancels;
  std::optional<exec::RunLaunch> current;
  std::string name() const override { return "fake"; }
  bool attached() const override { return true; }
  void launch(store::Store& store, const store::Campaign&, const std::string&, const std::string&,
              const std::vector<exec::RunLaunch>& runs, util::TimePoint) override {
    std::vector<int> seeds;
    for (const auto& l : runs) {
      seeds.push_back(static_cast<int>(l.seed));
      if (one_at_a_time && (&l != &runs.front() || !queue.empty())) {
        auto r = *store.run(l.run_id);
        r.state = store::RunState::pending;
        store.update_run(r);
        queue.push_back(l);
        continue;
      }
      run(store, l);
    }
    launches.push_back(seeds);
  }
  void run(store::Store& store, const exec::RunLaunch& l) {
    started.push_back(static_cast<int>(l.seed));
    if (one_at_a_time) { // runs until the next poll, as a real child would
      auto r = *store.run(l.run_id);
      r.state = store::RunState::running;
      store.update_run(r);
      current = l;
      return;
    }
    finish(store, l);
  }
  void finish(store::Store& store, const exec::RunLaunch& l) {
    auto r = *store.run(l.run_id);
    auto it = log_text.find(static_cast<int>(l.seed));
    util::write_file_atomic(l.log_path, it != log_text.end() ? it->second : "val_loss: 2.0\n");
    fs::create_directories(l.output_dir);
    auto code = exit_codes.find(static_cast<int>(l.seed));
    r.state = code == exit_codes.end() ? store::RunState::completed : store::RunState::failed;
    r.exit_code = code == exit_codes.end() ? 0 : code->second;
    if (code != exit_codes.end()) {
      r.reason = fmt::format("exit code {}", code->second);
    }
    r.wall_time = code == exit_codes.end() ? 10 : 3;
    store.update_run(r);
  }
  void poll(store::Store& store, util::TimePoint) override {
    if (current) {
      finish(store, *current);
      current.reset();
    }
    if (!queue.empty()) {
      auto l = queue.front();
      queue.pop_front();
      run(store, l);
    }
  }
  void cancel(store::Store& store, const store::Campaign& c, store::CancelCause cause, const std::string& reason,
              util::TimePoint) override {
    cancels.push_back(reason);
    if (current) {
      auto r = *store.run(current->run_id);
      store::mark_cancelled(r, cause, reason);
      store.update_run(r);
      current.reset();
    }
    std::deque<exec::RunLaunch> keep;
    for (auto& l : queue) {
      auto r = *store.run(l.run_id);
      if (r.campaign_id != c.id) {
        keep.push_back(l);
        continue;
      }
      store::mark_cancelled(r, cause, reason);
      store.update_run(r);
    }
    queue = keep;
  }
};

struct Project {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-tracker-{}-{}", ::getpid(), rand());
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  FakeExecutor fake;
  Project() {
    fs::create_directories(dir);
    cfg = config::parse_config("command: [train, '{seed}']\ntrain_tokens: 1000\n", dir / "seedrun.yaml");
    store = store::Store::open(cfg.paths.state);
  }
  ~Project() { fs::remove_all(dir); }
  void values(const std::map<int, double>& v) {
    for (auto [seed, x] : v) {
      fake.log_text[seed] = fmt::format("Step 1 | val_loss: {}\n", x);
    }
  }
  track::StepResult step() {
    track::Tracker t(cfg, *store, fake, nullptr);
    return t.step(util::Clock::now());
  }
};

} // namespace

TEST_CASE("an experiment within 2σ gets the extension seeds, then its verdict") {
  Project p;
  p.values({{42, 2.00}, {137, 2.02}, {256, 1.98}, {512, 2.01}, {1024, 1.99}});
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  CHECK_FALSE(base.skipped);
  auto exp = track::ensure_experiment(p.cfg, *p.store, "same", {"--noop"}, util::Clock::now());
  p.step(); // launches both campaigns' planned runs
  p.step(); // settles them; the experiment is within 2σ: extension planned and launched
  p.step();
  REQUIRE(p.fake.launches.size() == 3);
  CHECK(p.fake.launches[2] == std::vector<int>{512, 1024});
  auto done = p.store->find_campaign_by_id(exp.id);
  CHECK(done->state == store::CampaignState::done);
  CHECK(done->verdict == std::optional<std::string>("NEUTRAL"));
  CHECK(fs::exists(p.cfg.paths.reports / "experiment_same_1K.md"));
  CHECK(fs::exists(p.cfg.paths.reports / "baseline_variance_1K.json"));
}

TEST_CASE("a clear winner after three seeds is not extended") {
  Project p;
  p.values({{42, 2.00}, {137, 2.02}, {256, 1.98}, {512, 2.01}, {1024, 1.99}});
  track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.step();
  p.step();
  p.values({{42, 1.50}, {137, 1.52}, {256, 1.51}});
  auto exp = track::ensure_experiment(p.cfg, *p.store, "win", {"--better"}, util::Clock::now());
  p.step();
  p.step();
  CHECK(p.store->runs(exp.id).size() == 3);
  CHECK(p.store->find_campaign_by_id(exp.id)->verdict == std::optional<std::string>("WINNER"));
}

TEST_CASE("a run that exits 0 without the metric is FAILED with a reason, and excluded") {
  Project p;
  p.values({{42, 2.0}, {137, 2.1}, {256, 2.2}, {512, 2.3}});
  p.fake.log_text[1024] = "training finished\n";
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.step();
  p.step();
  auto runs = p.store->runs(base.campaign.id);
  CHECK(runs[4].state == store::RunState::failed);
  CHECK(runs[4].reason == std::optional<std::string>("no val_loss found"));
  auto md = util::read_file(p.cfg.paths.reports / "baseline_variance_1K.md");
  CHECK(md.find("## Baseline Statistics (N=4 runs; 1 of 5 seeds not counted, listed below)") != std::string::npos);
  CHECK(md.find("seed 1024 FAILED (no val_loss found): excluded") != std::string::npos);
}

TEST_CASE("checkpoints are removed after the metric is stored; a second step changes nothing") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.step();
  p.step();
  for (const auto& r : p.store->runs(base.campaign.id)) {
    CHECK_FALSE(fs::exists(r.output_dir));
    CHECK(r.checkpoint_cleaned);
  }
  auto r = p.step();
  CHECK(r.reports.empty());
  CHECK(p.fake.launches.size() == 1);
}

TEST_CASE("a complete baseline is skipped; --force plans every seed again") {
  Project p;
  track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.step();
  p.step();
  auto again = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  CHECK(again.skipped);
  CHECK(again.message.find("already exists") != std::string::npos);
  auto forced = track::ensure_baseline(p.cfg, *p.store, true, util::Clock::now());
  CHECK_FALSE(forced.skipped);
  auto runs = p.store->runs(forced.campaign.id);
  REQUIRE(runs.size() == 5);
  CHECK(runs[0].attempt == 2);
  CHECK(runs[0].state == store::RunState::planned);
}

TEST_CASE("interrupted local runs are resumed as new attempts; completed ones are kept") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  auto runs = p.store->runs(base.campaign.id);
  runs[0].state = store::RunState::completed;
  p.store->update_run(runs[0]);
  runs[1].state = store::RunState::running;
  p.store->update_run(runs[1]);
  CHECK(track::resume_interrupted(p.cfg, *p.store, base.campaign, true, util::Clock::now()) == 1);
  auto after = p.store->runs(base.campaign.id);
  CHECK(after[0].attempt == 1);
  CHECK(after.back().seed == runs[1].seed);
  CHECK(after.back().attempt == 2);
  CHECK(after.back().log_path.ends_with("_attempt2.log"));
}

TEST_CASE("experiment names come from the flags and are safe for files and job names") {
  CHECK(track::experiment_name_from_flags({"--use_warmup"}) == "use_warmup");
  CHECK(track::experiment_name_from_flags({"--lr", "0.001"}) == "lr_0.001");
  CHECK(track::experiment_name_from_flags({"$(rm -rf ~)"}) == "rm_rf");
  CHECK(track::experiment_name_from_flags({"--"}) == "experiment");
}

TEST_CASE("the first seed failing within a minute stops the arm and the cause is shown") {
  Project p;
  p.fake.one_at_a_time = true;
  p.fake.log_text[42] = "Traceback (most recent call last):\nValueError: unknown flag --use_warmpu\n";
  p.fake.exit_codes[42] = 2;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  std::vector<std::string> warnings;
  for (int i = 0; i < 4; ++i) {
    auto r = p.step();
    warnings.insert(warnings.end(), r.warnings.begin(), r.warnings.end());
  }
  // 137 had just been started when 42's failure was seen; 256, 512 and 1024 never ran.
  CHECK(p.fake.started == std::vector<int>{42, 137});
  REQUIRE(p.fake.cancels.size() == 1);
  CHECK(p.fake.cancels[0].find("fail_fast: seed 42 failed after 3 s (exit code 2)") != std::string::npos);
  auto runs = p.store->runs(base.campaign.id);
  CHECK(runs[0].state == store::RunState::failed);
  for (size_t i = 1; i < runs.size(); ++i) {
    CHECK(runs[i].state == store::RunState::cancelled);
  }
  REQUIRE_FALSE(warnings.empty());
  CHECK(warnings[0].find("ValueError: unknown flag --use_warmpu") != std::string::npos);
  CHECK(p.store->find_campaign_by_id(base.campaign.id)->state == store::CampaignState::done);
  auto md = util::read_file(p.cfg.paths.reports / "baseline_variance_1K.md");
  CHECK(md.find("ValueError: unknown flag --use_warmpu") != std::string::npos);
}

TEST_CASE("with fail_fast off every seed runs, and two failed experiment seeds of three give INCOMPLETE") {
  Project p;
  p.cfg.fail_fast = false;
  p.values({{42, 2.00}, {137, 2.02}, {256, 1.98}, {512, 2.01}, {1024, 1.99}});
  track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.step();
  p.step();
  p.values({{42, 1.00}});
  p.fake.exit_codes = {{137, 1}, {256, 1}};
  auto exp = track::ensure_experiment(p.cfg, *p.store, "one", {"--x"}, util::Clock::now());
  p.step();
  p.step();
  p.step();
  CHECK(p.store->runs(exp.id).size() == 3); // no extension on one counted seed
  CHECK(p.store->find_campaign_by_id(exp.id)->verdict == std::optional<std::string>("INCOMPLETE"));
  auto md = util::read_file(p.cfg.paths.reports / "experiment_one_1K.md");
  CHECK(md.find("## Verdict: INCOMPLETE") != std::string::npos);
  CHECK(md.find("experiment has 1 counted seed of 3 (failed: 137, 256)") != std::string::npos);
}

TEST_CASE("a WINNER by the 2σ rule that Welch does not back runs the extension seeds") {
  Project p;
  p.values({{42, 3.00}, {137, 3.01}, {256, 3.00}, {512, 3.01}, {1024, 3.00}});
  track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.step();
  p.step();
  p.values({{42, 2.80}, {137, 2.99}, {256, 3.05}, {512, 2.90}, {1024, 2.95}});
  auto exp = track::ensure_experiment(p.cfg, *p.store, "lr", {"--lr=3e-3"}, util::Clock::now());
  p.step();
  p.step();
  p.step();
  CHECK(p.store->runs(exp.id).size() == 5);
  auto c = p.store->find_campaign_by_id(exp.id);
  CHECK(c->state == store::CampaignState::done);
  CHECK(c->verdict == std::optional<std::string>("WINNER")); // the seed's rule stays the verdict
  auto md = util::read_file(p.cfg.paths.reports / "experiment_lr_1K.md");
  CHECK(md.find("WINNER by the 2σ rule") != std::string::npos);
  CHECK(md.find("not confirmed") != std::string::npos);
}

TEST_CASE("re-running the baseline re-judges a finished experiment and re-checks its extension") {
  Project p;
  p.values({{42, 2.00}, {137, 2.02}, {256, 1.98}, {512, 2.01}, {1024, 1.99}});
  track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.step();
  p.step();
  p.values({{42, 1.90}, {137, 1.91}, {256, 1.90}});
  auto exp = track::ensure_experiment(p.cfg, *p.store, "w", {"--w"}, util::Clock::now());
  p.step();
  p.step();
  CHECK(p.store->find_campaign_by_id(exp.id)->verdict == std::optional<std::string>("WINNER"));
  // The baseline is re-run (--force) and turns out noisier: the experiment is now within 2σ.
  p.values({{42, 1.80}, {137, 2.10}, {256, 1.90}, {512, 2.05}, {1024, 1.85}});
  track::ensure_baseline(p.cfg, *p.store, true, util::Clock::now());
  p.step();
  p.step();
  p.step();
  p.step();
  CHECK(p.store->runs(exp.id).size() == 5); // the extension seeds ran
  CHECK(p.store->find_campaign_by_id(exp.id)->verdict == std::optional<std::string>("NEUTRAL"));
  auto md = util::read_file(p.cfg.paths.reports / "experiment_w_1K.md");
  CHECK(md.find("## Verdict: NEUTRAL") != std::string::npos);
}

TEST_CASE("a log that vanished while its run was live makes the value unreliable and not counted") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  auto runs = p.store->runs(base.campaign.id);
  // Seed 42 is running and has printed one value.
  auto r = runs[0];
  r.state = store::RunState::running;
  p.store->update_run(r);
  util::write_file_atomic(r.log_path, "val_loss: 2.4003\n");
  for (size_t i = 1; i < runs.size(); ++i) {
    runs[i].state = store::RunState::running;
    p.store->update_run(runs[i]);
  }
  track::Tracker t(p.cfg, *p.store, p.fake, nullptr);
  t.step(util::Clock::now(), {}, false);
  // The log is deleted; the trainer goes on and ends.
  fs::remove(r.log_path);
  r = *p.store->run(r.id);
  r.state = store::RunState::running;
  t.step(util::Clock::now(), {}, false);
  r = *p.store->run(r.id);
  CHECK(r.metric_unreliable);
  r.state = store::RunState::completed;
  r.exit_code = 0;
  p.store->update_run(r);
  t.step(util::Clock::now(), {}, false);
  auto arm = report::collect_arm(*p.store, base.campaign);
  CHECK(arm.seeds[0].unreliable);
  CHECK_FALSE(arm.seeds[0].counted);
  CHECK(arm.notes[0].find("seed 42: its log vanished or was replaced while it ran") != std::string::npos);
}
