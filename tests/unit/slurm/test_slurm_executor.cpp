// The Slurm executor against a recording fake SlurmClient (named as such): submission intent,
// sbatch failure, reconciliation after a crash, and the placeholder rules of sacct; then the
// one-array-at-a-time dependencies through the real client over a recording ProcessRunner.
#include "seedrun/slurm/run_update.hpp"
#include "seedrun/slurm/slurm_executor.hpp"
#include "seedrun/util/error.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <functional>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

// Fake: records calls and answers from canned sacct text.
class FakeSlurmClient final : public slurm::SlurmClient {
public:
  std::vector<slurm::SubmitRequest> submits;
  int queries = 0;
  std::string sacct_text;
  std::string by_name_text;
  bool fail_submit = false;
  std::string next_id = "100";
  std::vector<std::string> cancelled;

  std::function<void()> on_submit; // runs inside sbatch (another terminal acting meanwhile)
  std::function<void()> on_query;  // runs inside sacct -j

  std::string submit(const slurm::SubmitRequest& r) override {
    submits.push_back(r);
    if (on_submit) {
      on_submit();
    }
    if (fail_submit) {
      throw Error("sbatch: error: invalid partition specified: nope");
    }
    return next_id;
  }
  std::vector<std::optional<util::TimePoint>> query_since; // start_time of each query
  std::optional<int> array_limit;                          // what max_array_size() answers
  std::optional<int> max_array_size() override { return array_limit; }
  slurm::QueryResult query(const std::vector<std::string>&, std::chrono::milliseconds,
                           std::optional<util::TimePoint> since) override {
    query_since.push_back(since);
    ++queries;
    if (on_query) {
      on_query();
    }
    slurm::QueryResult q;
    q.rows = slurm::parse_sacct(sacct_text).rows;
    return q;
  }
  int by_name_queries = 0;
  slurm::QueryResult query_by_name(const std::vector<std::string>&, util::TimePoint) override {
    ++by_name_queries;
    slurm::QueryResult q;
    q.rows = slurm::parse_sacct(by_name_text).rows;
    return q;
  }
  slurm::SqueueParse squeue(const std::vector<std::string>&) override { return {}; }
  void cancel(const std::vector<std::string>& ids) override { cancelled = ids; }
};

struct Fixture {
  fs::path dir =
      fs::temp_directory_path() / ("seedrun-slurmexec-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  FakeSlurmClient* fake = nullptr;
  std::unique_ptr<exec::Executor> executor;
  store::Campaign campaign;

  explicit Fixture(size_t max_ids = 400) {
    fs::create_directories(dir);
    // The pattern before names carried the project; the canned sacct rows below use it.
    cfg = config::parse_config("command: [train, '{seed}']\nexecutor: slurm\nseeds: {baseline: [1, 2, 3]}\n"
                               "slurm: {job_name_pattern: 'seedrun-{campaign}-{arm}'}\n",
                               dir / "seedrun.yaml");
    store = store::Store::open(cfg.paths.state);
    auto client = std::make_unique<FakeSlurmClient>();
    fake = client.get();
    slurm::SlurmExecutorOptions o;
    o.intent_grace = std::chrono::seconds(60);
    o.max_ids_per_query = max_ids;
    executor = slurm::make_slurm_executor(cfg, std::move(client), o);
    campaign.key = "baseline_1M";
    campaign.name = campaign.kind = "baseline";
    campaign.command = cfg.command;
    campaign.metric = "val_loss";
    campaign.goal = store::Goal::minimize;
    campaign.executor = "slurm";
    campaign.state = store::CampaignState::active;
    campaign.id = store->insert_campaign(campaign);
    for (int seed : {1, 2, 3}) {
      store::Run r;
      r.campaign_id = campaign.id;
      r.arm = "baseline";
      r.seed = seed;
      r.phase = "initial";
      r.state = store::RunState::planned;
      store->insert_run(r);
    }
  }
  ~Fixture() { fs::remove_all(dir); }

  std::vector<exec::RunLaunch> launches() {
    std::vector<exec::RunLaunch> out;
    for (const auto& r : store->runs(campaign.id)) {
      out.push_back({r.id, r.seed, {"train", std::to_string(r.seed)}, r.log_path, r.output_dir});
    }
    return out;
  }
  std::vector<std::string> states() {
    std::vector<std::string> s;
    for (const auto& r : store->runs(campaign.id)) {
      s.emplace_back(to_string(r.state));
    }
    return s;
  }
};

} // namespace

TEST_CASE("one arm is one sbatch array with the task index mapped to the seed") {
  Fixture f;
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now());
  REQUIRE(f.fake->submits.size() == 1);
  CHECK(f.fake->submits[0].array == "0-2%1");
  CHECK(f.fake->submits[0].job_name == "seedrun-baseline_1M-baseline");
  CHECK(f.fake->submits[0].output.ends_with("/%x_%A_%a.out"));
  auto runs = f.store->runs(f.campaign.id);
  CHECK(runs[2].job_id == std::optional<std::string>("100_2"));
  CHECK(runs[2].state == store::RunState::pending);
  CHECK(runs[2].log_path.ends_with("slurm/seedrun-baseline_1M-baseline_100_2.out"));
  auto subs = f.store->submissions();
  REQUIRE(subs.size() == 1);
  CHECK(subs[0].state == "SUBMITTED");
}

TEST_CASE("a failing sbatch records nothing as submitted and passes its message on") {
  Fixture f;
  f.fake->fail_submit = true;
  CHECK_THROWS_WITH(f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now()),
                    "sbatch failed: sbatch: error: invalid partition specified: nope");
  CHECK(f.states() == std::vector<std::string>{"PLANNED", "PLANNED", "PLANNED"});
  CHECK(f.store->submissions().at(0).state == "FAILED");
}

TEST_CASE("placeholder rows and missing rows keep the previous state; real names settle runs") {
  Fixture f;
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now());
  f.fake->sacct_text = "100_0|100_0|allocation|COMPLETED|0:0|00:00:03|2026-11-23T10:00:00|2026-11-23T10:00:03|vm\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.states() == std::vector<std::string>{"PENDING", "PENDING", "PENDING"});
  f.fake->sacct_text =
      "101|100_0|seedrun-baseline_1M-baseline|COMPLETED|0:0|00:01:05|2026-11-23T10:00:00|2026-11-23T10:01:05|vm\n"
      "100|100_1|seedrun-baseline_1M-baseline|FAILED|3:0|00:00:02|2026-11-23T10:01:05|2026-11-23T10:01:07|vm\n";
  f.executor->poll(*f.store, util::Clock::now());
  auto runs = f.store->runs(f.campaign.id);
  CHECK(runs[0].state == store::RunState::completed);
  CHECK(runs[0].wall_time == std::optional<double>(65));
  CHECK(runs[1].state == store::RunState::failed);
  CHECK(runs[1].exit_code == std::optional<int>(3));
  CHECK(runs[1].reason == std::optional<std::string>("exit code 3"));
  CHECK(runs[2].state == store::RunState::pending);
  CHECK(f.fake->queries == 2);
}

TEST_CASE("no sacct call at all when nothing is unfinished") {
  Fixture f;
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.fake->queries == 0);
}

TEST_CASE("a crash between sbatch and the store is reconciled by job name, never submitted twice") {
  Fixture f;
  // Simulate the crash: intent stored, runs SUBMITTING, sbatch ran (job 300) but its id never stored.
  store::Submission sub;
  sub.campaign_id = f.campaign.id;
  sub.arm = "baseline";
  sub.phase = "initial";
  sub.job_name = "seedrun-baseline_1M-baseline";
  sub.state = "INTENT";
  sub.array_spec = "0-2%1";
  sub.created_at = util::iso8601(util::Clock::now());
  sub.id = f.store->insert_submission(sub);
  int i = 0;
  for (auto r : f.store->runs(f.campaign.id)) {
    r.state = store::RunState::submitting;
    r.submission_id = sub.id;
    r.array_index = i++;
    f.store->update_run(r);
  }
  f.fake->by_name_text = "300|300_[0-2%1]|seedrun-baseline_1M-baseline|PENDING|0:0|00:00:00|Unknown|Unknown|\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.fake->submits.empty());
  CHECK(f.states() == std::vector<std::string>{"PENDING", "PENDING", "PENDING"});
  CHECK(f.store->runs(f.campaign.id)[1].job_id.value_or("none") == "300_1");
}

TEST_CASE("an intent with no job behind it goes back to PLANNED after the grace period") {
  Fixture f;
  store::Submission sub;
  sub.campaign_id = f.campaign.id;
  sub.arm = "baseline";
  sub.phase = "initial";
  sub.job_name = "seedrun-baseline_1M-baseline";
  sub.state = "INTENT";
  sub.array_spec = "0-2%1";
  sub.created_at = util::iso8601(util::Clock::now() - std::chrono::minutes(5));
  sub.id = f.store->insert_submission(sub);
  for (auto r : f.store->runs(f.campaign.id)) {
    r.state = store::RunState::submitting;
    r.submission_id = sub.id;
    r.array_index = 0;
    f.store->update_run(r);
  }
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.states() == std::vector<std::string>{"PLANNED", "PLANNED", "PLANNED"});
}

TEST_CASE("runs already submitted by another process are not submitted again") {
  Fixture f;
  auto l = f.launches();
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", l, util::Clock::now());
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", l, util::Clock::now());
  CHECK(f.fake->submits.size() == 1);
}

TEST_CASE("tasks of a cancelled array that never started become CANCELLED") {
  Fixture f;
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now());
  f.fake->sacct_text =
      "101|100_0|seedrun-baseline_1M-baseline|COMPLETED|0:0|00:00:05|2026-11-23T10:00:00|2026-11-23T10:00:05|vm\n"
      "100|100_[1-2%1]|seedrun-baseline_1M-baseline|CANCELLED by 0|0:0|00:00:00|None|2026-11-23T10:00:06|None "
      "assigned\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.states() == std::vector<std::string>{"COMPLETED", "CANCELLED", "CANCELLED"});
}

TEST_CASE("too many job ids for one command line: one query by campaign names and start time instead") {
  Fixture f(0);
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now());
  f.fake->by_name_text =
      "101|100_0|seedrun-baseline_1M-baseline|COMPLETED|0:0|00:00:05|2026-11-23T10:00:00|2026-11-23T10:00:05|vm\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.fake->queries == 0);
  CHECK(f.fake->by_name_queries == 1);
  CHECK(f.states() == std::vector<std::string>{"COMPLETED", "PENDING", "PENDING"});
}

TEST_CASE("a final state without an End time is not settled yet") {
  Fixture f;
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now());
  f.fake->sacct_text = "101|100_0|seedrun-baseline_1M-baseline|FAILED|0:0|00:00:03|2026-11-23T10:00:00|Unknown|vm\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.states()[0] == "PENDING");
  f.fake->sacct_text =
      "101|100_0|seedrun-baseline_1M-baseline|FAILED|3:0|00:00:03|2026-11-23T10:00:00|2026-11-23T10:00:03|vm\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.states()[0] == "FAILED");
  CHECK(f.store->runs(f.campaign.id)[0].exit_code == std::optional<int>(3));
}

TEST_CASE("reconciliation never adopts another submission's job of the same name") {
  Fixture f;
  // The first array (job 300) is tracked; an extension-like intent of one task has no job yet.
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", {f.launches()[0], f.launches()[1]},
                     util::Clock::now());
  store::Submission sub;
  sub.campaign_id = f.campaign.id;
  sub.arm = "baseline";
  sub.phase = "extension";
  sub.job_name = "seedrun-baseline_1M-baseline";
  sub.state = "INTENT";
  sub.array_spec = "0-0%1";
  sub.created_at = util::iso8601(util::Clock::now());
  sub.id = f.store->insert_submission(sub);
  auto third = f.store->runs(f.campaign.id)[2];
  third.state = store::RunState::submitting;
  third.submission_id = sub.id;
  third.array_index = 0;
  f.store->update_run(third);
  f.fake->by_name_text = "100|100_[0-1%1]|seedrun-baseline_1M-baseline|PENDING|0:0|00:00:00|Unknown|Unknown|\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.store->runs(f.campaign.id)[2].state == store::RunState::submitting); // not job 100: that one is taken
  f.fake->by_name_text += "105|105_[0]|seedrun-baseline_1M-baseline|PENDING|0:0|00:00:00|Unknown|Unknown|\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.store->runs(f.campaign.id)[2].job_id.value_or("none") == "105_0");
}

TEST_CASE("a sacct answer read before a cancel from another terminal does not bring the runs back") {
  Fixture f;
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now());
  // This poll's sacct says task 0 RUNNING; while it was answering, `seedrun cancel` ran.
  f.fake->sacct_text = "101|100_0|seedrun-baseline_1M-baseline|RUNNING|0:0|00:00:05|2026-11-23T10:00:00|Unknown|vm\n";
  f.fake->on_query = [&] {
    f.executor->cancel(*f.store, f.campaign, store::CancelCause::user_cancel, "cancelled by seedrun cancel",
                       util::Clock::now());
  };
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.fake->cancelled == std::vector<std::string>{"100_0", "100_1", "100_2"});
  CHECK(f.states() == std::vector<std::string>{"CANCELLED", "CANCELLED", "CANCELLED"});
  CHECK(f.store->runs(f.campaign.id)[0].reason == std::optional<std::string>("cancelled by seedrun cancel"));
}

TEST_CASE("runs cancelled while sbatch ran stay CANCELLED and their new job is scancelled") {
  Fixture f;
  f.fake->on_submit = [&] { // the runs are SUBMITTING, without a job id yet
    f.executor->cancel(*f.store, f.campaign, store::CancelCause::user_cancel, "cancelled by seedrun cancel",
                       util::Clock::now());
  };
  f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now());
  CHECK(f.states() == std::vector<std::string>{"CANCELLED", "CANCELLED", "CANCELLED"});
  CHECK(f.fake->cancelled == std::vector<std::string>{"100"});
  CHECK(f.store->submissions().at(0).job_id == std::optional<std::string>("100"));
}

TEST_CASE("a failing sbatch leaves runs cancelled meanwhile CANCELLED, not PLANNED") {
  Fixture f;
  f.fake->fail_submit = true;
  f.fake->on_submit = [&] {
    f.executor->cancel(*f.store, f.campaign, store::CancelCause::user_cancel, "cancelled by seedrun cancel",
                       util::Clock::now());
  };
  CHECK_THROWS(f.executor->launch(*f.store, f.campaign, "baseline", "initial", f.launches(), util::Clock::now()));
  CHECK(f.states() == std::vector<std::string>{"CANCELLED", "CANCELLED", "CANCELLED"});
}

TEST_CASE("an interrupted submission whose runs were cancelled: the job found by name is scancelled") {
  Fixture f;
  store::Submission sub;
  sub.campaign_id = f.campaign.id;
  sub.arm = "baseline";
  sub.phase = "initial";
  sub.job_name = "seedrun-baseline_1M-baseline";
  sub.state = "INTENT";
  sub.array_spec = "0-2%1";
  sub.created_at = util::iso8601(util::Clock::now());
  sub.id = f.store->insert_submission(sub);
  int i = 0;
  for (auto r : f.store->runs(f.campaign.id)) {
    r.state = store::RunState::submitting;
    r.submission_id = sub.id;
    r.array_index = i++;
    f.store->update_run(r);
  }
  f.executor->cancel(*f.store, f.campaign, store::CancelCause::user_cancel, "cancelled by seedrun cancel",
                     util::Clock::now());
  CHECK(f.fake->cancelled.empty()); // no job id known yet
  f.fake->by_name_text = "300|300_[0-2%1]|seedrun-baseline_1M-baseline|PENDING|0:0|00:00:00|Unknown|Unknown|\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.fake->cancelled == std::vector<std::string>{"300"});
  CHECK(f.states() == std::vector<std::string>{"CANCELLED", "CANCELLED", "CANCELLED"});
}

// ---------------------------------------------------------------------------------------------
// One array at a time (slurm.max_parallel 1): the real SlurmClient over a recording
// ProcessRunner, so the exact sbatch argv is checked.
namespace {

class RecordingRunner final : public exec::ProcessRunner {
public:
  std::vector<std::vector<std::string>> calls;
  int next_id = 100;
  std::string sacct_text;                 // what every sacct call prints
  std::vector<std::string> sbatch_errors; // per sbatch call: non-empty → exit 1 with this stderr

  exec::ProcessResult run(const exec::ProcessRequest& r) override {
    calls.push_back(r.argv);
    exec::ProcessResult res;
    res.exit_code = 0;
    if (r.argv.at(0) == "sbatch") {
      size_t n = sbatch().size() - 1;
      if (n < sbatch_errors.size() && !sbatch_errors[n].empty()) {
        res.exit_code = 1;
        res.err = sbatch_errors[n] + "\n";
        return res;
      }
      res.out = std::to_string(next_id++) + "\n";
    } else if (r.argv.at(0) == "sacct") {
      res.out = sacct_text;
    }
    return res;
  }
  std::unique_ptr<exec::RunningProcess> spawn(const exec::ProcessRequest&, const fs::path&) override {
    throw Error("the Slurm executor never spawns");
  }
  std::vector<std::vector<std::string>> sbatch() const {
    std::vector<std::vector<std::string>> out;
    for (const auto& c : calls) {
      if (c.at(0) == "sbatch") {
        out.push_back(c);
      }
    }
    return out;
  }
  int count(const std::string& program) const {
    return static_cast<int>(
        std::count_if(calls.begin(), calls.end(), [&](const auto& c) { return c.at(0) == program; }));
  }
};

struct OrderFixture {
  fs::path dir =
      fs::temp_directory_path() / ("seedrun-slurmorder-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  RecordingRunner runner;
  std::unique_ptr<exec::Executor> executor;
  store::Campaign baseline;
  store::Campaign experiment;

  explicit OrderFixture(int max_parallel = 1) {
    fs::create_directories(dir);
    cfg = config::parse_config("command: [train, '{seed}']\nexecutor: slurm\nseeds: {baseline: [1, 2, 3]}\n"
                               "slurm: {job_name_pattern: 'seedrun-{campaign}-{arm}', max_parallel: " +
                                   std::to_string(max_parallel) + "}\n",
                               dir / "seedrun.yaml");
    store = store::Store::open(cfg.paths.state);
    executor = slurm::make_slurm_executor(cfg, slurm::make_slurm_client(runner), {});
    baseline = campaign("baseline_1M", "baseline", "baseline", {1, 2, 3});
    experiment = campaign("use_warmup_1M", "use_warmup", "experiment", {1, 2, 3});
  }
  ~OrderFixture() { fs::remove_all(dir); }

  store::Campaign campaign(const std::string& key, const std::string& name, const std::string& kind,
                           const std::vector<int>& seeds) {
    store::Campaign c;
    c.key = key;
    c.name = name;
    c.kind = kind;
    c.command = cfg.command;
    c.metric = "val_loss";
    c.goal = store::Goal::minimize;
    c.executor = "slurm";
    c.state = store::CampaignState::active;
    c.id = store->insert_campaign(c);
    plan(c, "initial", seeds);
    return c;
  }
  void plan(const store::Campaign& c, const std::string& phase, const std::vector<int>& seeds) {
    for (int seed : seeds) {
      store::Run r;
      r.campaign_id = c.id;
      r.arm = c.kind;
      r.seed = seed;
      r.phase = phase;
      r.state = store::RunState::planned;
      store->insert_run(r);
    }
  }
  void launch(const store::Campaign& c, const std::string& phase) {
    std::vector<exec::RunLaunch> out;
    for (const auto& r : store->runs(c.id)) {
      if (r.state == store::RunState::planned && r.phase == phase) {
        out.push_back({r.id, r.seed, {"train", std::to_string(r.seed)}, r.log_path, r.output_dir});
      }
    }
    executor->launch(*store, c, c.kind, phase, out, util::Clock::now());
  }
  // The argv seedrun must hand to sbatch for a campaign's array (no shell, one option per element).
  std::vector<std::string> expected_argv(const store::Campaign& c, const std::string& phase, size_t tasks,
                                         const std::string& dependency) const {
    auto sub_id = store->submissions().back().id;
    std::vector<std::string> argv{"sbatch",
                                  "--parsable",
                                  "--job-name=seedrun-" + c.key + "-" + c.kind,
                                  fmt::format("--array=0-{}%{}", tasks - 1, cfg.slurm.max_parallel),
                                  "--output=" + (cfg.paths.state / "slurm" / "%x_%A_%a.out").string(),
                                  "--chdir=" + cfg.dir.string()};
    if (!dependency.empty()) {
      argv.push_back("--dependency=" + dependency);
    }
    argv.push_back("--no-requeue");
    argv.push_back((cfg.paths.state / "jobs" / fmt::format("{}_{}_{}.sbatch", c.key, phase, sub_id)).string());
    return argv;
  }
  std::vector<std::string> states(const store::Campaign& c) {
    std::vector<std::string> s;
    for (const auto& r : store->runs(c.id)) {
      s.emplace_back(to_string(r.state));
    }
    return s;
  }
};

const char* k_baseline_done =
    "101|100_0|seedrun-baseline_1M-baseline|COMPLETED|0:0|00:00:05|2026-11-23T10:00:00|2026-11-23T10:00:05|vm\n"
    "102|100_1|seedrun-baseline_1M-baseline|COMPLETED|0:0|00:00:05|2026-11-23T10:00:05|2026-11-23T10:00:10|vm\n"
    "100|100_2|seedrun-baseline_1M-baseline|COMPLETED|0:0|00:00:05|2026-11-23T10:00:10|2026-11-23T10:00:15|vm\n";

} // namespace

TEST_CASE("max_parallel 1: the experiment array waits for the unfinished baseline array (exact sbatch argv)") {
  OrderFixture f;
  f.launch(f.baseline, "initial");
  REQUIRE(f.runner.sbatch().size() == 1);
  CHECK(f.runner.sbatch()[0] == f.expected_argv(f.baseline, "initial", 3, "")); // nothing to wait for
  f.launch(f.experiment, "initial");
  REQUIRE(f.runner.sbatch().size() == 2);
  CHECK(f.runner.sbatch()[1] == f.expected_argv(f.experiment, "initial", 3, "afterany:100"));
  CHECK(f.states(f.experiment) == std::vector<std::string>{"PENDING", "PENDING", "PENDING"});
  auto sub = f.store->submissions().back();
  CHECK(sub.job_id == std::optional<std::string>("101"));
  CHECK(sub.message.value_or("") == "after job 100 (--dependency=afterany, slurm.max_parallel 1)");
  CHECK(f.runner.count("sacct") == 0); // the store's view decides; no extra Slurm call
}

TEST_CASE("max_parallel above 1: arrays are submitted without a dependency") {
  OrderFixture f(2);
  f.launch(f.baseline, "initial");
  f.launch(f.experiment, "initial");
  REQUIRE(f.runner.sbatch().size() == 2);
  CHECK(f.runner.sbatch()[1] == f.expected_argv(f.experiment, "initial", 3, ""));
}

TEST_CASE("a baseline that has finished is not waited for") {
  OrderFixture f;
  f.launch(f.baseline, "initial");
  f.runner.sacct_text = k_baseline_done;
  f.executor->poll(*f.store, util::Clock::now());
  REQUIRE(f.states(f.baseline) == std::vector<std::string>{"COMPLETED", "COMPLETED", "COMPLETED"});
  f.launch(f.experiment, "initial");
  REQUIRE(f.runner.sbatch().size() == 2);
  CHECK(f.runner.sbatch()[1] == f.expected_argv(f.experiment, "initial", 3, ""));
}

TEST_CASE("the extension array follows the newest unfinished array of the state directory") {
  OrderFixture f;
  f.launch(f.baseline, "initial");   // job 100
  f.launch(f.experiment, "initial"); // job 101, after 100
  f.plan(f.experiment, "extension", {512, 1024});
  f.launch(f.experiment, "extension"); // both 100 and 101 unfinished: the newest, 101
  REQUIRE(f.runner.sbatch().size() == 3);
  CHECK(f.runner.sbatch()[2] == f.expected_argv(f.experiment, "extension", 2, "afterany:101"));
  // Job ids compare as numbers: 99 is older than 100.
  OrderFixture g;
  g.runner.next_id = 99;
  g.launch(g.baseline, "initial");   // 99
  g.launch(g.experiment, "initial"); // 100
  g.plan(g.experiment, "extension", {512});
  g.launch(g.experiment, "extension");
  CHECK(g.runner.sbatch()[2] == g.expected_argv(g.experiment, "extension", 1, "afterany:100"));
}

TEST_CASE("a dependency Slurm refuses because the job already ended: re-checked, submitted without it") {
  OrderFixture f;
  f.launch(f.baseline, "initial");
  // The store still says PENDING (no poll since), but Slurm has forgotten job 100.
  f.runner.sbatch_errors = {"", "sbatch: error: Batch job submission failed: Job dependency problem"};
  f.runner.sacct_text = k_baseline_done;
  f.launch(f.experiment, "initial");
  auto calls = f.runner.sbatch();
  REQUIRE(calls.size() == 3);
  CHECK(calls[1] == f.expected_argv(f.experiment, "initial", 3, "afterany:100"));
  CHECK(calls[2] == f.expected_argv(f.experiment, "initial", 3, ""));
  CHECK(f.runner.count("sacct") == 1);
  CHECK(std::find_if(f.runner.calls.begin(), f.runner.calls.end(), [](const std::vector<std::string>& c) {
          return c.size() == 8 && c[0] == "sacct" && c[4] == "--format=" + std::string(slurm::k_sacct_format) &&
                 c[5].starts_with("--starttime=") && c[6] == "-j" && c[7] == "100";
        }) != f.runner.calls.end());
  CHECK(f.states(f.experiment) == std::vector<std::string>{"PENDING", "PENDING", "PENDING"});
  auto sub = f.store->submissions().back();
  CHECK(sub.state == "SUBMITTED");
  CHECK(sub.job_id == std::optional<std::string>("101"));
  CHECK(sub.message.value_or("") == "job 100 had already ended: submitted without a dependency");
}

TEST_CASE("a refused dependency on a job sacct still shows running fails the launch and keeps runs PLANNED") {
  OrderFixture f;
  f.launch(f.baseline, "initial");
  f.runner.sbatch_errors = {"", "sbatch: error: Batch job submission failed: Job dependency problem"};
  f.runner.sacct_text = "101|100_0|seedrun-baseline_1M-baseline|RUNNING|0:0|00:00:05|2026-11-23T10:00:00|Unknown|vm\n";
  CHECK_THROWS_WITH(f.launch(f.experiment, "initial"),
                    "sbatch failed: sbatch: error: Batch job submission failed: Job dependency problem (the "
                    "dependency on job 100, which sacct still shows unfinished)");
  CHECK(f.runner.sbatch().size() == 2);
  CHECK(f.states(f.experiment) == std::vector<std::string>{"PLANNED", "PLANNED", "PLANNED"});
  CHECK(f.store->submissions().back().state == "FAILED");
}

TEST_CASE("other sbatch errors are not retried without the dependency") {
  OrderFixture f;
  f.launch(f.baseline, "initial");
  f.runner.sbatch_errors = {"", "sbatch: error: invalid partition specified: nope"};
  CHECK_THROWS_WITH(f.launch(f.experiment, "initial"),
                    "sbatch failed: sbatch: error: invalid partition specified: nope");
  CHECK(f.runner.sbatch().size() == 2);
  CHECK(f.runner.count("sacct") == 0);
}
