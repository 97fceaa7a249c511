// summary.md, section by section, in the seed's layout.
#include "seedrun/render/markdown.hpp"
#include "seedrun/summarize/summary.hpp"
#include "seedrun/util/strings.hpp"
#include "seedrun/util/time.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>

namespace seedrun::summarize {
namespace {

// Cells quote log messages and paths: '|' escaped, line breaks made spaces.
std::string row(const std::vector<std::string>& cells) {
  return render::markdown_row(cells, render::CellEscape::pipe_and_newline);
}

// The header row and the rule under it, as wide as each header cell (the seed's layout);
// `dashes` overrides the rule's widths where the seed's file has others.
std::string header(const std::vector<std::string>& cells, std::vector<size_t> dashes = {}) {
  if (dashes.empty()) {
    dashes = render::dashes_under(cells);
  }
  return row(cells) + render::markdown_rule(dashes);
}

std::string two_decimals(const std::optional<double>& v) {
  return v ? fmt::format("{:.2f}", *v) : "-";
}

std::string upper(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return text;
}

bool is_control(const ExperimentScan& scan, const std::string& run) {
  return std::any_of(scan.runs.begin(), scan.runs.end(),
                     [&](const RunStatus& r) { return r.spec.name == run && r.spec.type == RunType::control; });
}

std::string epoch_cell(const ExperimentScan& scan, const EvalResult& r) {
  if (is_control(scan, r.run)) {
    return "-";
  }
  return r.epoch ? std::to_string(*r.epoch) : "?";
}

std::string run_status_section(const ExperimentScan& scan) {
  std::string out = "## Run Status\n\n" + header({"Run", "Type", "Fine-tuning", "Evaluation"});
  for (const auto& r : scan.runs) {
    out += row({r.spec.name, run_type_label(r.spec.type), r.training, r.evaluation});
  }
  return out + "\n";
}

std::string training_section(const ExperimentScan& scan) {
  std::string out = "## Training Results\n\n";
  std::string rows;
  for (const auto& t : scan.training) {
    if (t.status == "NOT STARTED") {
      continue;
    }
    const auto& last = t.log ? t.log->last : std::nullopt;
    rows += row({t.run, last ? fmt::format("{:.4g}", last->loss) : "N/A", last ? std::to_string(last->step) : "N/A",
                 last ? std::to_string(last->epoch) : "N/A",
                 t.elapsed_seconds ? util::human_duration(*t.elapsed_seconds) : "N/A"});
  }
  if (rows.empty()) {
    out += "No fine-tuning results.\n\n";
  } else {
    out += header({"Run", "Final Loss", "Total Steps", "Epochs", "Duration"});
    out += rows + "\n";
  }
  out += "**Notes:**\n- Base model runs have no training loss (control)\n";
  out += scan.jobs_available || scan.job_ids.empty()
             ? "- Duration from SLURM elapsed time (if available)\n\n"
             : "- Duration from SLURM elapsed time: unavailable (Slurm accounting could not be queried)\n\n";
  return out;
}

std::string accuracy_cell(const EvalResult& r) {
  if (!r.readable) {
    return "ERROR";
  }
  if (r.status != "success") {
    return upper(r.status);
  }
  return two_decimals(r.accuracy);
}

// "**Best performing:** run (epoch 1) with 89% balanced accuracy", one line per task when the
// experiment has several.
std::string best_lines(const ExperimentScan& scan) {
  std::vector<std::string> tasks;
  for (const auto& r : scan.evals) {
    if (r.ok() && std::find(tasks.begin(), tasks.end(), r.task) == tasks.end()) {
      tasks.push_back(r.task);
    }
  }
  std::string out;
  for (const auto& task : tasks) {
    bool balanced = std::any_of(scan.evals.begin(), scan.evals.end(), [&](const EvalResult& r) {
      return r.ok() && r.task == task && r.binary && r.balanced_accuracy;
    });
    const EvalResult* best = nullptr;
    for (const auto& r : scan.evals) {
      const auto& metric = balanced ? r.balanced_accuracy : r.accuracy;
      if (r.ok() && r.task == task && metric &&
          (best == nullptr || *metric > *(balanced ? best->balanced_accuracy : best->accuracy))) {
        best = &r;
      }
    }
    if (best == nullptr) {
      continue;
    }
    double value = *(balanced ? best->balanced_accuracy : best->accuracy);
    std::string epoch = is_control(scan, best->run) ? "" : fmt::format(" (epoch {})", epoch_cell(scan, *best));
    out += fmt::format("**Best performing{}:** {}{} with {:.0f}% {}\n", tasks.size() > 1 ? " (" + task + ")" : "",
                       best->run, epoch, value * 100.0, balanced ? "balanced accuracy" : "accuracy");
  }
  return out;
}

std::string evaluation_section(const ExperimentScan& scan) {
  std::string out = "## Evaluation Results\n\n";
  if (scan.evals.empty()) {
    return out + "No evaluation results.\n\n";
  }
  out += header({"Run", "Task", "Epoch", "Accuracy", "Bal. Acc", "F1", "Samples"}, {5, 6, 7, 10, 10, 6, 9});
  for (const auto& r : scan.evals) {
    bool binary = r.ok() && r.binary;
    out += row({r.run, r.task, epoch_cell(scan, r), accuracy_cell(r), binary ? two_decimals(r.balanced_accuracy) : "-",
                binary ? two_decimals(r.f1) : "-", r.ok() && r.samples ? std::to_string(*r.samples) : "-"});
  }
  auto best = best_lines(scan);
  return out + "\n" + (best.empty() ? "**Best performing:** none (no successful evaluation)\n" : best) + "\n";
}

// The log path as the reader finds it: relative to the experiment directory when inside it.
std::string log_path_text(const ExperimentScan& scan, const std::filesystem::path& path) {
  auto rel = path.lexically_relative(scan.spec.dir);
  if (rel.empty() || *rel.begin() == "..") {
    return path.string();
  }
  return rel.string();
}

// Which log answered which (run, task, epoch) cell, and how its task and epoch were found.
std::string logs_section(const ExperimentScan& scan) {
  if (scan.evals.empty()) {
    return {};
  }
  std::string out = "## Evaluation Logs\n\n" +
                    header({"Run", "Task", "Epoch", "Log", "Task in log", "Task matched by", "Epoch from"});
  for (const auto& r : scan.evals) {
    const bool from_job = r.path.empty();
    std::string log = from_job ? r.message : log_path_text(scan, r.path);
    std::string matched = from_job ? "job name" : (r.readable ? r.task_match : "unreadable");
    std::string epoch_from = is_control(scan, r.run) ? "-" : (r.epoch_source.empty() ? "unknown" : r.epoch_source);
    out += row({r.run, r.task, epoch_cell(scan, r), log, r.log_task.empty() ? "-" : r.log_task, matched, epoch_from});
  }
  return out + "\n";
}

std::string incomplete_section(const ExperimentScan& scan) {
  std::string rows;
  for (const auto& r : scan.runs) {
    if (r.training != "COMPLETED" && r.training != "N/A") {
      auto t = std::find_if(scan.training.begin(), scan.training.end(),
                            [&](const TrainingResult& x) { return x.run == r.spec.name; });
      rows += row({r.spec.name, "Fine-tuning", r.training, t != scan.training.end() ? t->note : ""});
    }
    if (r.evaluation != "COMPLETED" && r.evaluation != "N/A") {
      rows += row({r.spec.name, "Evaluation", r.evaluation, r.evaluation_note});
    }
  }
  if (rows.empty()) {
    return "## Incomplete Runs\n\nNone: every run completed its stages.\n\n";
  }
  return "## Incomplete Runs\n\n" + header({"Run", "Stage", "Status", "Notes"}) + rows + "\n";
}

std::string next_steps_section(const ExperimentScan& scan, bool no_results) {
  std::string out = "## Next Steps\n\n";
  if (!no_results) {
    std::string run =
        scan.evals.empty() ? (scan.runs.empty() ? "{run}" : scan.runs.front().spec.name) : scan.evals.front().run;
    out += "1. View detailed evaluation results: `inspect view --port=$(get_free_port)`\n";
    out += fmt::format("2. Export raw data: `inspect log export {}/eval/logs/*.eval --format csv`\n", run);
    return out + "3. Full analysis with plots and statistics: `seedrun analyze .`\n\n";
  }
  int n = 1;
  for (const auto& t : scan.training) {
    if (!t.slurm_out.empty()) {
      out += fmt::format("{}. Read how the job ended: `tail -n 50 {}`\n", n++, t.slurm_out.string());
    }
  }
  if (!scan.job_ids.empty()) {
    out += fmt::format("{}. Check the job states: `sacct -j {} --format=JobID,JobName%50,State,Elapsed,ExitCode`\n",
                       n++, util::join(scan.job_ids, ","));
  }
  out += fmt::format("{}. Check that the output directory in experiment_summary.yaml (`{}`) is where training "
                     "writes `ck-out-<run>/`\n",
                     n++, scan.spec.output_base.string());
  out += fmt::format("{}. Fix the cause, resubmit the runs, then summarize again (summary.md is rewritten)\n\n", n);
  return out;
}

} // namespace

bool produced_no_results(const ExperimentScan& scan) {
  return std::none_of(scan.training.begin(), scan.training.end(),
                      [](const TrainingResult& t) { return t.status == "COMPLETED"; }) &&
         std::none_of(scan.evals.begin(), scan.evals.end(), [](const EvalResult& r) { return r.ok(); });
}

std::string render_summary_markdown(const ExperimentScan& scan, std::chrono::system_clock::time_point now) {
  auto complete = std::count_if(scan.runs.begin(), scan.runs.end(), [](const RunStatus& r) { return r.complete(); });
  bool no_results = produced_no_results(scan);
  std::string out = "# Experiment Summary\n\n";
  out += fmt::format("**Experiment:** `{}` | **Generated:** {} | **Status:** {}/{} complete\n\n", scan.spec.name,
                     util::iso8601(now), complete, scan.runs.size());
  if (no_results) {
    out += "**No run produced results.** Every run failed or has not started; see Incomplete Runs and the "
           "troubleshooting steps under Next Steps.\n\n";
  }
  out += run_status_section(scan);
  out += training_section(scan);
  out += evaluation_section(scan);
  out += logs_section(scan);
  out += incomplete_section(scan);
  out += next_steps_section(scan, no_results);
  return out + "---\n*Generated by seedrun summarize*\n";
}

} // namespace seedrun::summarize
