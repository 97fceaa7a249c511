#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/scan_parts.hpp"

#include <doctest/doctest.h>
#include <thread>

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

namespace {

class ThrowingLookup : public JobLookup {
public:
  std::optional<std::map<std::string, JobInfo>> lookup(const std::vector<std::string>&) override {
    throw std::runtime_error("sacct: command not found");
  }
};

ExperimentSpec one_run(const std::filesystem::path& dir, const std::string& type, const std::string& epochs) {
  return parse_experiment_spec("output: {output_dir_base: out}\nruns: [{name: r, type: " + type +
                                   "}]\nevaluation: {matrix: [{run: r, tasks: [a, b], epochs: " + epochs + "}]}\n",
                               dir / "experiment_summary.yaml");
}

} // namespace

TEST_CASE("inspect-ai task names map to the matrix's task names") {
  std::vector<std::string> tasks = {"cap", "cap_long", "mmlu"};
  CHECK(matrix_task_for("cap", tasks) == "cap");
  CHECK(matrix_task_for("cap_rank4", tasks) == "cap");
  CHECK(matrix_task_for("cap_long_rank4", tasks) == "cap_long");
  CHECK(matrix_task_for("inspect_evals/mmlu", tasks) == "mmlu");
  CHECK(matrix_task_for("other", tasks) == "other");
  CHECK(matrix_task_for("capx", tasks) == "capx");
}

TEST_CASE("eval files are found in eval/logs and in per-cell folders; other files are ignored") {
  TempDir tmp;
  auto run = tmp.path() / "r";
  write_text(run / "eval/logs/a.eval", "");
  write_text(run / "eval/logs/notes.txt", "");
  write_text(run / "eval/cap_ep1/logs/b.eval", "");
  write_text(run / "eval/cap_ep1/slurm-7.out", "");
  write_text(run / "eval/slurm-5.out", "");
  write_text(run / "eval/slurm-5.err", "");
  EvalFiles files = find_eval_files(run);
  CHECK(files.logs == std::vector<std::filesystem::path>{run / "eval/logs/a.eval", run / "eval/cap_ep1/logs/b.eval"});
  CHECK(files.slurm_outs ==
        std::vector<std::filesystem::path>{run / "eval/slurm-5.out", run / "eval/cap_ep1/slurm-7.out"});
  CHECK(find_eval_files(tmp.path() / "missing").logs.empty());
}

TEST_CASE("the newest SLURM output is used for training, the output directory before the run directory") {
  TempDir tmp;
  auto spec = one_run(tmp.path(), "fine-tuned", "[0]");
  write_text(tmp.path() / "r/slurm-1.out", "");
  CHECK(find_training_output(spec, spec.runs[0]) == tmp.path() / "r/slurm-1.out");
  write_text(tmp.path() / "out/ck-out-r/slurm-9.out", "");
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  write_text(tmp.path() / "out/ck-out-r/slurm-10.out", "");
  CHECK(find_training_output(spec, spec.runs[0]) == tmp.path() / "out/ck-out-r/slurm-10.out");
  CHECK(newest({}).empty());
}

TEST_CASE("a JobLookup that throws counts as unavailable") {
  TempDir tmp;
  auto spec = one_run(tmp.path(), "fine-tuned", "[0]");
  write_text(tmp.path() / "out/ck-out-r/slurm-3.out", "1|4|Loss: 0.5\n");
  ThrowingLookup lookup;
  ExperimentScan scan = scan_experiment(spec, lookup);
  CHECK_FALSE(scan.jobs_available);
  CHECK(scan.job_ids == std::vector<std::string>{"3"});
  REQUIRE(scan.training.size() == 1);
  CHECK(scan.training[0].status == "COMPLETED");
  CHECK_FALSE(scan.training[0].elapsed_seconds);
  CHECK(std::any_of(scan.log.begin(), scan.log.end(), [](const LogEntry& e) {
    return e.action == "QUERY_JOBS" && e.details == "WARNING: job lookup failed: sacct: command not found";
  }));
}

TEST_CASE("a running job is RUNNING even when it has printed losses") {
  TempDir tmp;
  auto spec = one_run(tmp.path(), "fine-tuned", "[0]");
  write_text(tmp.path() / "out/ck-out-r/slurm-3.out", "1|4|Loss: 0.5\n");
  std::vector<LogEntry> log;
  JobTable jobs = std::map<std::string, JobInfo>{{"3", {"ft", 60.0, "RUNNING", JobOutcome::running}}};
  auto r = scan_training(spec, spec.runs[0], tmp.path() / "out/ck-out-r/slurm-3.out", jobs, log);
  CHECK(r.status == "RUNNING");
  CHECK(r.note == "Slurm job 3 is RUNNING; check slurm-3.out");
  CHECK(r.elapsed_seconds == 60.0);
}

TEST_CASE("evaluation status counts the matrix cells that have a successful result") {
  TempDir tmp;
  auto spec = one_run(tmp.path(), "fine-tuned", "[0, 1]");
  auto ok = [](const std::string& task, std::optional<int> epoch) {
    EvalResult r;
    r.task = task;
    r.epoch = epoch;
    r.readable = true;
    r.status = "success";
    return r;
  };
  EvalFiles files;
  std::string note;
  CHECK(evaluation_status(spec, spec.runs[0], {}, files, note) == "NOT STARTED");
  CHECK(note == "No .eval files in " + (tmp.path() / "r/eval").string() + "/logs");

  std::vector<EvalResult> some = {ok("a", 0), ok("a", 1), ok("b", std::nullopt)};
  CHECK(evaluation_status(spec, spec.runs[0], some, files, note) == "PARTIAL (3/4)");
  CHECK(note == "3 of 4 evaluations found; missing b epoch 1");

  some.push_back(ok("b", 1));
  CHECK(evaluation_status(spec, spec.runs[0], some, files, note) == "COMPLETED");

  EvalResult failed = ok("a", 0);
  failed.status = "cancelled";
  failed.path = "/x/f.eval";
  files.slurm_outs = {"/x/slurm-1.out"};
  CHECK(evaluation_status(spec, spec.runs[0], {failed}, files, note) == "FAILED");
  CHECK(note == "f.eval: status cancelled");

  auto control = one_run(tmp.path(), "control", "null");
  CHECK(evaluation_status(control, control.runs[0], {ok("a", std::nullopt), ok("b", std::nullopt)}, {}, note) ==
        "COMPLETED");
}

namespace {

class OneJob : public JobLookup {
public:
  std::optional<std::map<std::string, JobInfo>> lookup(const std::vector<std::string>&) override {
    return std::map<std::string, JobInfo>{{"2001", JobInfo{"eval-a-r-ep1", 60.0, "COMPLETED", JobOutcome::completed}}};
  }
};

} // namespace

TEST_CASE("an eval job's stdout is read in chunks: a log name across a 1 MiB boundary still links the job") {
  TempDir tmp;
  auto spec = one_run(tmp.path(), "fine-tuned", "[0, 1]");
  const std::string name = "2026-01-05T10-00-00_a_x.eval";
  write_eval(tmp.path() / "r/eval/logs" / name, eval_header("a", "success", 0.5, 2, 2),
             binary_records({"1", "0"}, {"1", "1"}));
  std::string out(1024 * 1024 - 10, '.'); // the name starts 10 bytes before the first chunk ends
  out += "Log: logs/" + name + "\nmatch/accuracy: 0.500\n";
  write_text(tmp.path() / "r/eval/slurm-2001.out", out);
  OneJob lookup;
  ExperimentScan scan = scan_experiment(spec, lookup);
  REQUIRE(scan.evals.size() == 1);
  CHECK(scan.evals[0].epoch == 1);
  CHECK(scan.evals[0].job_id == "2001");
  CHECK(scan.evals[0].epoch_source == "job 2001 eval-a-r-ep1");
}
