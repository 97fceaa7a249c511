// The Tracker and campaign planning against a recording FakeExecutor (named as such): the
// extension rule, runs without a metric, checkpoint clean-up, idempotence, skip and resume.
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/tracker.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <doctest/doctest.h>

#include <unistd.h>

#include <map>

#include <fmt/format.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

// Fake: "runs" a launched run by writing its log with the value the test chose for its seed.
class FakeExecutor final : public exec::Executor {
public:
  std::map<int, std::string> log_text; // seed → log contents (missing: "val_loss: 2.0")
  std::vector<std::vector<int>> launches;
  std::string name() const override { return "fake"; }
  bool attached() const override { return true; }
  void launch(store::Store& store, const store::Campaign&, const std::string&, const std::string&,
              const std::vector<exec::RunLaunch>& runs, util::TimePoint) override {
    std::vector<int> seeds;
    for (const auto& l : runs) {
      seeds.push_back(l.seed);
      auto r = *store.run(l.run_id);
      auto it = log_text.find(l.seed);
      util::write_file_atomic(l.log_path, it != log_text.end() ? it->second : "val_loss: 2.0\n");
      fs::create_directories(l.output_dir);
      r.state = store::run_state::completed;
      r.exit_code = 0;
      r.wall_time = 10;
      store.update_run(r);
    }
    launches.push_back(seeds);
  }
  void poll(store::Store&, util::TimePoint) override {}
  void cancel(store::Store&, const store::Campaign&, const std::string&, util::TimePoint) override {}
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
  CHECK(done->state == "DONE");
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
  CHECK(runs[4].state == "FAILED");
  CHECK(runs[4].reason == std::optional<std::string>("no val_loss found"));
  auto md = util::read_file(p.cfg.paths.reports / "baseline_variance_1K.md");
  CHECK(md.find("## Baseline Statistics (N=4 runs)") != std::string::npos);
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
  CHECK(runs[0].state == "PLANNED");
}

TEST_CASE("interrupted local runs are resumed as new attempts; completed ones are kept") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  auto runs = p.store->runs(base.campaign.id);
  runs[0].state = "COMPLETED";
  p.store->update_run(runs[0]);
  runs[1].state = "RUNNING";
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
