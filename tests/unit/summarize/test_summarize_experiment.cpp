#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/time.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

namespace {

// Records the ids it is asked about; answers from a fixed table, or "unavailable".
class FakeJobLookup : public JobLookup {
public:
  std::optional<std::map<std::string, JobInfo>> lookup(const std::vector<std::string>& ids) override {
    calls.push_back(ids);
    if (!available) {
      return std::nullopt;
    }
    std::map<std::string, JobInfo> out;
    for (const auto& id : ids) {
      if (jobs.contains(id)) {
        out[id] = jobs[id];
      }
    }
    return out;
  }
  bool available = true;
  std::map<std::string, JobInfo> jobs;
  std::vector<std::vector<std::string>> calls;
};

const auto k_now = *seedrun::util::parse_iso8601("2026-01-06T09:30:00Z");

const char* k_design = R"(experiment:
  name: cap_rank
output:
  output_dir_base: out
runs:
  - {name: rank4, type: fine-tuned, model: Llama-3.2-1B, parameters: {lora_rank: 4}}
  - {name: rank8, type: fine-tuned, model: Llama-3.2-1B, parameters: {lora_rank: 8}}
  - {name: base_model, type: control, model: Llama-3.2-1B, parameters: {}}
evaluation:
  matrix:
    - {run: rank4, tasks: [cap], epochs: [0, 1]}
    - {run: rank8, tasks: [cap], epochs: [0, 1]}
    - {run: base_model, tasks: [cap], epochs: null}
)";

std::string training_out(int epochs, int steps_per_epoch, double final_loss) {
  std::string out = "Setting manual seed to local seed 42\n";
  for (int e = 1; e <= epochs; ++e) {
    for (int s = 1; s <= steps_per_epoch; ++s) {
      int step = (e - 1) * steps_per_epoch + s;
      double loss = final_loss + 0.001 * (epochs * steps_per_epoch - step);
      out += fmt::format("\r{}|{}|Loss: {:.4f}: 100%|\xe2\x96\x88| {}/{}\r{}|{}|Loss: {:.4f}", e, step, loss, s,
                         steps_per_epoch, e, step, loss);
    }
    out += "\n";
  }
  return out + "wandb: Run summary:\nwandb: loss " + fmt::format("{:.4f}", final_loss) + "\n";
}

// targets 1 1 1 1 0 0 0 0 with `wrong` of the positives answered 0.
std::vector<json> cap_records(int wrong) {
  std::vector<std::string> targets = {"1", "1", "1", "1", "0", "0", "0", "0"};
  std::vector<std::string> answers = targets;
  for (int i = 0; i < wrong; ++i) {
    answers[static_cast<size_t>(i)] = "0";
  }
  return binary_records(targets, answers);
}

json cap_header(int wrong, const std::string& checkpoint = "") {
  json args = checkpoint.empty() ? json::object() : json{{"model_path", checkpoint}};
  return eval_header("cap", "success", (8.0 - wrong) / 8.0, 8, 8, args);
}

// A complete experiment: two fine-tuned runs (epochs 0 and 1 evaluated) and a control.
// rank4's logs name their checkpoint; rank8's epochs come from its eval jobs' names.
void build_experiment(const std::filesystem::path& dir, FakeJobLookup& lookup) {
  write_text(dir / "experiment_summary.yaml", k_design);
  write_text(dir / "out/ck-out-rank4/slurm-1001.out", training_out(2, 5, 0.234));
  std::filesystem::create_directories(dir / "out/ck-out-rank4/epoch_0");
  write_text(dir / "out/ck-out-rank8/slurm-1002.out", training_out(2, 5, 0.1984));
  write_eval(dir / "rank4/eval/logs/2026-01-05T10-00-00_cap_a.eval", cap_header(2, "/o/ck-out-rank4/epoch_0"),
             cap_records(2));
  write_eval(dir / "rank4/eval/logs/2026-01-05T11-00-00_cap_b.eval", cap_header(1, "/o/ck-out-rank4/epoch_1"),
             cap_records(1));
  write_eval(dir / "rank8/eval/logs/2026-01-05T12-00-00_cap_c.eval", cap_header(3), cap_records(3));
  write_eval(dir / "rank8/eval/logs/2026-01-05T13-00-00_cap_d.eval", cap_header(0), cap_records(0));
  write_text(dir / "rank8/eval/slurm-2001.out", "Log: logs/2026-01-05T12-00-00_cap_c.eval\nmatch/accuracy: 0.625\n");
  write_text(dir / "rank8/eval/slurm-2002.out", "Log: logs/2026-01-05T13-00-00_cap_d.eval\nmatch/accuracy: 1.000\n");
  write_eval(dir / "base_model/eval/logs/2026-01-05T14-00-00_cap_e.eval", cap_header(4), cap_records(4));
  lookup.jobs["1001"] = {"finetune-rank4", 495.0, "COMPLETED", JobOutcome::completed};
  lookup.jobs["1002"] = {"finetune-rank8", 542.0, "COMPLETED", JobOutcome::completed};
  lookup.jobs["2001"] = {"eval-cap-rank8-ep0", 60.0, "COMPLETED", JobOutcome::completed};
  lookup.jobs["2002"] = {"eval-cap-rank8-ep1", 61.0, "COMPLETED", JobOutcome::completed};
}

std::string section(const std::string& markdown, const std::string& title) {
  auto begin = markdown.find("## " + title + "\n");
  REQUIRE_MESSAGE(begin != std::string::npos, title);
  auto end = markdown.find("\n## ", begin + 1);
  if (end == std::string::npos) {
    end = markdown.find("\n---\n", begin);
  }
  return markdown.substr(begin, end - begin);
}

bool has_line(const std::vector<std::string>& lines, const std::string& text) {
  return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l == text; });
}

} // namespace

TEST_CASE("a complete experiment gives the seed's summary, table by table") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);

  SummaryResult r = summarize_experiment(tmp.path(), lookup, k_now);
  REQUIRE_MESSAGE(r.ok, r.error);
  CHECK(r.complete_runs == 3);
  CHECK(r.total_runs == 3);
  CHECK_FALSE(r.no_results);
  REQUIRE(lookup.calls.size() == 1);
  CHECK(lookup.calls[0] == std::vector<std::string>{"1001", "1002", "2001", "2002"});

  CHECK(r.markdown.starts_with("# Experiment Summary\n\n**Experiment:** `cap_rank` | **Generated:** "
                               "2026-01-06T09:30:00Z | **Status:** 3/3 complete\n\n## Run Status\n"));
  CHECK(section(r.markdown, "Run Status") == "## Run Status\n\n"
                                             "| Run | Type | Fine-tuning | Evaluation |\n"
                                             "|-----|------|-------------|------------|\n"
                                             "| rank4 | Fine-tuned | COMPLETED | COMPLETED |\n"
                                             "| rank8 | Fine-tuned | COMPLETED | COMPLETED |\n"
                                             "| base_model | Control | N/A | COMPLETED |\n");
  CHECK(section(r.markdown, "Training Results") == "## Training Results\n\n"
                                                   "| Run | Final Loss | Total Steps | Epochs | Duration |\n"
                                                   "|-----|------------|-------------|--------|----------|\n"
                                                   "| rank4 | 0.234 | 10 | 2 | 8m 15s |\n"
                                                   "| rank8 | 0.1984 | 10 | 2 | 9m 02s |\n\n"
                                                   "**Notes:**\n"
                                                   "- Base model runs have no training loss (control)\n"
                                                   "- Duration from SLURM elapsed time (if available)\n");
  // rank4 epoch 0: tp2 fn2 tn4 → acc .75, recall_1 .5, recall_0 1 → bal .75, f1 2*2/(4+0+2)=.67
  // rank8 epoch 0: tp1 fn3 → acc .625, bal .625, f1 .4; base: tp0 → bal .5, f1 0
  CHECK(section(r.markdown, "Evaluation Results") ==
        "## Evaluation Results\n\n"
        "| Run | Task | Epoch | Accuracy | Bal. Acc | F1 | Samples |\n"
        "|-----|------|-------|----------|----------|------|---------|\n"
        "| rank4 | cap | 0 | 0.75 | 0.75 | 0.67 | 8 |\n"
        "| rank4 | cap | 1 | 0.88 | 0.88 | 0.86 | 8 |\n"
        "| rank8 | cap | 0 | 0.62 | 0.62 | 0.40 | 8 |\n"
        "| rank8 | cap | 1 | 1.00 | 1.00 | 1.00 | 8 |\n"
        "| base_model | cap | - | 0.50 | 0.50 | 0.00 | 8 |\n\n"
        "**Best performing:** rank8 (epoch 1) with 100% balanced accuracy\n");
  CHECK(section(r.markdown, "Incomplete Runs") == "## Incomplete Runs\n\nNone: every run completed its stages.\n");
  CHECK(section(r.markdown, "Next Steps") ==
        "## Next Steps\n\n"
        "1. View detailed evaluation results: `inspect view --port=$(get_free_port)`\n"
        "2. Export raw data: `inspect log export rank4/eval/logs/*.eval --format csv`\n"
        "3. Full analysis with plots and statistics: `seedrun analyze .`\n");
  CHECK(r.markdown.ends_with("\n---\n*Generated by seedrun summarize*\n"));

  CHECK(read_text(tmp.path() / "summary.md") == r.markdown);
  const auto log_text = read_text(tmp.path() / "logs/summarize-experiment.log");
  CHECK(log_text.starts_with("[2026-01-06T09:30:00Z] DISCOVER_EXPERIMENT: " + tmp.path().string() +
                             ": 3 runs (2 fine-tuned, 1 control), outputs in " + (tmp.path() / "out").string() + "\n"));
  CHECK(has_line(r.log_lines, "[2026-01-06T09:30:00Z] QUERY_JOBS: 4 job ids, 4 known to Slurm accounting"));
  CHECK(has_line(r.log_lines, "[2026-01-06T09:30:00Z] EXTRACT_LOSS: rank4: " +
                                  (tmp.path() / "out/ck-out-rank4/slurm-1001.out").string() +
                                  ": final loss 0.234 (epoch 2, step 10), 10 distinct steps"));
  CHECK(has_line(r.log_lines, "[2026-01-06T09:30:00Z] EXTRACT_ACCURACY: rank8/cap/epoch0: " +
                                  (tmp.path() / "rank8/eval/logs/2026-01-05T12-00-00_cap_c.eval").string() +
                                  ": status success, accuracy 0.625, samples 8, scorer match, balanced accuracy "
                                  "0.625, f1 0.4, epoch from job 2001 eval-cap-rank8-ep0"));
  CHECK(r.log_lines.back() == "[2026-01-06T09:30:00Z] COMPLETE: 2 loss values, 5 accuracy values extracted; 0 "
                              "warnings, 0 errors");
}

TEST_CASE("summarizing twice rewrites summary.md and appends to the log") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  auto first = summarize_experiment(tmp.path(), lookup, k_now);
  auto second = summarize_experiment(tmp.path(), lookup, k_now + std::chrono::hours(1));
  REQUIRE(second.ok);
  CHECK(read_text(tmp.path() / "summary.md") == second.markdown);
  CHECK(read_text(tmp.path() / "logs/summarize-experiment.log").size() >
        2 * first.log_lines.size() * 30); // both invocations are there
  CHECK(read_text(tmp.path() / "logs/summarize-experiment.log").find("[2026-01-06T10:30:00Z] COMPLETE") !=
        std::string::npos);
}

TEST_CASE("missing SLURM stdout gives N/A and a warning; an unreadable .eval gives ERROR and its path") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  std::filesystem::remove(tmp.path() / "out/ck-out-rank4/slurm-1001.out");
  const auto broken = tmp.path() / "rank8/eval/logs/2026-01-05T13-00-00_cap_d.eval";
  write_text(broken, "PK\x03\x04 this is not really a zip");

  SummaryResult r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE(r.ok);
  CHECK(section(r.markdown, "Training Results").find("| rank4 | N/A | N/A | N/A | N/A |\n") != std::string::npos);
  CHECK(has_line(r.log_lines, "[2026-01-06T09:30:00Z] EXTRACT_LOSS: rank4: WARNING: no SLURM stdout (slurm-*.out) "
                              "in " +
                                  (tmp.path() / "out/ck-out-rank4").string() + "; loss N/A"));
  // rank4 still counts as trained: its checkpoint folder exists.
  CHECK(section(r.markdown, "Run Status").find("| rank4 | Fine-tuned | COMPLETED | COMPLETED |") != std::string::npos);

  // The job that wrote the broken log names it, so its task and epoch are still known.
  CHECK(section(r.markdown, "Evaluation Results").find("| rank8 | cap | 1 | ERROR | - | - | - |\n") !=
        std::string::npos);
  auto error_line = std::find_if(r.log_lines.begin(), r.log_lines.end(), [](const std::string& l) {
    return l.starts_with("[2026-01-06T09:30:00Z] EXTRACT_ACCURACY: rank8/cap/epoch1: ERROR: cannot open ");
  });
  REQUIRE(error_line != r.log_lines.end());
  CHECK(error_line->find(broken.string()) != std::string::npos);
  CHECK(section(r.markdown, "Run Status").find("| rank8 | Fine-tuned | COMPLETED | PARTIAL (1/2) |") !=
        std::string::npos);
  CHECK(section(r.markdown, "Incomplete Runs")
            .find("| rank8 | Evaluation | PARTIAL (1/2) | 1 of 2 evaluations "
                  "found; missing cap epoch 1; 2026-01-05T13-00-00_cap_d.eval: "
                  "cannot open ") != std::string::npos);
  CHECK(r.markdown.find("**Status:** 2/3 complete") != std::string::npos);
}

TEST_CASE("failed, timed-out and unstarted training runs are listed under Incomplete Runs") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  write_text(tmp.path() / "out/ck-out-rank4/slurm-1001.out",
             training_out(1, 3, 0.9) + "slurmstepd: error: *** JOB 1001 ON n1 CANCELLED AT 2026-01-05T09:00:00 DUE TO "
                                       "TIME LIMIT ***\n");
  std::filesystem::remove_all(tmp.path() / "out/ck-out-rank4/epoch_0");
  write_text(tmp.path() / "out/ck-out-rank8/slurm-1002.out",
             "Traceback (most recent call last):\n  File \"x.py\", line 1\nFileNotFoundError: no such dataset\n");
  auto design = std::string(k_design) + "    - {run: rank16, tasks: [cap], epochs: [0]}\n";
  design.replace(design.find("  - {name: base_model"), 0, "  - {name: rank16, type: fine-tuned, model: m}\n");
  write_text(tmp.path() / "experiment_summary.yaml", design);

  SummaryResult r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE(r.ok);
  CHECK(section(r.markdown, "Run Status") == "## Run Status\n\n"
                                             "| Run | Type | Fine-tuning | Evaluation |\n"
                                             "|-----|------|-------------|------------|\n"
                                             "| rank4 | Fine-tuned | TIMEOUT | COMPLETED |\n"
                                             "| rank8 | Fine-tuned | FAILED | COMPLETED |\n"
                                             "| rank16 | Fine-tuned | NOT STARTED | NOT STARTED |\n"
                                             "| base_model | Control | N/A | COMPLETED |\n");
  CHECK(section(r.markdown, "Training Results")
            .find("| rank4 | 0.9 | 3 | 1 | 8m 15s |\n| rank8 | N/A | N/A | N/A | "
                  "9m 02s |\n\n") != std::string::npos);
  CHECK(section(r.markdown, "Incomplete Runs") ==
        "## Incomplete Runs\n\n| Run | Stage | Status | Notes |\n|-----|-------|--------|-------|\n"
        "| rank4 | Fine-tuning | TIMEOUT | Time limit reached at epoch 1 step 3; check slurm-1001.out |\n"
        "| rank8 | Fine-tuning | FAILED | FileNotFoundError: no such dataset; check slurm-1002.out |\n"
        "| rank16 | Fine-tuning | NOT STARTED | No output directory " +
            (tmp.path() / "out/ck-out-rank16").string() +
            " |\n"
            "| rank16 | Evaluation | NOT STARTED | No .eval files in " +
            (tmp.path() / "rank16/eval").string() + "/logs |\n");
  CHECK(r.markdown.find("**Status:** 1/4 complete") != std::string::npos);
}

TEST_CASE("when no run produced results the summary says so and gives troubleshooting steps") {
  TempDir tmp;
  FakeJobLookup lookup;
  write_text(tmp.path() / "experiment_summary.yaml", k_design);
  write_text(tmp.path() / "out/ck-out-rank4/slurm-1001.out", "Traceback (most recent call last):\nImportError: x\n");
  write_text(tmp.path() / "out/ck-out-rank8/slurm-1002.out",
             "slurmstepd: error: *** JOB 1002 ON n1 CANCELLED AT 2026-01-05T09:00:00 ***\n");
  lookup.jobs["1001"] = {"finetune-rank4", 12.0, "FAILED", JobOutcome::failed};

  SummaryResult r = summarize_experiment(tmp.path(), lookup, k_now);
  REQUIRE(r.ok);
  CHECK(r.no_results);
  CHECK(r.markdown.find("**Status:** 0/3 complete\n\n**No run produced results.** Every run failed or has not "
                        "started; see Incomplete Runs and the troubleshooting steps under Next Steps.\n\n") !=
        std::string::npos);
  CHECK(section(r.markdown, "Evaluation Results") == "## Evaluation Results\n\nNo evaluation results.\n");
  CHECK(section(r.markdown, "Incomplete Runs")
            .find("| rank8 | Fine-tuning | CANCELLED | Cancelled; check "
                  "slurm-1002.out |") != std::string::npos);
  CHECK(section(r.markdown, "Next Steps") ==
        "## Next Steps\n\n"
        "1. Read how the job ended: `tail -n 50 " +
            (tmp.path() / "out/ck-out-rank4/slurm-1001.out").string() +
            "`\n"
            "2. Read how the job ended: `tail -n 50 " +
            (tmp.path() / "out/ck-out-rank8/slurm-1002.out").string() +
            "`\n"
            "3. Check the job states: `sacct -j 1001,1002 --format=JobID,JobName%50,State,Elapsed,ExitCode`\n"
            "4. Check that the output directory in experiment_summary.yaml (`" +
            (tmp.path() / "out").string() +
            "`) is where training writes `ck-out-<run>/`\n"
            "5. Fix the cause, resubmit the runs, then summarize again (summary.md is rewritten)\n");
  CHECK(std::filesystem::exists(tmp.path() / "summary.md"));
}

TEST_CASE("without Slurm accounting, durations are N/A and epochs come from the logs") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  lookup.available = false;

  SummaryResult r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE(r.ok);
  CHECK(section(r.markdown, "Training Results").find("| rank4 | 0.234 | 10 | 2 | N/A |") != std::string::npos);
  CHECK(section(r.markdown, "Training Results")
            .find("- Duration from SLURM elapsed time: unavailable (Slurm accounting could not be queried)\n") !=
        std::string::npos);
  auto eval = section(r.markdown, "Evaluation Results");
  CHECK(eval.find("| rank4 | cap | 0 | 0.75 |") != std::string::npos); // from the checkpoint path
  CHECK(eval.find("| rank8 | cap | ? | 0.62 |") != std::string::npos); // job names unknown
  CHECK(eval.find("| rank8 | cap | ? | 1.00 |") != std::string::npos);
  CHECK(eval.find("**Best performing:** rank8 (epoch ?) with 100% balanced accuracy") != std::string::npos);
  // Unknown epochs still fill the matrix cells of their task.
  CHECK(section(r.markdown, "Run Status").find("| rank8 | Fine-tuned | COMPLETED | COMPLETED |") != std::string::npos);
  CHECK(has_line(r.log_lines, "[2026-01-06T09:30:00Z] QUERY_JOBS: WARNING: Slurm accounting unavailable for 4 job "
                              "ids; durations N/A, epochs from logs only"));
}

TEST_CASE("epochs come from cell folders, from a unique accuracy match, or from a job's stdout alone") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  const auto rank8 = tmp.path() / "rank8/eval";
  std::filesystem::remove_all(rank8);
  // epoch 0: the log sits in a cell folder named after the epoch
  write_eval(rank8 / "cap_ep0/logs/x.eval", cap_header(3), cap_records(3));
  // epoch 1: no name in the job's stdout, but the job's accuracy line matches this log only
  write_eval(rank8 / "logs/y.eval", cap_header(0), cap_records(0));
  write_text(rank8 / "slurm-2002.out", "\xe2\x94\x82 match/accuracy: 1.000  match/stderr: 0.000\n");
  // epoch 2: only the job's stdout survived
  write_text(rank8 / "slurm-2003.out", "match/accuracy: 0.812\n");
  lookup.jobs["2003"] = {"eval-cap-rank8-ep2", 5.0, "COMPLETED", JobOutcome::completed};
  write_text(tmp.path() / "experiment_summary.yaml",
             std::string(k_design).replace(std::string(k_design).find("{run: rank8, tasks: [cap], epochs: [0, 1]}"), 42,
                                           "{run: rank8, tasks: [cap], epochs: [0, 1, 2]}"));

  SummaryResult r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE_MESSAGE(r.ok, r.error);
  auto eval = section(r.markdown, "Evaluation Results");
  CHECK(eval.find("| rank8 | cap | 0 | 0.62 | 0.62 | 0.40 | 8 |\n"
                  "| rank8 | cap | 1 | 1.00 | 1.00 | 1.00 | 8 |\n"
                  "| rank8 | cap | 2 | 0.81 | - | - | - |\n") != std::string::npos);
  CHECK(section(r.markdown, "Run Status").find("| rank8 | Fine-tuned | COMPLETED | COMPLETED |") != std::string::npos);
  CHECK(std::any_of(r.log_lines.begin(), r.log_lines.end(), [](const std::string& l) {
    return l.find("rank8/cap/epoch1: ") != std::string::npos &&
           l.ends_with("epoch from accuracy of job 2002 eval-cap-rank8-ep1");
  }));
}

TEST_CASE("a re-run of the same evaluation replaces the failed attempt") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  json failed = cap_header(0, "/o/ck-out-rank4/epoch_1");
  failed["status"] = "error";
  failed["eval"]["created"] = "2026-01-05T12:00:00+00:00";
  failed["error"] = {{"message", "model crashed"}};
  write_eval(tmp.path() / "rank4/eval/logs/2026-01-05T12-00-00_cap_z.eval", failed, {});

  SummaryResult r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE(r.ok);
  auto eval = section(r.markdown, "Evaluation Results");
  CHECK(eval.find("| rank4 | cap | 1 | 0.88 |") != std::string::npos);
  CHECK(eval.find("ERROR") == std::string::npos);
  CHECK(std::any_of(r.log_lines.begin(), r.log_lines.end(), [](const std::string& l) {
    return l.find("rank4/cap/epoch1: superseded by a newer or successful result: ") != std::string::npos &&
           l.ends_with("2026-01-05T12-00-00_cap_z.eval");
  }));
}

TEST_CASE("without a usable experiment_summary.yaml nothing is summarized and the log says why") {
  TempDir tmp;
  FakeJobLookup lookup;

  SUBCASE("missing") {
    auto r = summarize_experiment(tmp.path(), lookup, k_now);
    CHECK_FALSE(r.ok);
    CHECK(r.error == (tmp.path() / "experiment_summary.yaml").string() +
                         ": cannot read the experiment design (experiment_summary.yaml)");
    CHECK_FALSE(std::filesystem::exists(tmp.path() / "summary.md"));
    CHECK(read_text(tmp.path() / "logs/summarize-experiment.log") ==
          "[2026-01-06T09:30:00Z] DISCOVER_EXPERIMENT: ERROR: " + r.error + "\n");
  }
  SUBCASE("invalid") {
    write_text(tmp.path() / "experiment_summary.yaml", "runs: 3\n");
    auto r = summarize_experiment(tmp.path(), lookup, k_now);
    CHECK_FALSE(r.ok);
    CHECK(r.error == (tmp.path() / "experiment_summary.yaml").string() + ":1:7: 'runs' must be a list of runs");
  }
  SUBCASE("the directory does not exist") {
    auto r = summarize_experiment(tmp.path() / "nope", lookup, k_now);
    CHECK_FALSE(r.ok);
    CHECK_FALSE(std::filesystem::exists(tmp.path() / "nope"));
  }
  CHECK(lookup.calls.empty());
}

// Issue 9, item 9: a planted link at the log made summarize copy the link's target into a new
// world-readable file.
TEST_CASE("summarize never writes through a planted link and never copies what a link points to") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  const auto secret = tmp.path() / "secret.txt";
  write_text(secret, "TOPSECRET\n");
  std::filesystem::permissions(secret, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  const auto log = tmp.path() / "logs/summarize-experiment.log";
  std::filesystem::create_directories(log.parent_path());

  auto no_copy_anywhere = [&] {
    for (const auto& e : std::filesystem::recursive_directory_iterator(tmp.path())) {
      if (e.is_regular_file() && !e.is_symlink() && !std::filesystem::equivalent(e.path(), secret)) {
        CHECK_MESSAGE(read_text(e.path()).find("TOPSECRET") == std::string::npos, e.path().string());
      }
    }
    CHECK(read_text(secret) == "TOPSECRET\n");
  };

  SUBCASE("a symbolic link at the log") {
    std::filesystem::create_symlink(secret, log);
    auto r = summarize_experiment(tmp.path(), lookup, k_now);
    CHECK_FALSE(r.ok);
    CHECK(r.error == log.string() + " is a symbolic link (to " + secret.string() +
                         "); summarize does not write through links: remove it and run summarize again");
    CHECK(std::filesystem::is_symlink(log));
    CHECK_FALSE(std::filesystem::exists(tmp.path() / "summary.md")); // refused before anything was written
    no_copy_anywhere();
  }
  SUBCASE("a dangling symbolic link at the log is refused too") {
    std::filesystem::create_symlink(tmp.path() / "elsewhere.txt", log);
    CHECK_FALSE(summarize_experiment(tmp.path(), lookup, k_now).ok);
    CHECK_FALSE(std::filesystem::exists(tmp.path() / "elsewhere.txt"));
  }
  SUBCASE("a symbolic link at summary.md") {
    std::filesystem::create_symlink(secret, tmp.path() / "summary.md");
    auto r = summarize_experiment(tmp.path(), lookup, k_now);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("summary.md is a symbolic link") != std::string::npos);
    CHECK(std::filesystem::is_symlink(tmp.path() / "summary.md"));
    no_copy_anywhere();
  }
  SUBCASE("a hard link to another file at the log") {
    std::filesystem::create_hard_link(secret, log);
    auto r = summarize_experiment(tmp.path(), lookup, k_now);
    CHECK_FALSE(r.ok);
    CHECK(r.error == log.string() + " is not a regular file with a single link; summarize does not write to it: "
                                    "remove it and run summarize again");
    no_copy_anywhere();
  }
  SUBCASE("a FIFO at the log does not hang summarize") {
    REQUIRE(::mkfifo(log.c_str(), 0600) == 0);
    auto r = summarize_experiment(tmp.path(), lookup, k_now);
    CHECK_FALSE(r.ok);
    CHECK(r.error.find("is not a regular file") != std::string::npos);
  }
  SUBCASE("a new log is created 0644 less the umask, and an existing one keeps its mode") {
    const mode_t old_mask = ::umask(022);
    auto r = summarize_experiment(tmp.path(), lookup, k_now);
    REQUIRE_MESSAGE(r.ok, r.error);
    struct stat st {};
    REQUIRE(::stat(log.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0644);
    ::chmod(log.c_str(), 0600);
    REQUIRE(summarize_experiment(tmp.path(), lookup, k_now).ok);
    REQUIRE(::stat(log.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    ::umask(old_mask);
    no_copy_anywhere();
  }
}

TEST_CASE("an old log without a final newline gets one before the new lines") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  write_text(tmp.path() / "logs/summarize-experiment.log", "[old] COMPLETE: cut");
  auto r = summarize_experiment(tmp.path(), lookup, k_now);
  REQUIRE(r.ok);
  auto text = read_text(tmp.path() / "logs/summarize-experiment.log");
  CHECK(text.starts_with("[old] COMPLETE: cut\n[2026-01-06T09:30:00Z] "));
  CHECK(text.ends_with(r.log_lines.back() + "\n"));
}

TEST_CASE("Evaluation Logs says which log answered which cell, as in docs/summarize.md") {
  TempDir tmp;
  FakeJobLookup lookup;
  build_experiment(tmp.path(), lookup);
  auto r = build_summary(tmp.path(), lookup, k_now);
  REQUIRE(r.ok);
  CHECK(section(r.markdown, "Evaluation Logs") ==
        "## Evaluation Logs\n\n"
        "| Run | Task | Epoch | Log | Task in log | Task matched by | Epoch from |\n"
        "|-----|------|-------|-----|-------------|-----------------|------------|\n"
        "| rank4 | cap | 0 | rank4/eval/logs/2026-01-05T10-00-00_cap_a.eval | cap | exact | eval spec |\n"
        "| rank4 | cap | 1 | rank4/eval/logs/2026-01-05T11-00-00_cap_b.eval | cap | exact | eval spec |\n"
        "| rank8 | cap | 0 | rank8/eval/logs/2026-01-05T12-00-00_cap_c.eval | cap | exact | job 2001 "
        "eval-cap-rank8-ep0 |\n"
        "| rank8 | cap | 1 | rank8/eval/logs/2026-01-05T13-00-00_cap_d.eval | cap | exact | job 2002 "
        "eval-cap-rank8-ep1 |\n"
        "| base_model | cap | - | base_model/eval/logs/2026-01-05T14-00-00_cap_e.eval | cap | exact | - |\n");
}
