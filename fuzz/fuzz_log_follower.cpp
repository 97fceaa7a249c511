// The log follower with a real store: the input is a run's log, appended in 2-3 pieces with
// follow_log after each (the last one final, as when the run ends). The points stored must be
// exactly those of one scan of the whole log: none lost, none stored twice, whatever the cut.
// A second metric (a fixed pattern, "loss: <number>") is followed in the same pass (issue 12):
// its points must be those of its own scan of the whole log, so the two scanners agree on the
// offset whatever the bytes.
#include "scanner_common.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/track/log_follower.hpp"

#include <spdlog/spdlog.h>

namespace {

namespace fs = std::filesystem;
using namespace seedrun;

// One store per process, replaced every k_runs_per_store inputs so the database stays small
// (a real SQLite file with WAL, on /dev/shm when there is one: fsync is not what is tested).
struct Bench {
  static constexpr int k_runs_per_store = 2000;
  fs::path dir;
  std::unique_ptr<store::Store> store;
  long long campaign_id = 0;
  int runs = 0;

  Bench() {
    fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    dir = base / ("seedrun-fuzz-follower-" + std::to_string(::getpid()));
    std::atexit([] {
      std::error_code ec;
      fs::path b = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
      fs::remove_all(b / ("seedrun-fuzz-follower-" + std::to_string(::getpid())), ec);
    });
    reopen();
  }
  void reopen() {
    store.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
    fs::create_directories(dir);
    store = store::Store::open(dir / "state");
    store::Campaign c;
    c.key = "baseline_1K";
    c.name = "baseline";
    c.kind = "baseline";
    c.metric = "val_loss";
    c.goal = store::Goal::minimize;
    c.executor = "local";
    c.state = store::CampaignState::active;
    campaign_id = store->insert_campaign(c);
    runs = 0;
  }
  store::Run new_run() {
    if (++runs > k_runs_per_store) {
      reopen();
      ++runs;
    }
    store::Run run;
    run.campaign_id = campaign_id;
    run.arm = "baseline";
    run.seed = runs;
    run.phase = "initial";
    run.state = store::RunState::running;
    run.log_path = (dir / "run.log").string();
    std::error_code ec;
    fs::remove(run.log_path, ec);
    run.id = store->insert_run(run);
    return run;
  }
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Bench* bench = [] {
    spdlog::set_level(spdlog::level::off);
    return new Bench();
  }();
  std::string_view input{reinterpret_cast<const char*>(data), size};
  seedrun::fuzz::Splitter splitter(input);
  auto pattern = seedrun::fuzz::pattern_for(input);
  std::string text = seedrun::fuzz::expand(input);

  track::LogScanner whole(pattern);
  whole.feed(text);
  whole.finish();
  std::vector<track::ScannedValue> expected = whole.take();
  static const auto second = std::make_shared<const config::MetricPattern>(config::default_metric_pattern("loss"));
  track::LogScanner whole_second(second);
  whole_second.feed(text);
  whole_second.finish();
  std::vector<track::ScannedValue> expected_second = whole_second.take();
  const std::vector<track::LogMetric> metrics{{"val_loss", pattern, true}, {"loss", second, false}};

  store::Run run = bench->new_run();
  size_t pieces = 2 + splitter.next() % 2;
  size_t at = 0;
  for (size_t i = 0; i < pieces; ++i) {
    size_t n = i + 1 == pieces ? text.size() - at : std::min(text.size() - at, splitter.next());
    seedrun::fuzz::write_file(run.log_path, std::string_view(text).substr(at, n), true);
    at += n;
    track::FollowResult r = track::follow_log(*bench->store, run, metrics, i + 1 == pieces);
    SEEDRUN_FUZZ_CHECK(!r.lost);
    SEEDRUN_FUZZ_CHECK(run.log_offset >= 0 && static_cast<size_t>(run.log_offset) <= at);
  }
  auto stored = bench->store->metric_points(run.id, "val_loss");
  SEEDRUN_FUZZ_CHECK(stored.size() == expected.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    SEEDRUN_FUZZ_CHECK(stored[i].step == expected[i].step);
    SEEDRUN_FUZZ_CHECK(seedrun::fuzz::same_value(stored[i].value, expected[i].value));
  }
  auto stored_second = bench->store->metric_points(run.id, "loss");
  SEEDRUN_FUZZ_CHECK(stored_second.size() == expected_second.size());
  for (size_t i = 0; i < stored_second.size(); ++i) {
    SEEDRUN_FUZZ_CHECK(stored_second[i].step == expected_second[i].step);
    SEEDRUN_FUZZ_CHECK(seedrun::fuzz::same_value(stored_second[i].value, expected_second[i].value));
  }
  auto reread = bench->store->run(run.id);
  SEEDRUN_FUZZ_CHECK(reread && reread->log_done && reread->log_offset == run.log_offset);
  return 0;
}
