// The cluster workflow (issue 14): resources and setup lines in the batch script, --sbatch-arg
// per campaign, job names with the project, the refresh job submitted with every array, arrays
// split at MaxArraySize and --starttime on the executor's sacct calls. The executor runs against
// a recording fake SlurmClient.
#include "seedrun/slurm/batch_script.hpp"
#include "seedrun/slurm/sacct.hpp"
#include "seedrun/slurm/sbatch_args.hpp"
#include "seedrun/slurm/slurm_executor.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/shell_words.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <random>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

config::Config config_from(const std::string& yaml, const fs::path& dir) {
  return config::parse_config("command: [train, '--seed={seed}']\nexecutor: slurm\n" + yaml, dir / "seedrun.yaml");
}

struct TempDir {
  fs::path path = fs::temp_directory_path() /
                  ("seedrun-cluster-" + std::to_string(::getpid()) + "-" + std::to_string(std::random_device{}()));
  TempDir() { fs::create_directories(path); }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

class RecordingClient final : public slurm::SlurmClient {
public:
  std::vector<slurm::SubmitRequest> submits;
  std::vector<std::optional<util::TimePoint>> query_since;
  std::optional<int> array_limit;
  int next_id = 100;

  std::string submit(const slurm::SubmitRequest& r) override {
    submits.push_back(r);
    return std::to_string(next_id++);
  }
  slurm::QueryResult query(const std::vector<std::string>&, std::chrono::milliseconds,
                           std::optional<util::TimePoint> since) override {
    query_since.push_back(since);
    return {};
  }
  std::string by_name_text; // what sacct --name answers
  std::vector<std::string> asked_names;
  slurm::QueryResult query_by_name(const std::vector<std::string>& names, util::TimePoint) override {
    asked_names.insert(asked_names.end(), names.begin(), names.end());
    slurm::QueryResult q;
    q.rows = slurm::parse_sacct(by_name_text).rows;
    return q;
  }
  slurm::SqueueParse squeue(const std::vector<std::string>&) override { return {}; }
  void cancel(const std::vector<std::string>&) override {}
  std::optional<int> max_array_size() override { return array_limit; }
  std::optional<slurm::SubmitLimit> limit;
  std::vector<std::pair<std::string, std::string>> limit_asked; // (account, qos)
  std::optional<slurm::SubmitLimit> submit_limit(const std::string& account, const std::string& qos) override {
    limit_asked.emplace_back(account, qos);
    return limit;
  }
};

struct ExecFixture {
  TempDir tmp;
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  RecordingClient* client = nullptr;
  std::unique_ptr<exec::Executor> executor;
  store::Campaign campaign;

  explicit ExecFixture(const std::string& yaml, std::string seedrun_binary = "") {
    cfg = config_from(yaml, tmp.path);
    store = store::Store::open(cfg.paths.state);
    auto c = std::make_unique<RecordingClient>();
    client = c.get();
    slurm::SlurmExecutorOptions o;
    o.seedrun_binary = std::move(seedrun_binary);
    executor = slurm::make_slurm_executor(cfg, std::move(c), o);
    campaign.key = "use_warmup_1M";
    campaign.name = "use_warmup";
    campaign.kind = "experiment";
    campaign.command = cfg.command;
    campaign.metric = "val_loss";
    campaign.executor = "slurm";
    campaign.id = store->insert_campaign(campaign);
  }
  void plan(int n) {
    for (int seed = 1; seed <= n; ++seed) {
      store::Run r;
      r.campaign_id = campaign.id;
      r.arm = "experiment";
      r.seed = seed;
      r.phase = "initial";
      store->insert_run(r);
    }
  }
  void launch() {
    std::vector<exec::RunLaunch> out;
    for (const auto& r : store->runs(campaign.id)) {
      out.push_back({r.id, r.seed, {"train", fmt::format("--seed={}", r.seed)}, r.log_path, r.output_dir});
    }
    executor->launch(*store, campaign, "experiment", "initial", out, util::Clock::now());
  }
};

} // namespace

TEST_CASE("resources become #SBATCH lines, setup lines run before the quoted command") {
  TempDir tmp;
  auto cfg = config_from("name: nanogpt\nslurm:\n  partition: gpu\n  account: ml-lab\n  qos: high\n  gpus: a100:2\n"
                         "  cpus_per_task: 8\n  mem: 64G\n  setup:\n    - module load cuda/12\n"
                         "    - source .venv/bin/activate\n",
                         tmp.path);
  std::vector<slurm::ScriptTask> tasks{{0, 42, {"python", "train.py", "--seed=42", "$(touch /tmp/x)"}}};
  auto script = slurm::render_batch_script(cfg, slurm::default_template(),
                                           {cfg.dir, "use_warmup_1M", "experiment", cfg.slurm.setup},
                                           "seedrun-nanogpt-use_warmup_1M-experiment", tasks);
  for (const char* line : {"#SBATCH --partition=gpu\n", "#SBATCH --account=ml-lab\n", "#SBATCH --qos=high\n",
                           "#SBATCH --gpus=a100:2\n", "#SBATCH --cpus-per-task=8\n", "#SBATCH --mem=64G\n"}) {
    CHECK_MESSAGE(script.find(line) != std::string::npos, line);
  }
  CHECK(script.find("#SBATCH --time=") == std::string::npos); // unset: the line is left out
  auto setup = script.find("module load cuda/12\nsource .venv/bin/activate\n");
  auto command = script.find("0) SEEDRUN_SEED=42; set -- python train.py --seed=42 '$(touch /tmp/x)' ;;");
  REQUIRE(setup != std::string::npos);
  REQUIRE(command != std::string::npos);
  CHECK(setup < command);
  CHECK(script.find("set -eu\n", setup) < command); // set -u only after the setup lines
  CHECK(script.find("export SEEDRUN_CAMPAIGN=use_warmup_1M SEEDRUN_ARM=experiment\n") != std::string::npos);
  CHECK(script.find("export SEEDRUN_SEED\n") != std::string::npos);
}

TEST_CASE("a template without resource placeholders gets #SBATCH lines after its header") {
  TempDir tmp;
  auto cfg = config_from("slurm: {account: ml-lab, gpus: '1'}\n", tmp.path);
  std::string tmpl = "#!/bin/bash\n#SBATCH --partition={partition}\n#SBATCH --gpus={gpus}\n\necho before\n"
                     "{seedrun_commands}\n";
  auto script = slurm::render_batch_script(cfg, tmpl, {cfg.dir, "c", "baseline", {}}, "n", {{0, 1, {"x"}}});
  CHECK(script.starts_with("#!/bin/bash\n#SBATCH --gpus=1\n#SBATCH --account=ml-lab\n\necho before\n"));
  CHECK(slurm::insert_directives("echo hi\n", {"--qos=x"}) == "#SBATCH --qos=x\necho hi\n");
  CHECK(slurm::insert_directives("#!/bin/sh", {"--qos=x"}) == "#!/bin/sh\n#SBATCH --qos=x\n");
}

TEST_CASE("--sbatch-arg values must be sbatch options seedrun does not set itself") {
  CHECK_FALSE(slurm::sbatch_arg_problem("--gres=gpu:2"));
  CHECK_FALSE(slurm::sbatch_arg_problem("--constraint=a100"));
  CHECK_FALSE(slurm::sbatch_arg_problem("-A"));
  CHECK(slurm::sbatch_arg_problem("gpu:2").value_or("") ==
        "--sbatch-arg 'gpu:2' is not an sbatch option (e.g. --sbatch-arg=--gres=gpu:2)");
  CHECK(slurm::sbatch_arg_problem("--array=0-3").value_or("") ==
        "--sbatch-arg '--array=0-3': seedrun sets --array itself (it names, numbers and tracks the jobs)");
  CHECK(slurm::sbatch_arg_problem("--job-name=x"));
  CHECK(slurm::sbatch_arg_problem("-Jx"));
  CHECK(slurm::sbatch_arg_problem("--dependency=afterok:1"));
  CHECK(slurm::sbatch_arg_problem("--wrap=rm -rf /"));
  CHECK(slurm::sbatch_arg_problem("--comment=a\nb"));
}

TEST_CASE("a campaign's --sbatch-arg values are kept and passed last, each as one argument") {
  ExecFixture f("name: nanogpt\nslurm: {partition: gpu, extra_args: ['--gres=gpu:1']}\n");
  slurm::save_campaign_sbatch_args(f.cfg.paths.state, f.campaign.key, {"--gres=gpu:2", "--comment=two words"});
  CHECK(slurm::load_campaign_sbatch_args(f.cfg.paths.state, f.campaign.key) ==
        std::vector<std::string>{"--gres=gpu:2", "--comment=two words"});
  CHECK(slurm::load_campaign_sbatch_args(f.cfg.paths.state, "other_1M").empty());
  f.plan(3);
  f.launch();
  REQUIRE(f.client->submits.size() == 1); // no seedrun binary given: no refresh job
  CHECK(f.client->submits[0].job_name == "seedrun-nanogpt-use_warmup_1M-experiment");
  CHECK(f.client->submits[0].extra_args == std::vector<std::string>{"--partition=gpu", "--no-requeue", "--gres=gpu:1",
                                                                    "--gres=gpu:2", "--comment=two words"});
  slurm::save_campaign_sbatch_args(f.cfg.paths.state, f.campaign.key, {});
  CHECK(slurm::load_campaign_sbatch_args(f.cfg.paths.state, f.campaign.key).empty());
}

TEST_CASE("requeue appends to the job's log and signal warns the batch shell, which execs the trainer") {
  ExecFixture f("name: nanogpt\nslurm: {partition: gpu, requeue: true, signal: 'USR1@120'}\n");
  f.plan(2);
  f.launch();
  REQUIRE(f.client->submits.size() == 1);
  CHECK(f.client->submits[0].extra_args ==
        std::vector<std::string>{"--partition=gpu", "--requeue", "--open-mode=append", "--signal=B:USR1@120"});
}

TEST_CASE("every array brings a small refresh job that depends on it") {
  ExecFixture f("name: nanogpt\nslurm: {partition: gpu, account: ml-lab, gpus: '4', mem: 200G}\n", "/opt/bin/seedrun");
  f.plan(3);
  f.launch();
  REQUIRE(f.client->submits.size() == 2);
  const auto& rj = f.client->submits[1];
  CHECK(rj.dependency == "afterany:100");
  CHECK(rj.job_name == "seedrun-nanogpt-use_warmup_1M-refresh");
  CHECK(rj.array.empty());
  CHECK(rj.extra_args == std::vector<std::string>{"--partition=gpu", "--account=ml-lab", "--time=00:15:00",
                                                  "--ntasks=1", "--cpus-per-task=1", "--mem=512M", "--no-requeue"});
  auto script = util::read_file(rj.script);
  CHECK(script.find(fmt::format("exec /opt/bin/seedrun --config {} refresh --after-job 100\n",
                                util::shell_quote(f.cfg.file.string()))) != std::string::npos);
  CHECK(script.find("#SBATCH") == std::string::npos); // no GPUs or 200G for the refresh job
  CHECK(f.store->submissions().back().message.value_or("").find("refresh job 101") != std::string::npos);

  ExecFixture off("slurm: {refresh_job: false}\n", "/opt/bin/seedrun");
  off.plan(2);
  off.launch();
  CHECK(off.client->submits.size() == 1);
}

TEST_CASE("an array above MaxArraySize is split into arrays that follow each other") {
  ExecFixture f("slurm: {max_parallel: 2}\n");
  f.client->array_limit = 2;
  f.plan(5);
  f.launch();
  REQUIRE(f.client->submits.size() == 3);
  CHECK(f.client->submits[0].array == "0-1%2");
  CHECK(f.client->submits[1].array == "0-1%2");
  CHECK(f.client->submits[2].array == "0-0%2");
  CHECK(f.client->submits[0].dependency.empty());
  CHECK(f.client->submits[1].dependency == "afterany:100");
  CHECK(f.client->submits[2].dependency == "afterany:101");
  std::vector<std::string> jobs;
  for (const auto& r : f.store->runs(f.campaign.id)) {
    jobs.push_back(r.job_id.value_or("none"));
  }
  CHECK(jobs == std::vector<std::string>{"100_0", "100_1", "101_0", "101_1", "102_0"});
  // A later, unrelated array does not follow the parts.
  ExecFixture g("slurm: {max_parallel: 2}\n");
  g.client->array_limit = 1001;
  g.plan(3);
  g.launch();
  REQUIRE(g.client->submits.size() == 1);
  CHECK(g.client->submits[0].dependency.empty());
}

TEST_CASE("under MaxSubmitJobs only the seeds that fit are submitted; the others stay planned") {
  CHECK(slurm::parse_max_submit("\n8\n\n3\n") == 3);
  CHECK_FALSE(slurm::parse_max_submit("\n\n"));
  CHECK_FALSE(slurm::parse_max_submit("-1\nabc\n0\n"));
  ExecFixture f("slurm: {max_parallel: 2, account: ml-lab}\n", "/opt/bin/seedrun");
  f.client->limit = slurm::SubmitLimit{6, 2}; // room 4, one of them for the refresh job
  f.plan(5);
  f.launch();
  REQUIRE(f.client->submits.size() == 2); // the array and its refresh job
  CHECK(f.client->submits[0].array == "0-2%2");
  CHECK(f.client->limit_asked == std::vector<std::pair<std::string, std::string>>{{"ml-lab", ""}});
  std::vector<std::string> states;
  for (const auto& r : f.store->runs(f.campaign.id)) {
    states.emplace_back(store::to_string(r.state));
  }
  CHECK(states == std::vector<std::string>{"PENDING", "PENDING", "PENDING", "PLANNED", "PLANNED"});
  // A full queue submits nothing and keeps every seed planned.
  ExecFixture full("");
  full.client->limit = slurm::SubmitLimit{4, 4};
  full.plan(2);
  full.launch();
  CHECK(full.client->submits.empty());
  for (const auto& r : full.store->runs(full.campaign.id)) {
    CHECK(r.state == store::RunState::planned);
  }
  // No limit known: everything goes, as before.
  ExecFixture none("");
  none.plan(3);
  none.launch();
  REQUIRE(none.client->submits.size() == 1);
  CHECK(none.client->submits[0].array == "0-2%1");
}

TEST_CASE("the executor's sacct calls carry a start time before the oldest submission") {
  ExecFixture f("");
  f.plan(2);
  auto before = util::Clock::now();
  f.launch();
  f.executor->poll(*f.store, util::Clock::now());
  REQUIRE(f.client->query_since.size() == 1);
  REQUIRE(f.client->query_since[0]);
  CHECK(*f.client->query_since[0] <= before - std::chrono::hours(23));
  CHECK(*f.client->query_since[0] >= before - std::chrono::hours(25));
}

TEST_CASE("--dry-run's preview is the script and the sbatch argv launch() would use") {
  TempDir tmp;
  auto cfg = config_from("name: nanogpt\nslurm: {account: ml-lab, setup: ['module load cuda/12']}\n", tmp.path);
  auto p = slurm::preview_submission(cfg, "baseline_1M", "baseline",
                                     {{0, 1, {"train", "--seed=1"}}, {1, 2, {"train", "--seed=2"}}}, {"--gres=gpu:2"});
  REQUIRE(p.sbatch_argv.size() == 9);
  CHECK(p.sbatch_argv[0] == "sbatch");
  CHECK(p.sbatch_argv[2] == "--job-name=seedrun-nanogpt-baseline_1M-baseline");
  CHECK(p.sbatch_argv[3] == "--array=0-1%1");
  CHECK(p.sbatch_argv[7] == "--gres=gpu:2");
  CHECK(p.script.find("#SBATCH --account=ml-lab\n") != std::string::npos);
  CHECK(p.script.find("module load cuda/12\n") != std::string::npos);
  CHECK(p.script.find("1) SEEDRUN_SEED=2; set -- train --seed=2 ;;") != std::string::npos);
}

TEST_CASE("an interrupted submission under the old name pattern is still found by its stored name") {
  ExecFixture f("name: nanogpt\n"); // new default pattern: seedrun-nanogpt-<campaign>-<arm>
  f.plan(2);
  store::Submission sub;
  sub.campaign_id = f.campaign.id;
  sub.arm = "experiment";
  sub.phase = "initial";
  sub.job_name = "seedrun-use_warmup_1M-experiment"; // written by a seedrun before the project part
  sub.state = "INTENT";
  sub.array_spec = "0-1%1";
  sub.created_at = util::iso8601(util::Clock::now());
  sub.id = f.store->insert_submission(sub);
  int i = 0;
  for (auto r : f.store->runs(f.campaign.id)) {
    r.state = store::RunState::submitting;
    r.submission_id = sub.id;
    r.array_index = i++;
    f.store->update_run(r);
  }
  f.client->by_name_text = "300|300_[0-1%1]|seedrun-use_warmup_1M-experiment|PENDING|0:0|00:00:00|Unknown|Unknown|\n";
  f.executor->poll(*f.store, util::Clock::now());
  CHECK(f.client->asked_names == std::vector<std::string>{"seedrun-use_warmup_1M-experiment"});
  CHECK(f.client->submits.empty());
  std::vector<std::string> jobs;
  for (const auto& r : f.store->runs(f.campaign.id)) {
    jobs.push_back(r.job_id.value_or("none"));
  }
  CHECK(jobs == std::vector<std::string>{"300_0", "300_1"});
}
