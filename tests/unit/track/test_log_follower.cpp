// follow_log against a real store in a temp directory: a line that cannot be read never stops
// the reading, the offset moves past it and the run's warning says where it was.
#include "seedrun/config/config.hpp"
#include "seedrun/track/log_follower.hpp"
#include "seedrun/track/log_scanner.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

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
    c.goal = store::Goal::minimize;
    c.executor = "local";
    c.state = store::CampaignState::active;
    c.id = store->insert_campaign(c);
    run.campaign_id = c.id;
    run.arm = "baseline";
    run.seed = 4294967301LL;
    run.phase = "initial";
    run.state = store::RunState::running;
    run.log_path = (dir / "run.log").string();
    run.id = store->insert_run(run);
  }
  ~Fixture() { fs::remove_all(dir); }
  void append(const std::string& text) const { std::ofstream(run.log_path, std::ios::app | std::ios::binary) << text; }
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

TEST_CASE("a log of more than 8 MiB, read and stored on two threads, gives the points and offset of one") {
  Fixture f;
  std::string text;
  for (int i = 0; i < 300000; ++i) {
    text += fmt::format("step {} val_loss: {} | some padding to pass the pipeline's 8 MiB\n", i, 2.0 + i * 1e-6);
  }
  REQUIRE(text.size() > (8u << 20));
  f.append(text + "step 300000 val_loss: 1.");
  // When the log is followed while the run is live (the last line is not complete yet)
  auto r = f.follow();
  // Then every complete line's value is stored once, in order, with the offset after the last
  CHECK(r.new_points == 300000);
  CHECK(r.last_value == doctest::Approx(2.0 + 299999 * 1e-6));
  auto points = f.store->metric_points(f.run.id, "val_loss");
  REQUIRE(points.size() == 300000);
  for (size_t i = 0; i < points.size(); i += 9973) {
    CHECK(points[i].step == std::optional<long long>(static_cast<long long>(i)));
  }
  CHECK(f.store->run(f.run.id)->log_offset == static_cast<long long>(text.size()));
  CHECK(f.run.log_offset == static_cast<long long>(text.size()));
  // And the rest of the last line is read when it arrives
  f.append("5\n");
  auto more = f.follow(true);
  CHECK(more.new_points == 1);
  auto all = f.store->metric_points(f.run.id, "val_loss");
  REQUIRE(all.size() == 300001);
  CHECK(all.back().value == 1.5);
}

TEST_CASE("after a read the run holds what the store holds (offset, identity, last value): no read back needed") {
  Fixture f;
  f.append("val_loss: 2.5\nval_loss: 2.25\n");
  f.follow();
  auto stored = f.store->run(f.run.id);
  REQUIRE(stored);
  CHECK(f.run.final_metric == std::optional<double>(2.25));
  CHECK(stored->final_metric == f.run.final_metric);
  CHECK(stored->log_offset == f.run.log_offset);
  CHECK(stored->log_identity == f.run.log_identity);

  SUBCASE("nothing new: nothing read, nothing changes") {
    auto r = f.follow();
    CHECK(r.new_points == 0);
    CHECK_FALSE(r.warning);
    CHECK(f.run.final_metric == std::optional<double>(2.25));
    CHECK(f.store->run(f.run.id)->log_offset == stored->log_offset);
  }
  SUBCASE("a partial line is not a value until its end arrives, then it is read once") {
    f.append("val_loss: 1.");
    CHECK(f.follow().new_points == 0);
    CHECK(f.run.log_offset == stored->log_offset);
    f.append("75\n");
    auto r = f.follow();
    CHECK(r.new_points == 1);
    CHECK(f.run.final_metric == std::optional<double>(1.75));
    CHECK(f.store->run(f.run.id)->final_metric == std::optional<double>(1.75));
  }
  SUBCASE("the log replaced by one without a value yet: the last value is forgotten, here and in the store") {
    std::ofstream(f.run.log_path + ".new") << "starting\n"; // another inode (both exist at once)
    fs::rename(f.run.log_path + ".new", f.run.log_path);
    auto r = f.follow();
    CHECK(r.lost);
    CHECK_FALSE(f.run.final_metric);
    CHECK_FALSE(f.store->run(f.run.id)->final_metric);
  }
}
