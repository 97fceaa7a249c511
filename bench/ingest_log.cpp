// bench/ingest.sh's driver: seedrun's log ingest, timed. One run whose log is FILE, in a fresh
// store in a temp directory; track::follow_log reads it from offset 0 as a finished run's log
// (read in 1 MiB chunks, lines scanned with the metric pattern, the points stored in SQLite in
// one transaction with the new offset), exactly what `seedrun refresh` does per log.
//   ingest_log FILE [PATTERN]      prints: points=N last=X seconds=S
#include "seedrun/config/config.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/track/log_follower.hpp"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ingest_log FILE [PATTERN]\n");
    return 2;
  }
  using namespace seedrun;
  auto dir = std::filesystem::temp_directory_path() / ("seedrun-ingest-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  int rc = 0;
  {
    auto store = store::Store::open(dir);
    store::Campaign c;
    c.key = "baseline_1M";
    c.name = "baseline";
    c.kind = "baseline";
    c.metric = "val_loss";
    c.goal = "minimize";
    c.executor = "local";
    c.state = "ACTIVE";
    c.id = store->insert_campaign(c);
    store::Run run;
    run.campaign_id = c.id;
    run.arm = "baseline";
    run.seed = 42;
    run.phase = "initial";
    run.state = store::run_state::completed;
    run.log_path = std::filesystem::absolute(argv[1]).string();
    run.id = store->insert_run(run);
    auto t0 = std::chrono::steady_clock::now();
    auto pattern = std::make_shared<const config::MetricPattern>(argc > 2 ? argv[2] : config::MetricSpec{}.pattern);
    auto r = track::follow_log(*store, run, "val_loss", pattern, true);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("points=%zu last=%.4f seconds=%.3f%s%s\n", r.new_points, r.last_value.value_or(-1), s,
                r.warning ? " warning=" : "", r.warning ? r.warning->c_str() : "");
    rc = r.new_points > 0 ? 0 : 1;
  }
  std::filesystem::remove_all(dir);
  return rc;
}
