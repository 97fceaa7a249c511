#include "seedrun/store/migrations.hpp"
#include "seedrun/store/store.hpp"

#include <algorithm>
#include <cmath>
#include <doctest/doctest.h>
#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun::store;

namespace {

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() / ("seedrun-store-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
    fs::remove_all(path);
  }
  ~TempDir() { fs::remove_all(path); }
};

Campaign sample_campaign() {
  Campaign c;
  c.key = "baseline_1M";
  c.name = "baseline";
  c.kind = "baseline";
  c.command_key = "k";
  c.command = {"python", "t.py", "{seed}"};
  c.train_tokens = 1000000;
  c.metric = "val_loss";
  c.goal = Goal::minimize;
  c.executor = "local";
  c.state = CampaignState::active;
  c.created_at = c.updated_at = *seedrun::util::parse_iso8601("2026-11-23T10:00:00Z");
  return c;
}

} // namespace

TEST_CASE("a new store is migrated to the latest schema version") {
  TempDir t;
  auto s = Store::open(t.path);
  CHECK(s->db().user_version() == latest_schema_version());
  CHECK(s->journal_mode() == "wal");
}

TEST_CASE("campaigns and runs round-trip, and the final metric is the last point") {
  TempDir t;
  auto s = Store::open(t.path);
  auto c = sample_campaign();
  c.id = s->insert_campaign(c);
  Run r;
  r.campaign_id = c.id;
  r.arm = "baseline";
  r.seed = 42;
  r.phase = "initial";
  r.state = RunState::planned;
  r.log_path = "/tmp/x.log";
  r.output_dir = "/tmp/ck";
  r.id = s->insert_run(r);
  s->append_metrics(r.id, {{10, "val_loss", 3.5}, {20, "val_loss", 3.25}}, 100, "1:2");
  auto back = s->run(r.id);
  REQUIRE(back);
  CHECK(back->final_metric == std::optional<double>(3.25));
  CHECK(back->log_offset == 100);
  CHECK(back->log_identity == std::optional<std::string>("1:2"));
  CHECK(s->find_campaign("baseline_1M")->command == std::vector<std::string>{"python", "t.py", "{seed}"});
  CHECK(s->find_campaign("baseline")->id == c.id);
  CHECK(s->find_baseline("k", 1000000)->id == c.id);
  CHECK_FALSE(s->find_baseline("other", 1000000));
}

TEST_CASE("non-finite metric values survive the round trip") {
  TempDir t;
  auto s = Store::open(t.path);
  auto c = sample_campaign();
  c.id = s->insert_campaign(c);
  Run r;
  r.campaign_id = c.id;
  r.arm = "baseline";
  r.phase = "initial";
  r.state = RunState::running;
  r.id = s->insert_run(r);
  s->append_metrics(r.id, {{std::nullopt, "val_loss", std::nan("")}, {std::nullopt, "val_loss", INFINITY}}, 10,
                    std::nullopt);
  auto pts = s->metric_points(r.id, "val_loss");
  REQUIRE(pts.size() == 2);
  CHECK(std::isnan(pts[0].value));
  CHECK(std::isinf(pts[1].value));
  s->reset_metrics(r.id);
  CHECK(s->metric_points(r.id, "val_loss").empty());
  CHECK(s->run(r.id)->log_offset == 0);
}

TEST_CASE("a failing transaction leaves nothing behind") {
  TempDir t;
  auto s = Store::open(t.path);
  CHECK_THROWS(s->transaction([&] {
    s->insert_campaign(sample_campaign());
    throw std::runtime_error("crash in the middle");
  }));
  CHECK(s->campaigns().empty());
}

TEST_CASE("superseded attempts are hidden unless asked for") {
  TempDir t;
  auto s = Store::open(t.path);
  auto c = sample_campaign();
  c.id = s->insert_campaign(c);
  Run r;
  r.campaign_id = c.id;
  r.arm = "baseline";
  r.seed = 7;
  r.phase = "initial";
  r.state = RunState::cancelled;
  r.id = s->insert_run(r);
  s->supersede_run(r.id);
  r.attempt = 2;
  r.state = RunState::planned;
  s->insert_run(r);
  CHECK(s->runs(c.id).size() == 1);
  CHECK(s->runs(c.id).front().attempt == 2);
  CHECK(s->runs(c.id, true).size() == 2);
}

TEST_CASE("a store from a newer seedrun is refused, not downgraded") {
  TempDir t;
  {
    auto s = Store::open(t.path);
    s->db().set_user_version(latest_schema_version() + 1);
  }
  CHECK_THROWS_WITH_AS(Store::open(t.path), doctest::Contains("newer seedrun"), seedrun::Error);
}

TEST_CASE("on a network filesystem the store uses a rollback journal") {
  TempDir t;
  ::setenv("SEEDRUN_FORCE_FSTYPE", "nfs", 1);
  auto s = Store::open(t.path);
  ::unsetenv("SEEDRUN_FORCE_FSTYPE");
  CHECK(s->journal_mode() == "delete");
  CHECK(s->filesystem() == "nfs");
}

TEST_CASE("a store from before identities migrates, keeping its campaigns, which have no identity") {
  TempDir t;
  long long id = 0;
  {
    auto s = Store::open(t.path);
    id = s->insert_campaign(sample_campaign());
    // Back to schema v2 as an older seedrun left it.
    s->db().exec("DROP INDEX campaigns_by_identity; ALTER TABLE campaigns DROP COLUMN identity_key; "
                 "ALTER TABLE campaigns DROP COLUMN identity; ALTER TABLE campaigns DROP COLUMN origin; "
                 "ALTER TABLE runs DROP COLUMN output_dir_preexisted; ALTER TABLE runs DROP COLUMN cancel_cause;");
    s->db().set_user_version(2);
  }
  auto s = Store::open(t.path);
  CHECK(s->db().user_version() == latest_schema_version());
  auto c = s->find_campaign_by_id(id);
  REQUIRE(c);
  CHECK_FALSE(c->identity_key);
  CHECK_FALSE(c->identity);
  CHECK_FALSE(c->origin);
  CHECK(s->find_baseline("k", 1000000)->id == id); // the old command key still finds it
}

TEST_CASE("identities, origins and whether a run's directory pre-existed round-trip") {
  TempDir t;
  auto s = Store::open(t.path);
  auto c = sample_campaign();
  c.identity_key = "0123456789abcdef";
  c.identity = R"({"key":"0123456789abcdef"})";
  c.origin = "imported:/r/baseline_variance_1M.json";
  c.id = s->insert_campaign(c);
  auto back = s->find_baseline_by_identity("0123456789abcdef", 1000000);
  REQUIRE(back);
  CHECK(back->id == c.id);
  CHECK(back->identity == c.identity);
  CHECK(back->origin == c.origin);
  CHECK_FALSE(s->find_baseline_by_identity("0123456789abcdef", 500000));
  s->set_campaign_identity(c.id, "fedcba9876543210", "{}");
  CHECK(s->find_baseline_by_identity("fedcba9876543210", 1000000)->id == c.id);
  Run r;
  r.campaign_id = c.id;
  r.arm = "baseline";
  r.seed = 42;
  r.phase = "initial";
  r.state = RunState::planned;
  r.log_path = "/l";
  r.output_dir = "/o";
  r.output_dir_preexisted = true;
  auto with = s->insert_run(r);
  r.seed = 137;
  r.output_dir_preexisted = std::nullopt;
  auto without = s->insert_run(r);
  CHECK(s->run(with)->output_dir_preexisted == std::optional<bool>(true));
  CHECK_FALSE(s->run(without)->output_dir_preexisted);
}

TEST_CASE("opening a store already at the current schema writes nothing (read-only commands do not fsync)") {
  TempDir t;
  { Store::open(t.path); } // created and migrated
  struct stat before {};
  REQUIRE(::stat((t.path / "seedrun.db").c_str(), &before) == 0);
  {
    auto s = Store::open(t.path);
    CHECK(s->campaigns().empty());
  }
  struct stat after {};
  REQUIRE(::stat((t.path / "seedrun.db").c_str(), &after) == 0);
  CHECK(after.st_mtim.tv_sec == before.st_mtim.tv_sec);
  CHECK(after.st_mtim.tv_nsec == before.st_mtim.tv_nsec);
  CHECK(after.st_size == before.st_size);
}

TEST_CASE("each_waiting_run hands over the current attempts Slurm has not finished, of every campaign") {
  TempDir t;
  auto s = Store::open(t.path);
  std::vector<long long> ids;
  for (int k = 0; k < 2; ++k) {
    auto c = sample_campaign();
    c.key += std::to_string(k);
    c.id = s->insert_campaign(c);
    for (int seed = 1; seed <= 7; ++seed) {
      Run r;
      r.campaign_id = c.id;
      r.arm = "baseline";
      r.seed = seed;
      r.phase = "initial";
      r.log_path = "/tmp/x.log";
      r.output_dir = "/tmp/ck";
      ids.push_back(s->insert_run(r));
    }
  }
  // Given runs in every state, and a superseded RUNNING attempt
  const char* states[] = {"PLANNED", "SUBMITTING", "PENDING", "RUNNING", "REQUEUED", "SUSPENDED", "COMPLETED"};
  for (size_t i = 0; i < ids.size(); ++i) {
    s->db().exec("UPDATE runs SET state = '" + std::string(states[i % 7]) + "' WHERE id = " + std::to_string(ids[i]));
  }
  s->db().exec("UPDATE runs SET superseded = 1 WHERE id = " + std::to_string(ids[10]));
  // Then only PENDING, RUNNING, REQUEUED and SUSPENDED current attempts come back, each once
  std::vector<long long> got;
  s->each_waiting_run([&](Run&& r) { got.push_back(r.id); });
  std::sort(got.begin(), got.end());
  CHECK(got == std::vector<long long>{ids[2], ids[3], ids[4], ids[5], ids[9], ids[11], ids[12]});
  CHECK(s->count_waiting_runs() == 7);
}

TEST_CASE("a file source's points and cursor are stored together; a reset forgets that metric's points only") {
  TempDir t;
  auto s = Store::open(t.path);
  auto c = sample_campaign();
  c.id = s->insert_campaign(c);
  Run r;
  r.campaign_id = c.id;
  r.arm = "baseline";
  r.seed = 42;
  r.phase = "initial";
  r.state = RunState::running;
  r.log_path = "/tmp/x.log";
  r.output_dir = "/tmp/ck";
  r.id = s->insert_run(r);
  CHECK_FALSE(s->metric_cursor(r.id, "reward"));
  s->append_metrics(r.id, {{1, "val_loss", 3.5}}, 10, "1:2");
  s->append_source_points(r.id, "reward", {{1, "reward", 0.5}, {2, "reward", 0.75}}, "{\"v\":1}", false);
  CHECK(s->metric_cursor(r.id, "reward") == std::optional<std::string>("{\"v\":1}"));
  s->append_source_points(r.id, "reward", {{3, "reward", 1.0}}, "{\"v\":2}", false);
  CHECK(s->metric_cursor(r.id, "reward") == std::optional<std::string>("{\"v\":2}"));
  CHECK(s->metric_points(r.id, "reward").size() == 3);
  // The latest value of each metric, by name
  auto latest = s->latest_metric_points(r.id);
  REQUIRE(latest.size() == 2);
  CHECK(latest[0].name == "reward");
  CHECK(latest[0].value == 1.0);
  CHECK(latest[0].step == std::optional<long long>(3));
  CHECK(latest[1].name == "val_loss");
  CHECK(latest[1].value == 3.5);
  // The log read again from the start forgets the log's points, not the file's
  s->reset_metrics(r.id);
  CHECK(s->metric_points(r.id, "val_loss").empty());
  CHECK(s->metric_points(r.id, "reward").size() == 3);
  // The file went back: its points start over with the new ones
  s->append_source_points(r.id, "reward", {{1, "reward", 0.25}}, "{\"v\":3}", true);
  auto points = s->metric_points(r.id, "reward");
  REQUIRE(points.size() == 1);
  CHECK(points[0].value == 0.25);
  CHECK_FALSE(s->run(r.id)->final_metric); // the campaign's metric (val_loss) has no point now
}

namespace {

// A campaign with one run per state of `states` (and one superseded RUNNING attempt more).
struct StatesFixture {
  TempDir t;
  std::unique_ptr<Store> s = Store::open(t.path);
  Campaign c = sample_campaign();
  std::vector<long long> ids;

  explicit StatesFixture(const std::vector<RunState>& states) {
    c.id = s->insert_campaign(c);
    for (size_t i = 0; i <= states.size(); ++i) {
      Run r;
      r.campaign_id = c.id;
      r.arm = "baseline";
      r.seed = static_cast<long long>(i + 1);
      r.phase = "initial";
      r.log_path = "/tmp/x.log";
      r.output_dir = "/tmp/ck";
      r.id = s->insert_run(r);
      r.state = i < states.size() ? states[i] : RunState::running;
      s->update_run(r);
      ids.push_back(r.id);
    }
    s->supersede_run(ids.back());
  }
  void set(size_t i, const std::string& sql) {
    s->db().exec("UPDATE runs SET " + sql + " WHERE id = " + std::to_string(ids[i]));
  }
};

} // namespace

TEST_CASE("runs_in_state, runs_after and count_runs see current attempts only, by id") {
  StatesFixture f({RunState::planned, RunState::running, RunState::planned, RunState::completed});
  std::vector<long long> planned;
  for (const auto& r : f.s->runs_in_state(f.c.id, RunState::planned)) {
    planned.push_back(r.id);
  }
  CHECK(planned == std::vector<long long>{f.ids[0], f.ids[2]});
  CHECK(f.s->runs_in_state(f.c.id, RunState::failed).empty());
  CHECK(f.s->count_runs(f.c.id) == 4);
  CHECK(f.s->count_runs(f.c.id, true) == 5);
  // Pages of 3 after id 0, then after the last of the first page: every current run once, in order
  auto first = f.s->runs_after(f.c.id, 0, 3);
  REQUIRE(first.size() == 3);
  auto second = f.s->runs_after(f.c.id, first.back().id, 3);
  REQUIRE(second.size() == 1);
  CHECK(first[0].id == f.ids[0]);
  CHECK(second[0].id == f.ids[3]);
  CHECK(f.s->runs_after(f.c.id, second.back().id, 3).empty());
  CHECK(f.s->count_waiting_runs() == 1); // the RUNNING one; the superseded RUNNING attempt is not current
}

TEST_CASE("settled: every current run ended and its log read to the end") {
  StatesFixture f({RunState::completed, RunState::failed});
  CHECK_FALSE(f.s->settled(f.c.id)); // logs not read yet (log_done 0)
  f.set(0, "log_done = 1");
  CHECK_FALSE(f.s->settled(f.c.id));
  f.set(1, "log_done = 1");
  CHECK(f.s->settled(f.c.id)); // the superseded RUNNING attempt does not count
  f.set(1, "state = 'RUNNING'");
  CHECK_FALSE(f.s->settled(f.c.id)); // log_done but still running
  for (auto unfinished : {"PLANNED", "SUBMITTING", "PENDING", "REQUEUED", "SUSPENDED"}) {
    f.set(1, std::string("state = '") + unfinished + "'");
    CHECK_MESSAGE(!f.s->settled(f.c.id), unfinished);
  }
  f.set(1, "state = 'TIMEOUT'");
  CHECK(f.s->settled(f.c.id));
}

TEST_CASE("has_interrupted_runs: CANCELLED by a signal or as an orphan, not by the user or fail_fast") {
  StatesFixture f({RunState::completed, RunState::cancelled});
  for (auto [cause, interrupted] : std::vector<std::pair<const char*, bool>>{
           {"user_cancel", false}, {"fail_fast", false}, {"external", false}, {"signal", true}, {"orphaned", true}}) {
    f.set(1, std::string("cancel_cause = '") + cause + "'");
    CHECK_MESSAGE(f.s->has_interrupted_runs(f.c.id) == interrupted, cause);
  }
  f.set(1, "state = 'FAILED'"); // the cause alone is not enough
  CHECK_FALSE(f.s->has_interrupted_runs(f.c.id));
}

TEST_CASE("update_scheduler_state writes only while the run is still in the expected state") {
  StatesFixture f({RunState::running});
  auto run = *f.s->run(f.ids[0]);
  run.log_offset = 999; // not a scheduler column: never written by this call
  auto answer = run;
  answer.state = RunState::completed;
  answer.exit_code = 0;
  answer.wall_time = 12.5;
  answer.ended_at = *seedrun::util::parse_iso8601("2026-11-23T10:01:40Z");
  // Given a cancel from another terminal in between
  f.set(0, "state = 'CANCELLED', cancel_cause = 'user_cancel'");
  CHECK_FALSE(f.s->update_scheduler_state(answer, RunState::running));
  CHECK(f.s->run(f.ids[0])->state == RunState::cancelled);
  // Without one, the answer is written, and only its columns
  f.set(0, "state = 'RUNNING', cancel_cause = NULL");
  CHECK(f.s->update_scheduler_state(answer, RunState::running));
  auto stored = *f.s->run(f.ids[0]);
  CHECK(stored.state == RunState::completed);
  CHECK(stored.exit_code == 0);
  CHECK(stored.wall_time == 12.5);
  CHECK(stored.ended_at == answer.ended_at);
  CHECK(stored.log_offset == 0);
  // A superseded attempt is never written
  f.set(0, "state = 'RUNNING', superseded = 1");
  CHECK_FALSE(f.s->update_scheduler_state(answer, RunState::running));
}

TEST_CASE("finish_log stores the offset and identity and marks the log read") {
  StatesFixture f({RunState::completed});
  f.s->finish_log(f.ids[0], 4096, std::string("2049:77"));
  auto stored = *f.s->run(f.ids[0]);
  CHECK(stored.log_offset == 4096);
  CHECK(stored.log_identity == std::optional<std::string>("2049:77"));
  CHECK(stored.log_done);
  CHECK(stored.state == RunState::completed);
}
