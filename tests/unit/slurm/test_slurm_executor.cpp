// The Slurm executor against a recording fake SlurmClient (named as such): submission intent,
// sbatch failure, reconciliation after a crash, and the placeholder rules of sacct.
#include "seedrun/slurm/run_update.hpp"
#include "seedrun/slurm/slurm_executor.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>

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

  std::string submit(const slurm::SubmitRequest& r) override {
    submits.push_back(r);
    if (fail_submit) {
      throw Error("sbatch: error: invalid partition specified: nope");
    }
    return next_id;
  }
  slurm::QueryResult query(const std::vector<std::string>&, std::chrono::milliseconds) override {
    ++queries;
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
  fs::path dir = fs::temp_directory_path() / ("seedrun-slurmexec-" + std::to_string(::getpid()) + "-" +
                                             std::to_string(rand()));
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  FakeSlurmClient* fake = nullptr;
  std::unique_ptr<exec::Executor> executor;
  store::Campaign campaign;

  explicit Fixture(size_t max_ids = 400) {
    fs::create_directories(dir);
    cfg = config::parse_config("command: [train, '{seed}']\nexecutor: slurm\nseeds: {baseline: [1, 2, 3]}\n",
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
    campaign.goal = "minimize";
    campaign.executor = "slurm";
    campaign.state = "ACTIVE";
    campaign.id = store->insert_campaign(campaign);
    for (int seed : {1, 2, 3}) {
      store::Run r;
      r.campaign_id = campaign.id;
      r.arm = "baseline";
      r.seed = seed;
      r.phase = "initial";
      r.state = "PLANNED";
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
      s.push_back(r.state);
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
  CHECK(runs[2].state == "PENDING");
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
  CHECK(runs[0].state == "COMPLETED");
  CHECK(runs[0].wall_time == std::optional<double>(65));
  CHECK(runs[1].state == "FAILED");
  CHECK(runs[1].exit_code == std::optional<int>(3));
  CHECK(runs[1].reason == std::optional<std::string>("exit code 3"));
  CHECK(runs[2].state == "PENDING");
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
    r.state = "SUBMITTING";
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
    r.state = "SUBMITTING";
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
      "100|100_[1-2%1]|seedrun-baseline_1M-baseline|CANCELLED by 0|0:0|00:00:00|None|2026-11-23T10:00:06|None assigned\n";
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
  third.state = "SUBMITTING";
  third.submission_id = sub.id;
  third.array_index = 0;
  f.store->update_run(third);
  f.fake->by_name_text = "100|100_[0-1%1]|seedrun-baseline_1M-baseline|PENDING|0:0|00:00:00|Unknown|Unknown|\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.store->runs(f.campaign.id)[2].state == "SUBMITTING"); // not job 100: that one is taken
  f.fake->by_name_text += "105|105_[0]|seedrun-baseline_1M-baseline|PENDING|0:0|00:00:00|Unknown|Unknown|\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.store->runs(f.campaign.id)[2].job_id.value_or("none") == "105_0");
}
