// Tracker::cleanup_checkpoint: only directories seedrun created for a run, and only once that
// run's metric is stored; FAILED runs' checkpoints and directories that were there before stay.
#include "seedrun/track/campaigns.hpp"
#include "seedrun/track/tracker.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <map>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

// Fake executor (named as such): each launched run writes a checkpoint file into its output
// directory, as a trainer would, then ends with the exit code the test chose for its seed.
class FakeExecutor final : public exec::Executor {
public:
  std::map<long long, int> exit_codes; // seed → exit code (missing: 0)
  std::string name() const override { return "fake"; }
  bool attached() const override { return true; }
  void launch(store::Store& store, const store::Campaign&, const std::string&, const std::string&,
              const std::vector<exec::RunLaunch>& runs, util::TimePoint) override {
    for (const auto& l : runs) {
      auto r = *store.run(l.run_id);
      int code = exit_codes.count(l.seed) ? exit_codes[l.seed] : 0;
      util::write_file_atomic(l.log_path, code == 0 ? "val_loss: 2.0\n" : "Traceback: boom\n");
      fs::create_directories(l.output_dir);
      util::write_file_atomic(l.output_dir / "model.pt", "weights");
      r.state = code == 0 ? store::RunState::completed : store::RunState::failed;
      r.exit_code = code;
      r.wall_time = 1;
      store.update_run(r);
    }
  }
  void poll(store::Store&, util::TimePoint) override {}
  void cancel(store::Store&, const store::Campaign&, store::CancelCause, const std::string&, util::TimePoint) override {
  }
};

struct Project {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-ckpt-{}-{}", ::getpid(), rand());
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  FakeExecutor fake;
  Project() {
    fs::create_directories(dir);
    cfg = config::parse_config("command: [train, '{seed}']\ntrain_tokens: 1000\n", dir / "seedrun.yaml");
    store = store::Store::open(cfg.paths.state);
  }
  ~Project() { fs::remove_all(dir); }
  void steps() {
    track::Tracker t(cfg, *store, fake, nullptr);
    t.step(util::Clock::now());
    t.step(util::Clock::now());
  }
  fs::path ckpt(long long seed) const { return cfg.paths.checkpoints / fmt::format("baseline_1K_seed{}", seed); }
};

} // namespace

TEST_CASE("a failed seed's checkpoint is kept while completed seeds' are removed") {
  Project p;
  p.fake.exit_codes[137] = 1;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.steps();
  CHECK(fs::exists(p.ckpt(137) / "model.pt"));
  CHECK_FALSE(fs::exists(p.ckpt(42)));
  for (const auto& r : p.store->runs(base.campaign.id)) {
    CHECK(r.output_dir_preexisted == std::optional<bool>(false));
    CHECK(r.checkpoint_cleaned == (r.seed != 137));
  }
}

TEST_CASE("a directory that existed before the run was planned is kept even when the run completes") {
  Project p;
  fs::create_directories(p.ckpt(42));
  util::write_file_atomic(p.ckpt(42) / "precious.txt", "mine");
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.steps();
  CHECK(util::read_file(p.ckpt(42) / "precious.txt") == "mine");
  CHECK(p.store->runs(base.campaign.id)[0].output_dir_preexisted == std::optional<bool>(true));
  CHECK_FALSE(fs::exists(p.ckpt(256)));
}

TEST_CASE("a pre-existing directory of a seed that fails survives") {
  Project p;
  fs::create_directories(p.ckpt(512));
  util::write_file_atomic(p.ckpt(512) / "precious.txt", "mine");
  p.fake.exit_codes[512] = 2;
  track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.steps();
  CHECK(util::read_file(p.ckpt(512) / "precious.txt") == "mine");
}

TEST_CASE("the retry of a failed seed keeps the directory seedrun's: removed once the retry completes") {
  Project p;
  p.fake.exit_codes[1024] = 1;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.steps();
  REQUIRE(fs::exists(p.ckpt(1024)));
  p.fake.exit_codes[1024] = 0;
  for (const auto& r : p.store->runs(base.campaign.id)) {
    if (r.seed == 1024) {
      auto id = track::plan_new_attempt(p.cfg, *p.store, base.campaign, r);
      CHECK(p.store->run(id)->output_dir_preexisted == std::optional<bool>(false));
    }
  }
  p.store->set_campaign_state(base.campaign.id, store::CampaignState::active, std::nullopt,
                              *util::parse_iso8601("2026-01-01T00:00:00Z"));
  p.steps();
  CHECK_FALSE(fs::exists(p.ckpt(1024)));
}

TEST_CASE("runs recorded before seedrun knew who created the directory keep it") {
  Project p;
  auto base = track::ensure_baseline(p.cfg, *p.store, false, util::Clock::now());
  p.store->db().exec("UPDATE runs SET output_dir_preexisted = NULL");
  p.steps();
  CHECK(fs::exists(p.ckpt(42) / "model.pt"));
  CHECK_FALSE(p.store->runs(base.campaign.id)[0].checkpoint_cleaned);
}
