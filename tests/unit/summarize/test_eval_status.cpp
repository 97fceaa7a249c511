// evaluation_status (src/summarize/eval_status.cpp) and the task matching that feeds it: a
// namespaced inspect-ai task (`inspect_evals/mmlu_0_shot`) answers the matrix's `mmlu`, and a
// log that answers no cell is a note, never an index into an empty list (issue 9, item 1).
#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/scan_parts.hpp"
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/time.hpp"

#include <doctest/doctest.h>

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

namespace {

const auto k_now = *seedrun::util::parse_iso8601("2026-01-06T09:30:00Z");

ExperimentSpec control_spec(const std::filesystem::path& dir, const std::string& task) {
  return parse_experiment_spec("runs: [{name: base, type: control}]\n"
                               "evaluation: {matrix: [{run: base, tasks: [" +
                                   task + "], epochs: null}]}\n",
                               dir / "experiment_summary.yaml");
}

EvalResult ok_row(const std::string& task, const std::string& log_task, const std::string& how) {
  EvalResult row;
  row.run = "base";
  row.task = task;
  row.log_task = log_task;
  row.task_match = how;
  row.path = "/x/base/eval/logs/a.eval";
  row.readable = true;
  row.status = "success";
  row.accuracy = 0.5;
  return row;
}

std::string section(const std::string& markdown, const std::string& title) {
  auto begin = markdown.find("## " + title + "\n");
  REQUIRE_MESSAGE(begin != std::string::npos, title);
  return markdown.substr(begin, markdown.find("\n## ", begin + 1) - begin);
}

} // namespace

TEST_CASE("a matrix task is matched by exact name, then the name after the last '/', then a prefix") {
  const std::vector<std::string> tasks = {"mmlu", "mmlu_pro", "cap", "inspect_evals/gsm8k"};
  auto check = [&](const std::string& log_task, const std::string& task, const std::string& how) {
    CAPTURE(log_task);
    TaskMatch m = match_matrix_task(log_task, tasks);
    CHECK(m.task == task);
    CHECK(m.how == how);
  };
  check("mmlu", "mmlu", "exact");
  check("inspect_evals/gsm8k", "inspect_evals/gsm8k", "exact");
  check("inspect_evals/mmlu", "mmlu", "name after '/'");
  check("gsm8k", "inspect_evals/gsm8k", "name after '/'");
  check("other_registry/gsm8k", "inspect_evals/gsm8k", "name after '/'");
  check("inspect_evals/mmlu_0_shot", "mmlu", "prefix");
  check("inspect_evals/mmlu_pro_5_shot", "mmlu_pro", "prefix"); // the longest prefix wins
  check("cap-rank4", "cap", "prefix");
  check("capx", "capx", "no match"); // a prefix must end at a separator
  check("inspect_evals/arc", "inspect_evals/arc", "no match");
  CHECK(match_matrix_task("", tasks).how == "no match");
  CHECK(match_matrix_task("mmlu", {}).how == "no match");
}

TEST_CASE("a successful log that answers no cell and no eval job output gives FAILED with a note, no crash") {
  TempDir tmp;
  auto spec = control_spec(tmp.path(), "mmlu");
  const RunSpec& run = spec.runs.front();
  std::string note;
  // The situation that segfaulted: logs present, none for the matrix task, no slurm-*.out at all.
  auto status = evaluation_status(spec, run, {ok_row("arc", "inspect_evals/arc", "no match")}, EvalFiles{}, note);
  CHECK(status == "FAILED");
  CHECK(note == "the logs answer 'inspect_evals/arc', not the matrix's 'mmlu' (see Evaluation Logs)");

  SUBCASE("no logs and only a job output names the output") {
    EvalFiles files;
    files.slurm_outs = {tmp.path() / "base/eval/slurm-9.out"};
    note.clear();
    CHECK(evaluation_status(spec, run, {}, files, note) == "FAILED");
    CHECK(note.ends_with("check slurm-9.out"));
  }
  SUBCASE("nothing at all is NOT STARTED") {
    note.clear();
    CHECK(evaluation_status(spec, run, {}, EvalFiles{}, note) == "NOT STARTED");
  }
  SUBCASE("the matched row completes the run") {
    note.clear();
    CHECK(evaluation_status(spec, run, {ok_row("mmlu", "inspect_evals/mmlu_0_shot", "prefix")}, EvalFiles{}, note) ==
          "COMPLETED");
  }
}

TEST_CASE("a log whose task matches but whose epoch is not in the matrix says which cells are missing") {
  TempDir tmp;
  auto spec = parse_experiment_spec("runs: [{name: r, type: fine-tuned}]\n"
                                    "evaluation: {matrix: [{run: r, tasks: [cap], epochs: [0, 1]}]}\n",
                                    tmp.path() / "experiment_summary.yaml");
  auto row = ok_row("cap", "cap", "exact");
  row.run = "r";
  row.epoch = 7;
  std::string note;
  CHECK(evaluation_status(spec, spec.runs.front(), {row}, EvalFiles{}, note) == "FAILED");
  CHECK(note == "1 successful log, none for the cells cap epoch 0, cap epoch 1 (see Evaluation Logs)");
}

TEST_CASE("summarize: a control run whose log says inspect_evals/mmlu_0_shot completes its mmlu cell") {
  TempDir tmp;
  write_text(tmp.path() / "experiment_summary.yaml", "runs: [{name: base_model, type: control}]\n"
                                                     "evaluation: {matrix: [{run: base_model, tasks: [mmlu], "
                                                     "epochs: null}]}\n");
  auto header = eval_header("inspect_evals/mmlu_0_shot", "success", 0.0, 1, 1, json::object(), "choice");
  write_eval(tmp.path() / "base_model/eval/logs/mmlu.eval", header, {sample_record(1, 1, "A", "I", "C", "choice")});
  NoJobLookup lookup;
  SummaryResult r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE_MESSAGE(r.ok, r.error);
  REQUIRE(r.scan.runs.size() == 1);
  CHECK(r.scan.runs[0].evaluation == "COMPLETED");
  CHECK(r.complete_runs == 1);
  REQUIRE(r.scan.evals.size() == 1);
  CHECK(r.scan.evals[0].task == "mmlu");
  CHECK(r.scan.evals[0].log_task == "inspect_evals/mmlu_0_shot");
  CHECK_FALSE(r.scan.evals[0].binary); // "A".."D" targets: not a binary task
  auto logs = section(r.markdown, "Evaluation Logs");
  CHECK(logs.find(
            "| base_model | mmlu | - | base_model/eval/logs/mmlu.eval | inspect_evals/mmlu_0_shot | prefix | - |") !=
        std::string::npos);
  CHECK(section(r.markdown, "Evaluation Results").find("| base_model | mmlu | - | 0.00 | - | - | 1 |") !=
        std::string::npos);
}

TEST_CASE("conformance: the real inspect_evals/mmlu_0_shot log answers a matrix task 'mmlu'") {
  const auto real = std::filesystem::path(SEEDRUN_REALDATA_DIR) / "inspect/inspect_ai__mmlu-summary-choices.eval";
  if (!std::filesystem::is_regular_file(real)) {
    MESSAGE("skipped: " << real.string() << " is absent");
    return;
  }
  TempDir tmp;
  write_text(tmp.path() / "experiment_summary.yaml", "runs: [{name: base_model, type: control}]\n"
                                                     "evaluation: {matrix: [{run: base_model, tasks: [mmlu], "
                                                     "epochs: null}]}\n");
  std::filesystem::create_directories(tmp.path() / "base_model/eval/logs");
  std::filesystem::create_symlink(real, tmp.path() / "base_model/eval/logs/real.eval"); // read, never copied
  NoJobLookup lookup;
  SummaryResult r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.scan.runs[0].evaluation == "COMPLETED");
  REQUIRE(r.scan.evals.size() == 1);
  CHECK(r.scan.evals[0].task == "mmlu");
  CHECK(r.scan.evals[0].task_match == "prefix");
  CHECK(r.markdown.find("| inspect_evals/mmlu_0_shot | prefix |") != std::string::npos);
}
