// follow_sources and the many-metric follow_log against a real store in a temp directory: each
// metric of a run is read from its own source, incrementally, stored under its name, and a log
// that goes back forgets only the log's points.
#include "event_writer.hpp"
#include "seedrun/config/config.hpp"
#include "seedrun/track/log_follower.hpp"
#include "seedrun/track/source_follower.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fstream>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

struct Fixture {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-sources-{}-{}", ::getpid(), rand());
  std::unique_ptr<store::Store> store;
  store::Run run;
  config::MetricSpec reward; // read from <output_dir>/metrics.jsonl
  std::vector<track::LogMetric> log_metrics;

  explicit Fixture(const std::string& primary = "val_loss") {
    fs::create_directories(dir / "out");
    store = store::Store::open(dir / "state");
    store::Campaign c;
    c.key = "baseline_1K";
    c.name = "baseline";
    c.kind = "baseline";
    c.metric = primary;
    c.executor = "local";
    c.id = store->insert_campaign(c);
    run.campaign_id = c.id;
    run.arm = "baseline";
    run.seed = 7;
    run.phase = "initial";
    run.state = store::RunState::running;
    run.log_path = (dir / "run.log").string();
    run.output_dir = (dir / "out").string();
    run.id = store->insert_run(run);
    reward.name = "reward";
    reward.source = config::MetricSourceKind::jsonl;
    reward.file = "metrics.jsonl";
    reward.key = "reward";
    auto pattern = [](const std::string& name) {
      return std::make_shared<const config::MetricPattern>(name + ":\\s*([0-9.]+)");
    };
    log_metrics = {{"val_loss", pattern("val_loss"), primary == "val_loss"},
                   {"train_loss", pattern("train_loss"), false}};
  }
  ~Fixture() { fs::remove_all(dir); }
  void log(const std::string& text) const { std::ofstream(run.log_path, std::ios::app | std::ios::binary) << text; }
  void jsonl(const std::string& text) const {
    std::ofstream(dir / "out" / "metrics.jsonl", std::ios::app | std::ios::binary) << text;
  }
  track::SourceFollowResult sources(bool final_read = false) {
    return track::follow_sources(*store, run, {&reward}, store->find_campaign("baseline_1K")->metric, final_read);
  }
  std::vector<double> values(const std::string& name) {
    std::vector<double> out;
    for (const auto& p : store->metric_points(run.id, name)) {
      out.push_back(p.value);
    }
    return out;
  }
};

} // namespace

TEST_CASE("two patterns on one log are read in one pass, each stored under its name, the primary's last value kept") {
  Fixture f;
  f.log("Step 1 | val_loss: 2.5 | train_loss: 3.0\nStep 2 | val_loss: 2.25 | train_loss: 2.75\n");
  auto r = track::follow_log(*f.store, f.run, f.log_metrics, false);
  CHECK(r.new_points == 4);
  CHECK(r.last_value == std::optional<double>(2.25));
  CHECK(f.values("val_loss") == std::vector<double>{2.5, 2.25});
  CHECK(f.values("train_loss") == std::vector<double>{3.0, 2.75});
  CHECK(f.store->metric_points(f.run.id, "train_loss")[1].step == std::optional<long long>(2));
  // When one more line arrives, only it is read
  f.log("Step 3 | val_loss: 2.0 | train_loss: 2.5\n");
  auto again = track::follow_log(*f.store, f.run, f.log_metrics, true);
  CHECK(again.new_points == 2);
  CHECK(f.values("train_loss") == std::vector<double>{3.0, 2.75, 2.5});
  CHECK(f.store->run(f.run.id)->final_metric == std::optional<double>(2.0));
  CHECK(f.store->run(f.run.id)->log_done);
}

TEST_CASE("a JSON-lines metric is read from its stored cursor: nothing is read twice across refreshes") {
  Fixture f;
  // Given no file yet (the trainer has not written it), a read stores nothing and warns of nothing
  auto none = f.sources();
  CHECK(none.new_points == 0);
  CHECK_FALSE(none.warning);
  f.jsonl("{\"step\": 10, \"reward\": 0.5}\n{\"step\": 20, \"reward\": 0.75}\n{\"step\": 30, \"rew");
  auto first = f.sources();
  CHECK(first.new_points == 2);
  CHECK_FALSE(first.primary_last); // reward is not the primary
  CHECK(f.values("reward") == std::vector<double>{0.5, 0.75});
  REQUIRE(f.store->metric_cursor(f.run.id, "reward"));
  // When the partial line is completed and another follows, the next refresh reads only those
  f.jsonl("ard\": 1.0}\n{\"step\": 40, \"reward\": 1.25}\n");
  auto second = f.sources();
  CHECK(second.new_points == 2);
  CHECK(f.values("reward") == std::vector<double>{0.5, 0.75, 1.0, 1.25});
  CHECK(f.store->metric_points(f.run.id, "reward")[3].step == std::optional<long long>(40));
  // And a refresh with nothing new stores nothing
  CHECK(f.sources(true).new_points == 0);
  CHECK(f.values("reward").size() == 4);
}

TEST_CASE("a log read again from the start forgets the log's points but keeps those read from files") {
  Fixture f;
  f.log("val_loss: 2.5\nval_loss: 2.0\n");
  f.jsonl("{\"reward\": 0.5}\n");
  f.sources();
  track::follow_log(*f.store, f.run, f.log_metrics, false);
  // When the log is truncated and rewritten
  fs::resize_file(f.run.log_path, 0);
  f.log("val_loss: 1.5\n");
  auto r = track::follow_log(*f.store, f.run, f.log_metrics, false);
  REQUIRE(r.warning);
  CHECK(r.warning->find("was truncated") != std::string::npos);
  // Then the log's metric holds the new value only and the file metric is untouched
  CHECK(f.values("val_loss") == std::vector<double>{1.5});
  CHECK(f.values("reward") == std::vector<double>{0.5});
}

TEST_CASE("a primary metric read from a file gives the run's final value; a truncated file is read again") {
  Fixture f("reward");
  f.log_metrics[0].primary = false;
  f.jsonl("{\"reward\": 0.5}\n{\"reward\": 0.625}\n");
  auto r = f.sources();
  CHECK(r.primary_last == std::optional<double>(0.625));
  track::follow_log(*f.store, f.run, f.log_metrics, false);
  CHECK(f.store->run(f.run.id)->final_metric == std::optional<double>(0.625));
  // When the file is replaced by a shorter one (a restart), its points start over
  fs::resize_file(f.dir / "out" / "metrics.jsonl", 0);
  f.jsonl("{\"reward\": 0.25}\n");
  auto again = f.sources(true);
  CHECK(again.primary_reset);
  CHECK(again.primary_last == std::optional<double>(0.25));
  CHECK(f.values("reward") == std::vector<double>{0.25});
  CHECK(f.store->run(f.run.id)->final_metric == std::optional<double>(0.25));
}

TEST_CASE("with every metric read from files, the log is not scanned and a final read marks it done") {
  Fixture f("reward");
  f.log("val_loss: 2.5\n");
  auto r = track::follow_log(*f.store, f.run, {}, true);
  CHECK(r.new_points == 0);
  CHECK(f.values("val_loss").empty());
  CHECK(f.store->run(f.run.id)->log_done);
}

TEST_CASE("TensorBoard and trainer_state.json metrics are followed across refreshes, each point stored once") {
  Fixture f;
  config::MetricSpec grad;
  grad.name = "grad_norm";
  grad.source = config::MetricSourceKind::tensorboard;
  grad.tag = "train/grad_norm";
  grad.dir = "tb";
  config::MetricSpec eval;
  eval.name = "eval_loss";
  eval.source = config::MetricSourceKind::hf_trainer_state;
  eval.key = "eval_loss";
  fs::create_directories(f.dir / "out" / "tb");
  auto events = f.dir / "out" / "tb" / "events.out.tfevents.1700000000.host";
  auto write_events = [&](const std::string& bytes) {
    std::ofstream(events, std::ios::app | std::ios::binary) << bytes;
  };
  auto state = [&](const std::string& history) {
    std::ofstream(f.dir / "out" / "trainer_state.json", std::ios::trunc) << "{\"log_history\": [" << history << "]}";
  };
  auto follow = [&](bool final_read = false) {
    return track::follow_sources(*f.store, f.run, {&grad, &eval}, "val_loss", final_read);
  };
  write_events(test::record(test::file_version_event()) +
               test::record(test::event(10, {test::simple_value("train/grad_norm", 1.5f)})) +
               test::record(test::event(20, {test::simple_value("train/grad_norm", 1.25f)})));
  state(R"({"step": 100, "eval_loss": 2.5}, {"step": 150, "loss": 2.0})");
  auto first = follow();
  CHECK(first.new_points == 3);
  CHECK_FALSE(first.warning);
  CHECK(f.values("grad_norm") == std::vector<double>{1.5, 1.25});
  CHECK(f.values("eval_loss") == std::vector<double>{2.5});
  // When the trainer writes one more event and saves a longer state
  write_events(test::record(test::event(30, {test::simple_value("train/grad_norm", 0.75f)})));
  state(R"({"step": 100, "eval_loss": 2.5}, {"step": 150, "loss": 2.0}, {"step": 200, "eval_loss": 2.25})");
  auto second = follow(true);
  // Then only the new points are stored
  CHECK(second.new_points == 2);
  CHECK(f.values("grad_norm") == std::vector<double>{1.5, 1.25, 0.75});
  CHECK(f.store->metric_points(f.run.id, "grad_norm")[2].step == std::optional<long long>(30));
  CHECK(f.values("eval_loss") == std::vector<double>{2.5, 2.25});
  CHECK(follow(true).new_points == 0);
}
