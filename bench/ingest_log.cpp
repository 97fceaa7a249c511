// bench/ingest.sh's driver: seedrun's log ingest, timed. One run whose log is FILE, in a fresh
// store in a temp directory; track::follow_log reads it from offset 0 as a finished run's log
// (read in 1 MiB chunks, lines scanned with the metric pattern, the points stored in SQLite in
// one transaction with the new offset), exactly what `seedrun refresh` does per log.
//   ingest_log FILE [PATTERN]      prints: points=N last=X seconds=S
//   ingest_log --scan-only FILE    the same reads and scanner, nothing stored (for the breakdown)
#include "seedrun/config/config.hpp"
#include "seedrun/config/metric_pattern.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/track/log_follower.hpp"
#include "seedrun/track/log_scanner.hpp"

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string_view>
#include <unistd.h>

namespace {

int scan_only(const char* path) {
  auto t0 = std::chrono::steady_clock::now();
  std::ifstream in(path, std::ios::binary);
  std::string buf(1 << 20, '\0');
  seedrun::track::LogScanner scanner(seedrun::config::MetricSpec{}.pattern);
  size_t values = 0;
  double last = -1;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto got = in.gcount();
    if (got <= 0) {
      break;
    }
    scanner.feed(std::string_view(buf.data(), static_cast<size_t>(got)));
    for (const auto& v : scanner.take()) {
      ++values;
      last = v.value;
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("values=%zu last=%.4f seconds=%.3f\n", values, last, s);
  return values > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: ingest_log FILE [PATTERN]\n");
    return 2;
  }
  if (std::string_view(argv[1]) == "--scan-only" && argc > 2) {
    return scan_only(argv[2]);
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
    c.executor = "local";
    c.id = store->insert_campaign(c);
    store::Run run;
    run.campaign_id = c.id;
    run.arm = "baseline";
    run.seed = 42;
    run.phase = "initial"; // state, goal: the defaults (follow_log reads it as finished: final_read)
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
