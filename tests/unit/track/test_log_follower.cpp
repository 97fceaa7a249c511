// follow_log against a real store in a temp directory: a line that cannot be read never stops
// the reading, the offset moves past it and the run's warning says where it was.
#include "seedrun/config/config.hpp"
#include "seedrun/track/log_follower.hpp"
#include "seedrun/track/log_scanner.hpp"

#include <doctest/doctest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include <fmt/format.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

struct Fixture {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-follower-{}-{}", ::getpid(), rand());
  std::unique_ptr<store::Store> store;
  store::Run run;
  std::shared_ptr<const config::MetricPattern> pattern;

  explicit Fixture(const std::string& pat = config::MetricSpec{}.pattern)
    : pattern(std::make_shared<const config::MetricPattern>(pat)) {
    fs::create_directories(dir);
    store = store::Store::open(dir / "state");
    store::Campaign c;
    c.key = "baseline_1K";
    c.name = "baseline";
    c.kind = "baseline";
    c.metric = "val_loss";
    c.goal = "minimize";
    c.executor = "local";
    c.state = "ACTIVE";
    c.id = store->insert_campaign(c);
    run.campaign_id = c.id;
    run.arm = "baseline";
    run.seed = 4294967301LL;
    run.phase = "initial";
    run.state = store::run_state::running;
    run.log_path = (dir / "run.log").string();
    run.id = store->insert_run(run);
  }
  ~Fixture() { fs::remove_all(dir); }
  void append(const std::string& text) const {
    std::ofstream(run.log_path, std::ios::app | std::ios::binary) << text;
  }
  track::FollowResult follow(bool final_read = false) {
    return track::follow_log(*store, run, "val_loss", pattern, final_read);
  }
};

} // namespace

TEST_CASE("a 50,000-digit line is skipped with a warning, the offset moves past it and later lines are read") {
  Fixture f;
  std::string first = "val_loss: 2.5\nval_loss: " + std::string(50000, '9') + "\nval_loss: 1.5\n";
  f.append(first);
  auto r = f.follow();
  CHECK(r.new_points == 2);
  CHECK(r.last_value == std::optional<double>(1.5));
  REQUIRE(r.warning);
  CHECK(*r.warning == fmt::format("log {}: 1 line skipped, the first at byte 14: a value of 50000 characters is "
                                  "not a number",
                                  f.run.log_path));
  CHECK(f.run.log_offset == static_cast<long long>(first.size()));
  CHECK(f.store->run(f.run.id)->log_offset == static_cast<long long>(first.size()));
  CHECK(f.store->run(f.run.id)->seed == 4294967301LL);

  f.append("val_loss: 1.25\n");
  auto again = f.follow(true);
  CHECK(again.new_points == 1);
  CHECK_FALSE(again.warning);
  CHECK(f.store->metric_points(f.run.id, "val_loss").size() == 3);
}

TEST_CASE("a line longer than the limit is skipped and the offset of the warning counts from the file start") {
  Fixture f(".*val_loss: ([0-9.]+)");
  f.append("val_loss: 3\n");
  f.follow();
  std::string huge = "val_loss: 7 " + std::string(2 * track::LogScanner::k_max_line, 'x') + "\n";
  f.append(huge + "val_loss: 0.5\n");
  auto r = f.follow();
  CHECK(r.new_points == 1);
  CHECK(r.last_value == std::optional<double>(0.5));
  REQUIRE(r.warning);
  CHECK(r.warning->find("1 line skipped, the first at byte 12: a line of") != std::string::npos);
  CHECK(f.run.log_offset == static_cast<long long>(12 + huge.size() + 14));
}

TEST_CASE("a log of many values is stored in batches, each with its offset, and none is lost or doubled") {
  Fixture f;
  std::string text;
  for (int i = 0; i < 150000; ++i) {
    text += fmt::format("step {} val_loss: {}\n", i, 2.0 + i * 1e-6);
  }
  f.append(text);
  auto r = f.follow(true);
  CHECK(r.new_points == 150000);
  CHECK(r.last_value == doctest::Approx(2.0 + 149999 * 1e-6));
  auto points = f.store->metric_points(f.run.id, "val_loss");
  REQUIRE(points.size() == 150000);
  CHECK(points[70000].step == std::optional<long long>(70000));
  CHECK(f.store->run(f.run.id)->log_offset == static_cast<long long>(text.size()));
}

TEST_CASE("a FIFO or a directory planted at the log's path is refused with a warning, without blocking") {
  Fixture f;
  SUBCASE("a FIFO (opening it for reading would wait for a writer forever)") {
    REQUIRE(::mkfifo(f.run.log_path.c_str(), 0600) == 0);
  }
  SUBCASE("a directory") {
    fs::create_directories(f.run.log_path);
  }
  auto r = f.follow(true);
  CHECK(r.new_points == 0);
  REQUIRE(r.warning);
  CHECK(r.warning->find("is not a regular file") != std::string::npos);
  CHECK(f.store->run(f.run.id)->log_done);
}
