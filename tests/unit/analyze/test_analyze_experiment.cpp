// `seedrun analyze DIR` on a seed-001 experiment directory built in a temp folder: training stdout
// in {output}/ck-out-{run}/slurm-*.out, inspect-ai .eval logs in {run}/eval/logs, training times from a
// fake Slurm accounting. Numbers are checked against tests/fixtures/analyze/reference.py.
#include "../../fixtures/summarize/eval_fixture.hpp"
#include "../render/svg_check.hpp"
#include "reference_types.hpp"
#include "seedrun/analyze/analyze.hpp"
#include "seedrun/analyze/sources.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace seedrun;
using namespace seedrun::analyze;
using namespace seedrun::analyze::testing;
using namespace seedrun::render::testing;
namespace sum = seedrun::summarize;
namespace fix = seedrun::summarize::testing;

namespace {

const auto k_now = *util::parse_iso8601("2026-01-06T09:30:00Z");

class FakeJobs : public sum::JobLookup {
public:
  std::optional<std::map<std::string, sum::JobInfo>> lookup(const std::vector<std::string>& ids) override {
    std::map<std::string, sum::JobInfo> out;
    for (const auto& id : ids) {
      if (jobs.contains(id)) {
        out[id] = jobs[id];
      }
    }
    return out;
  }
  std::map<std::string, sum::JobInfo> jobs;
};

std::string design() {
  std::string runs;
  std::string matrix;
  for (const auto& r : k_exp_runs) {
    std::string params;
    if (r.rank) {
      params = fmt::format("lora_rank: {}, learning_rate: {}", *r.rank, *r.lr);
      params += r.seed ? fmt::format(", seed: {}", *r.seed) : "";
    }
    runs +=
        fmt::format("  - {{name: {}, type: {}, model: Llama-3.2-1B, parameters: {{{}}}}}\n", r.name, r.type, params);
    matrix +=
        fmt::format("    - {{run: {}, tasks: [cap], epochs: {}}}\n", r.name, r.type == "control" ? "null" : "[0, 1]");
  }
  return "experiment:\n  name: cap_sweep\noutput:\n  output_dir_base: out\nruns:\n" + runs +
         "evaluation:\n  matrix:\n" + matrix;
}

// targets 1 1 1 1 0 0 0 0, `wrong` of the positives answered 0
std::vector<fix::json> records(int wrong) {
  std::vector<std::string> targets = {"1", "1", "1", "1", "0", "0", "0", "0"};
  std::vector<std::string> answers = targets;
  for (int i = 0; i < wrong; ++i) {
    answers[static_cast<size_t>(i)] = "0";
  }
  return fix::binary_records(targets, answers);
}

std::string training_out(const RefExpRun& r) {
  std::string out = "Setting manual seed to local seed 42\n";
  for (size_t i = 0; i < r.losses.size(); ++i) {
    out += fmt::format("{}|{}|Loss: {:.4f}\n", i / 25 + 1, i + 1, r.losses[i]);
  }
  if (r.status == "FAILED") {
    out += "1|1|Loss: 2.3000\nTraceback (most recent call last):\n  File \"train.py\", line 3\n"
           "RuntimeError: CUDA out of memory.\n";
  }
  return out;
}

void build_experiment(const std::filesystem::path& dir, FakeJobs& jobs) {
  fix::write_text(dir / "experiment_summary.yaml", design());
  int job = 1000;
  for (const auto& r : k_exp_runs) {
    if (r.type != "control") {
      ++job;
      fix::write_text(dir / "out" / ("ck-out-" + r.name) / fmt::format("slurm-{}.out", job), training_out(r));
      jobs.jobs[std::to_string(job)] = {"finetune-" + r.name, r.secs, r.status == "FAILED" ? "FAILED" : "COMPLETED",
                                        r.status == "FAILED" ? sum::JobOutcome::failed : sum::JobOutcome::completed};
    }
    for (size_t e = 0; e < r.wrong.size(); ++e) {
      std::string ck = r.type == "control" ? "" : fmt::format("/o/ck-out-{}/epoch_{}", r.name, e);
      fix::json args = ck.empty() ? fix::json::object() : fix::json{{"model_path", ck}};
      auto header = fix::eval_header("cap", "success", (8.0 - r.wrong[e]) / 8.0, 8, 8, args);
      fix::write_eval(dir / r.name / "eval/logs" / fmt::format("2026-01-05T1{}-00-00_cap_{}.eval", e, r.name), header,
                      records(r.wrong[e]));
    }
  }
}

void check_summary(const stats::Summary& s, const RefSummary& ref) {
  CHECK(s.n == ref.n);
  CHECK(*s.mean == doctest::Approx(ref.mean).epsilon(1e-12));
  CHECK(*s.min == ref.min);
  CHECK(*s.max == ref.max);
  REQUIRE(s.std.has_value() == ref.std.has_value());
  if (ref.std) {
    CHECK(*s.std == doctest::Approx(*ref.std).epsilon(1e-9));
  }
}

std::string row_of(const std::string& md, const std::string& start) {
  auto at = md.find("\n" + start);
  REQUIRE_MESSAGE(at != std::string::npos, start);
  return md.substr(at + 1, md.find('\n', at + 1) - at - 1);
}

} // namespace

TEST_CASE("an experiment directory becomes arms, runs and evaluation rows") {
  fix::TempDir tmp;
  FakeJobs jobs;
  build_experiment(tmp.path(), jobs);
  auto summary = sum::build_summary(tmp.path(), jobs, k_now);
  REQUIRE_MESSAGE(summary.ok, summary.error);
  AnalysisInput in = experiment_input(summary, "");

  std::vector<std::string> arms;
  for (const auto& a : in.arms) {
    arms.push_back(a.name + (a.control ? " (control)" : ""));
  }
  CHECK(arms == std::vector<std::string>{"r4_lr1e-5", "r4_lr5e-5", "r8_lr1e-5", "r8_lr5e-5", "r16_lr5e-5",
                                         "base_model (control)"});
  CHECK(in.parameter_names == std::vector<std::string>{"learning_rate", "lora_rank"});
  REQUIRE(in.runs.size() == 7);
  CHECK(in.runs[4].name == "r16_lr5e-5_s1");
  CHECK(in.runs[4].arm == "r16_lr5e-5");
  CHECK(in.runs[4].seed == std::optional<int>(1));
  CHECK(in.runs[0].curve.size() == 50);
  CHECK(in.runs[0].final_loss == std::optional<double>(0.412));
  CHECK(in.runs[0].train_seconds == std::optional<double>(495.0));
  CHECK(in.runs[3].state == "FAILED");
  CHECK(in.runs[3].metrics.empty());

  REQUIRE(in.evals.size() == 7);
  CHECK(in.evals[2].run == "r8_lr1e-5");
  CHECK(in.evals[2].epoch == std::optional<int>(1));
  CHECK(in.evals[2].accuracy == std::optional<double>(0.875));
  CHECK(in.evals[2].note == "last of 2 evaluated epochs; highest accuracy at epoch 0: 1.0000");
  CHECK(in.evals[3].note == "no successful evaluation");
  CHECK(in.evals[4].note == "best accuracy; last of 2 evaluated epochs");
  CHECK(in.evals[6].note == "control");
  CHECK(*in.evals[0].balanced_accuracy == doctest::Approx(0.75));
  CHECK(*in.evals[0].f1 == doctest::Approx(4.0 / 6.0));

  auto has = [&](const std::string& text) {
    return std::any_of(in.limitations.begin(), in.limitations.end(),
                       [&](const std::string& l) { return l.starts_with(text); });
  };
  CHECK(has("r8_lr5e-5: fine-tuning FAILED: RuntimeError: CUDA out of memory."));
  CHECK(has("r8_lr5e-5: evaluation "));
}

TEST_CASE("the experiment's statistics, sweep and cost agree with scipy") {
  fix::TempDir tmp;
  FakeJobs jobs;
  build_experiment(tmp.path(), jobs);
  auto summary = sum::build_summary(tmp.path(), jobs, k_now);
  AnalysisInput in = experiment_input(summary, "cap");
  Analysis a = analyze_input(in, {});

  REQUIRE(a.ranking.size() == k_exp_arms.size());
  for (size_t i = 0; i < k_exp_arms.size(); ++i) {
    CAPTURE(k_exp_arms[i].name);
    CHECK(a.ranking[i].arm == k_exp_arms[i].name);
    check_summary(a.ranking[i].summary, k_exp_arms[i].s);
    CHECK(a.ranking[i].mean_train_minutes.has_value() == k_exp_arms[i].minutes.has_value());
    if (k_exp_arms[i].minutes) {
      CHECK(*a.ranking[i].mean_train_minutes == doctest::Approx(*k_exp_arms[i].minutes).epsilon(1e-12));
    }
  }
  CHECK(a.ranking[0].ci95->first == doctest::Approx(k_exp_arms[0].s.ci->first).epsilon(1e-10));
  CHECK(a.pairs.empty()); // only one arm has two seeds

  REQUIRE(a.parameters.size() == 2);
  CHECK(a.parameters[0].parameter == "lora_rank");
  for (const auto& e : a.parameters) {
    for (const auto& ref : k_exp_levels) {
      if (ref.parameter == e.parameter) {
        CHECK(e.spread == doctest::Approx(ref.spread).epsilon(1e-12));
        CHECK(e.best_level == ref.best);
        auto it =
            std::find_if(e.levels.begin(), e.levels.end(), [&](const LevelMean& l) { return l.level == ref.level; });
        REQUIRE(it != e.levels.end());
        CHECK(it->mean == doctest::Approx(ref.mean).epsilon(1e-12));
      }
    }
  }
  REQUIRE(a.heatmap.has_value());
  CHECK(a.heatmap->y_parameter == "learning_rate");
  CHECK(a.heatmap->x_levels == std::vector<std::string>{"4", "8", "16"});
  CHECK(a.heatmap->cells[0][0] == std::optional<double>(0.75));
  CHECK(a.heatmap->cells[0][2] == std::nullopt);
  CHECK(a.heatmap->cells[1][1] == std::nullopt); // r8_lr5e-5 failed
  CHECK(a.heatmap->cells[1][2] == std::optional<double>(0.9375));

  std::map<std::string, std::string> metric_names = {
      {"acc", "Accuracy"}, {"loss", "Final loss"}, {"minutes", "Train time (min)"}};
  for (const auto& ref : k_exp_stats) {
    auto row = std::find_if(a.summary.begin(), a.summary.end(), [&](const SummaryRow& r) {
      return r.metric == metric_names.at(ref.metric) && r.group == ref.arm;
    });
    REQUIRE_MESSAGE(row != a.summary.end(), std::string(ref.metric + " " + ref.arm));
    check_summary(row->summary, ref.s);
  }
  REQUIRE(a.cost.size() == k_exp_cost.size());
  for (const auto& [arm, per_minute] : k_exp_cost) {
    auto it = std::find_if(a.cost.begin(), a.cost.end(), [&](const CostRow& c) { return c.arm == arm; });
    REQUIRE(it != a.cost.end());
    CHECK(*it->metric_per_minute == doctest::Approx(per_minute).epsilon(1e-12));
  }
  for (const auto& ref : k_exp_convergence) {
    auto it = std::find_if(in.runs.begin(), in.runs.end(), [&](const RunRecord& r) { return r.name == ref.run; });
    const Convergence& c = a.convergence[static_cast<size_t>(it - in.runs.begin())];
    CAPTURE(ref.run);
    CHECK(c.window_points == ref.window);
    CHECK(*c.relative_change == doctest::Approx(ref.change).epsilon(1e-9));
    CHECK(c.status ==
          (ref.status == "still_falling" ? ConvergenceStatus::still_falling : ConvergenceStatus::converged));
  }
}

TEST_CASE("analysing an experiment directory writes the report, plots, tables and the process log") {
  fix::TempDir tmp;
  FakeJobs jobs;
  build_experiment(tmp.path(), jobs);
  AnalyzeOptions opts;
  opts.html = true;
  AnalyzeResult r = analyze_experiment_dir(tmp.path(), jobs, opts, k_now);
  auto out = tmp.path() / "analysis";
  CHECK(r.report == out / "report.md");
  keep_tree(out, "experiment");
  std::string md = slurp(out / "report.md");
  CHECK(md.starts_with("# Experiment Analysis: cap_sweep\n"));
  CHECK(row_of(md, "| r4_lr1e-5 | r4_lr1e-5 |") ==
        "| r4_lr1e-5 | r4_lr1e-5 | 1e-5 | 4 | - | COMPLETED | 0.4120 | 8.25 | No |");
  CHECK(row_of(md, "| r8_lr5e-5 | r8_lr5e-5 |") ==
        "| r8_lr5e-5 | r8_lr5e-5 | 5e-5 | 8 | - | FAILED | n/a | 2.00 | Unknown |");
  CHECK(row_of(md, "| r16_lr5e-5_s1 | cap |") ==
        "| r16_lr5e-5_s1 | cap | 1 | 1.0000 | 1.0000 | 1.0000 | 8 | best accuracy; last of 2 evaluated epochs |");
  CHECK(row_of(md, "| base_model | cap |") == "| base_model | cap | - | 0.6250 | 0.6250 | 0.4000 | 8 | control |");
  const auto& top = k_exp_arms[0];
  CHECK(row_of(md, "| 1 | r16_lr5e-5 |") ==
        fmt::format("| 1 | r16_lr5e-5 | 2 | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.2f} |", top.s.mean, *top.s.std,
                    top.s.ci->first, std::min(1.0, top.s.ci->second), *top.minutes)); // accuracy: CI within [0, 1]
  CHECK(row_of(md, "| r4_lr5e-5 | 0.8750 |") ==
        fmt::format("| r4_lr5e-5 | 0.8750 | 9.03 | {:.4f} |", k_exp_cost[1].second));
  CHECK(md.find("- **r16_lr5e-5** has the best mean Accuracy: 0.9375 (n = 2, 95% CI [") != std::string::npos);
  CHECK(md.find("- The control base_model scores 0.6250; the best configuration r16_lr5e-5 differs from it by +0.3125 "
                "Accuracy.") != std::string::npos);
  CHECK(
      md.find("- **lora_rank** matters most: the mean Accuracy spans 0.1250 across its 3 levels (best: lora_rank = 16, "
              "0.9375); against 0.0938 for learning_rate.") != std::string::npos);
  CHECK(md.find("- r4_lr1e-5: still falling (-3.8% over the last 10% of steps)") != std::string::npos);
  CHECK(md.find("Not computed: fewer than two arms have two or more runs with a value.") != std::string::npos);
  CHECK(
      md.find("**Further exploration:** the best lora_rank (16) is at the upper end of the tested values (4, 8, 16)") !=
      std::string::npos);

  auto eval_csv = slurp(out / "tables/evaluation.csv");
  CHECK(eval_csv.starts_with("Run,Task,Epoch,Accuracy,Bal. acc,F1,Samples,Notes\r\nr4_lr1e-5,cap,1,0.75,0.75,"));
  std::string tex = slurp(out / "tables/evaluation.tex");
  CHECK(tex.find("r4\\_lr1e-5 & cap & 1 & 0.7500") != std::string::npos);
  for (const char* plot : {"loss_curves", "final_metric", "heatmap", "seeds_box"}) {
    auto file = out / "plots" / (std::string(plot) + ".svg");
    REQUIRE_MESSAGE(std::filesystem::exists(file), plot);
    PngInfo png = render_png(file);
    CHECK_MESSAGE(png.ok, png.error);
    CHECK(slurp(file).find("nan") == std::string::npos);
  }
  std::string log = slurp(tmp.path() / "logs/analyze-experiment.log");
  CHECK(log.starts_with("[2026-01-06T09:30:00Z] ANALYZE: 7 runs in 6 arms, ranked on accuracy\n"));
  CHECK(log.find("] COMPLETE: " + (out / "report.md").string() + "\n") != std::string::npos);
}

TEST_CASE("without Slurm accounting the times are missing and said to be, and nothing crashes") {
  fix::TempDir tmp;
  FakeJobs jobs;
  build_experiment(tmp.path(), jobs);
  AnalyzeResult r = analyze_experiment_dir(tmp.path(), AnalyzeOptions{}, k_now);
  CHECK(std::any_of(r.limitations.begin(), r.limitations.end(),
                    [](const std::string& l) { return l.starts_with("Training times are unknown"); }));
  CHECK_FALSE(std::filesystem::exists(tmp.path() / "analysis/tables/cost_benefit.csv"));
  CHECK(r.markdown.find("No training time is known, so cost per result cannot be computed.") != std::string::npos);
}

TEST_CASE("partial and broken experiments still give a report") {
  fix::TempDir tmp;
  SUBCASE("no experiment_summary.yaml is a usage error") {
    CHECK_THROWS_AS(analyze_experiment_dir(tmp.path(), AnalyzeOptions{}, k_now), UsageError);
  }
  SUBCASE("nothing ran yet") {
    fix::write_text(tmp.path() / "experiment_summary.yaml", design());
    AnalyzeResult r = analyze_experiment_dir(tmp.path(), AnalyzeOptions{}, k_now);
    CHECK(r.markdown.find("- No run has a value of Accuracy: nothing can be ranked (see Limitations).") !=
          std::string::npos);
    CHECK(r.markdown.find("No run has Training loss points to plot.") != std::string::npos);
    CHECK(std::filesystem::exists(tmp.path() / "analysis/tables/fine_tuning.csv"));
    CHECK_FALSE(std::filesystem::exists(tmp.path() / "analysis/plots/final_metric.svg"));
    CHECK(r.markdown.find("nan") == std::string::npos);
  }
  SUBCASE("an unreadable eval log and a loss of nan are listed, not fatal") {
    FakeJobs jobs;
    build_experiment(tmp.path(), jobs);
    fix::write_text(tmp.path() / "r4_lr1e-5/eval/logs/2026-01-05T19-00-00_cap_broken.eval", "not a zip");
    fix::write_text(tmp.path() / "out/ck-out-r4_lr5e-5/slurm-1002.out", "1|1|Loss: nan\n1|2|Loss: 0.5\n");
    AnalyzeResult r = analyze_experiment_dir(tmp.path(), jobs, AnalyzeOptions{}, k_now);
    CHECK(std::any_of(r.limitations.begin(), r.limitations.end(),
                      [](const std::string& l) { return l.find("cap_broken.eval") != std::string::npos; }));
    for (const auto& f : r.files) {
      if (f.extension() == ".svg") {
        CHECK(slurp(f).find("nan") == std::string::npos);
      }
    }
  }
  SUBCASE("an unknown task is a usage error") {
    FakeJobs jobs;
    build_experiment(tmp.path(), jobs);
    AnalyzeOptions opts;
    opts.task = "nope";
    CHECK_THROWS_WITH_AS(analyze_experiment_dir(tmp.path(), jobs, opts, k_now),
                         "the experiment has no evaluation task 'nope' (tasks: cap)", UsageError);
  }
}

TEST_CASE("analyze never writes its process log through a planted link and never copies its target") {
  fix::TempDir tmp;
  FakeJobs jobs;
  build_experiment(tmp.path(), jobs);
  const auto secret = tmp.path() / "secret.txt";
  fix::write_text(secret, "TOPSECRET\n");
  const auto log = tmp.path() / "logs/analyze-experiment.log";
  std::filesystem::create_directories(log.parent_path());
  std::filesystem::create_symlink(secret, log);
  try {
    analyze_experiment_dir(tmp.path(), jobs, AnalyzeOptions{}, k_now);
    FAIL("a link at the log was written through");
  } catch (const Error& e) {
    CHECK(std::string(e.what()).find("analyze-experiment.log is a symbolic link") != std::string::npos);
  }
  CHECK(std::filesystem::is_symlink(log));
  CHECK(fix::read_text(secret) == "TOPSECRET\n");
  for (const auto& e : std::filesystem::recursive_directory_iterator(tmp.path())) {
    if (e.is_regular_file() && !e.is_symlink() && e.path() != secret) {
      CHECK_MESSAGE(fix::read_text(e.path()).find("TOPSECRET") == std::string::npos, e.path().string());
    }
  }
  std::filesystem::remove(log);
  analyze_experiment_dir(tmp.path(), jobs, AnalyzeOptions{}, k_now);
  analyze_experiment_dir(tmp.path(), jobs, AnalyzeOptions{}, k_now + std::chrono::hours(1));
  auto text = fix::read_text(log);
  CHECK(text.find("[2026-01-06T09:30:00Z] COMPLETE: ") != std::string::npos);
  CHECK(text.find("[2026-01-06T10:30:00Z] COMPLETE: ") != std::string::npos); // appended, history kept
}

TEST_CASE("64-bit seeds in an experiment's parameters are kept whole and still group runs into arms") {
  fix::TempDir tmp;
  fix::write_text(
      tmp.path() / "experiment_summary.yaml",
      "runs:\n"
      "  - {name: r8_seed4294967301, type: fine-tuned, model: m, parameters: {lora_rank: 8, seed: 4294967301}}\n"
      "  - {name: r8_seed4294967302, type: fine-tuned, model: m, parameters: {lora_rank: 8, seed: 4294967302}}\n");
  sum::NoJobLookup none;
  auto summary = sum::build_summary(tmp.path(), none, k_now);
  REQUIRE_MESSAGE(summary.ok, summary.error);
  AnalysisInput in = experiment_input(summary, "");
  REQUIRE(in.arms.size() == 1);
  CHECK(in.arms[0].name == "r8");
  REQUIRE(in.runs.size() == 2);
  CHECK(in.runs[0].seed == 4294967301LL);
  CHECK(in.runs[1].seed == 4294967302LL);
}
