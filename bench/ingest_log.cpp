// bench/suite.py's driver: seedrun's log ingest, timed. A store prepared beforehand holds one
// run whose log is FILE; track::follow_log reads it from offset 0 as a finished run's log (read
// in 1 MiB chunks, lines scanned with the metric pattern, the points stored in SQLite in one
// transaction with the new offset), exactly what `seedrun refresh` does per log.
//   ingest_log --prepare DIR FILE     creates the store in DIR (not timed)
//   ingest_log --store DIR [PATTERN]  opens it and reads the log; prints: points=N last=X seconds=S
//   ingest_log --scan-only FILE       the same reads and scanner, nothing stored (for the breakdown)
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

// The store a refresh finds: created once, with the run whose log is FILE (not timed: a
// refresh does not create the store; creating one costs a dozen fsyncs, more than a small log).
int prepare(const std::filesystem::path& dir, const char* log) {
  using namespace seedrun;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
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
  run.log_path = std::filesystem::absolute(log).string();
  store->insert_run(run);
  return 0;
}

// One refresh's read of the run's log: open the store, follow the log from offset 0, commit.
int ingest(const std::filesystem::path& dir, const char* pattern_text) {
  using namespace seedrun;
  auto t0 = std::chrono::steady_clock::now();
  auto store = store::Store::open(dir);
  auto c = store->find_campaign("baseline_1M");
  if (!c) {
    std::fprintf(stderr, "ingest_log: no prepared store in %s\n", dir.c_str());
    return 2;
  }
  auto runs = store->runs(c->id);
  auto pattern =
      std::make_shared<const config::MetricPattern>(pattern_text ? pattern_text : config::MetricSpec{}.pattern);
  auto r = track::follow_log(*store, runs.at(0), "val_loss", pattern, true);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("points=%zu last=%.4f seconds=%.3f%s%s\n", r.new_points, r.last_value.value_or(-1), s,
              r.warning ? " warning=" : "", r.warning ? r.warning->c_str() : "");
  return r.new_points > 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) {
  std::string_view cmd = argc > 1 ? argv[1] : "";
  if (cmd == "--scan-only" && argc > 2) {
    return scan_only(argv[2]);
  }
  if (cmd == "--prepare" && argc > 3) {
    return prepare(argv[2], argv[3]);
  }
  if (cmd == "--store" && argc > 2) {
    return ingest(argv[2], argc > 3 ? argv[3] : nullptr);
  }
  std::fprintf(stderr, "usage: ingest_log --prepare DIR FILE | --store DIR [PATTERN] | --scan-only FILE\n");
  return 2;
}
