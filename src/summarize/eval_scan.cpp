// One run's evaluations: reading its .eval logs, mapping each to a training epoch (eval spec,
// then the eval job that printed the log's name, then the cell folder name, then a unique
// accuracy match with a job's `match/accuracy` line), keeping the best of re-runs, and
// recovering results that only exist in a job's stdout.
#include "seedrun/summarize/binary_metrics.hpp"
#include "seedrun/summarize/eval_log.hpp"
#include "seedrun/summarize/scan_parts.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <string_view>
#include <tuple>

namespace seedrun::summarize {
namespace {

constexpr double k_accuracy_tolerance = 5e-4; // inspect-ai prints accuracy with 3 decimals

struct EvalJob {
  std::string id;
  std::filesystem::path path;
  TrainingLog out;
  const JobInfo* info = nullptr;
  std::optional<int> epoch;     // from the job name
  std::vector<size_t> mentions; // indices of the run's .eval files named in the stdout
  bool linked = false;
};

std::string label(const EvalResult& row, const RunSpec& run) {
  if (run.type == RunType::control) {
    return fmt::format("{}/{}", row.run, row.task);
  }
  return fmt::format("{}/{}/epoch{}", row.run, row.task, row.epoch ? std::to_string(*row.epoch) : "?");
}

// Indices of the `logs` whose file name appears in the file at `path`, read in 1 MiB chunks with
// an overlap as long as the longest name, so a name split across two chunks is still found.
std::vector<size_t> mentioned_logs(const std::filesystem::path& path, const std::vector<std::filesystem::path>& logs) {
  std::vector<std::string> names;
  size_t longest = 0;
  for (const auto& log : logs) {
    names.push_back(log.filename().string());
    longest = std::max(longest, names.back().size());
  }
  std::vector<bool> found(names.size(), false);
  std::ifstream in(path, std::ios::binary);
  std::string window;
  std::string chunk(1 << 20, '\0');
  while (!names.empty() && (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0)) {
    window.append(chunk.data(), static_cast<size_t>(in.gcount()));
    for (size_t i = 0; i < names.size(); ++i) {
      found[i] = found[i] || (!names[i].empty() && window.find(names[i]) != std::string::npos);
    }
    if (window.size() > longest) {
      window.erase(0, window.size() - longest);
    }
  }
  std::vector<size_t> out;
  for (size_t i = 0; i < found.size(); ++i) {
    if (found[i]) {
      out.push_back(i);
    }
  }
  return out;
}

std::vector<EvalJob> read_jobs(const EvalFiles& files, const JobTable& jobs) {
  std::vector<EvalJob> out;
  for (const auto& path : files.slurm_outs) {
    EvalJob job;
    job.path = path;
    job.id = job_id_from_file_name(path.filename().string()).value_or("");
    if (jobs && jobs->contains(job.id)) {
      job.info = &jobs->at(job.id);
      job.epoch = epoch_from_job_name(job.info->name);
    }
    std::string error;
    auto parsed = read_training_log(path, error); // chunked: memory does not grow with the output
    job.out = parsed ? std::move(*parsed) : TrainingLog{};
    job.mentions = mentioned_logs(path, files.logs);
    out.push_back(std::move(job));
  }
  return out;
}

EvalResult read_row(const RunSpec& run, const std::filesystem::path& path, const std::vector<std::string>& tasks) {
  EvalLog log = read_eval_log(path, EvalReadOptions{.with_samples = true});
  EvalResult row;
  row.run = run.name;
  row.path = path;
  row.readable = log.readable;
  row.status = log.status;
  row.message = log.message;
  row.created = log.created;
  row.accuracy = log.accuracy;
  row.samples = log.samples;
  row.scorer = log.scorer;
  if (log.readable) {
    TaskMatch match = match_matrix_task(log.task, tasks);
    row.task = match.task;
    row.log_task = log.task;
    row.task_match = match.how;
  } else {
    row.task = "?";
  }
  if (log.samples_loaded && is_binary_task(log.sample_scores)) {
    BinaryMetrics m = binary_metrics(log.sample_scores);
    row.binary = true;
    row.balanced_accuracy = m.balanced_accuracy;
    row.f1 = m.f1;
  }
  if (run.type == RunType::fine_tuned && log.checkpoint_epoch) {
    row.epoch = log.checkpoint_epoch;
    row.epoch_source = "eval spec";
  }
  return row;
}

// The cell folder of {run}/eval/<cell>/logs/x.eval, when the log sits in one.
std::optional<int> epoch_from_cell(const std::filesystem::path& log_path) {
  auto logs = log_path.parent_path();
  auto cell = logs.parent_path();
  if (logs.filename() != "logs" || cell.filename() == "eval") {
    return std::nullopt;
  }
  auto name = cell.filename().string();
  auto epoch = epoch_from_job_name(name);
  return epoch ? epoch : epoch_in_text(name);
}

// The task in a scaffold-inspect job name `eval-{task}-{run}[-ep{N}]`; "" when it is not one.
std::string task_from_job(const EvalJob& job, const RunSpec& run) {
  if (job.info == nullptr || !job.info->name.starts_with("eval-")) {
    return {};
  }
  auto at = job.info->name.rfind("-" + run.name);
  return at == std::string::npos || at <= 5 ? std::string() : job.info->name.substr(5, at - 5);
}

void link_jobs(std::vector<EvalResult>& rows, std::vector<EvalJob>& jobs, const RunSpec& run) {
  for (auto& job : jobs) {
    for (size_t i : job.mentions) {
      rows[i].job_id = job.id;
      job.linked = true;
      if (!rows[i].readable && !task_from_job(job, run).empty()) {
        rows[i].task = task_from_job(job, run);
      }
      if (!rows[i].epoch && job.epoch && run.type == RunType::fine_tuned) {
        rows[i].epoch = job.epoch;
        rows[i].epoch_source = fmt::format("job {} {}", job.id, job.info->name);
      }
    }
  }
  if (run.type == RunType::control) {
    return;
  }
  for (auto& row : rows) {
    if (!row.epoch) {
      row.epoch = epoch_from_cell(row.path);
      row.epoch_source = row.epoch ? "directory" : "";
    }
  }
  for (auto& row : rows) {
    if (row.epoch || !row.accuracy) {
      continue;
    }
    EvalJob* match = nullptr;
    int candidates = 0;
    for (auto& job : jobs) {
      if (!job.linked && job.epoch && job.out.eval_accuracy &&
          std::fabs(*job.out.eval_accuracy - *row.accuracy) <= k_accuracy_tolerance &&
          job.info->name.find(row.task) != std::string::npos) {
        match = &job;
        ++candidates;
      }
    }
    if (candidates == 1) {
      match->linked = true;
      row.epoch = match->epoch;
      row.job_id = match->id;
      row.epoch_source = fmt::format("accuracy of job {} {}", match->id, match->info->name);
    }
  }
}

// Rows for eval jobs that printed an accuracy but left no .eval file we could link.
void recover_from_jobs(std::vector<EvalResult>& rows, const std::vector<EvalJob>& jobs, const RunSpec& run,
                       std::vector<LogEntry>& log) {
  for (const auto& job : jobs) {
    if (job.linked || !job.out.eval_accuracy) {
      continue;
    }
    const std::string task = task_from_job(job, run);
    if (task.empty() || (run.type == RunType::fine_tuned && !job.epoch)) {
      log.push_back(
          {"EXTRACT_ACCURACY", fmt::format("{}: WARNING: {} reports {}/accuracy {} but its job name is "
                                           "unknown; not in the table",
                                           run.name, job.path.string(), job.out.eval_scorer, *job.out.eval_accuracy)});
      continue;
    }
    EvalResult row;
    row.run = run.name;
    row.task = task;
    row.epoch = run.type == RunType::fine_tuned ? job.epoch : std::nullopt;
    row.epoch_source = fmt::format("job {} {}", job.id, job.info->name);
    row.job_id = job.id;
    row.readable = true;
    row.status = "success";
    row.accuracy = job.out.eval_accuracy;
    row.scorer = job.out.eval_scorer;
    row.message = fmt::format("from {} (no .eval file)", job.path.filename().string());
    rows.push_back(std::move(row));
  }
}

void log_row(const EvalResult& row, const RunSpec& run, std::vector<LogEntry>& log) {
  const std::string where = row.path.empty() ? row.message : row.path.string();
  if (!row.readable) {
    log.push_back({"EXTRACT_ACCURACY", fmt::format("{}: ERROR: {}", label(row, run), row.message)});
    return;
  }
  std::string details =
      fmt::format("{}: {}: status {}, accuracy {}, samples {}, scorer {}", label(row, run), where, row.status,
                  row.accuracy ? fmt::format("{:.4g}", *row.accuracy) : "none",
                  row.samples ? std::to_string(*row.samples) : "-", row.scorer.empty() ? "-" : row.scorer);
  if (row.binary) {
    details += fmt::format(", balanced accuracy {}, f1 {}",
                           row.balanced_accuracy ? fmt::format("{:.4g}", *row.balanced_accuracy) : "null",
                           row.f1 ? fmt::format("{:.4g}", *row.f1) : "null");
  }
  if (!row.task_match.empty() && row.task_match != "exact") {
    details += fmt::format(", task '{}' in the log ({})", row.log_task, row.task_match);
  }
  if (!row.epoch_source.empty()) {
    details += ", epoch from " + row.epoch_source;
  }
  if (!row.ok()) {
    details = "WARNING: " + details + (row.message.empty() ? "" : ": " + row.message);
  }
  log.push_back({"EXTRACT_ACCURACY", details});
}

// Better result for the same (task, epoch): a successful one, then the newest.
bool better(const EvalResult& a, const EvalResult& b) {
  if (a.ok() != b.ok()) {
    return a.ok();
  }
  if (a.created != b.created) {
    return a.created > b.created;
  }
  return a.path.filename() > b.path.filename();
}

std::vector<EvalResult> keep_best(std::vector<EvalResult> rows, const RunSpec& run, std::vector<LogEntry>& log) {
  std::vector<EvalResult> kept;
  for (auto& row : rows) {
    bool unmapped = run.type == RunType::fine_tuned && !row.epoch;
    auto same = std::find_if(kept.begin(), kept.end(), [&](const EvalResult& k) {
      return !unmapped && row.readable && k.readable && k.task == row.task && k.epoch == row.epoch;
    });
    if (same == kept.end()) {
      kept.push_back(std::move(row));
      continue;
    }
    EvalResult& loser = better(row, *same) ? *same : row;
    log.push_back(
        {"EXTRACT_ACCURACY", fmt::format("{}: superseded by a newer or successful result: {}", label(loser, run),
                                         loser.path.empty() ? loser.message : loser.path.string())});
    if (&loser == &*same) {
      *same = std::move(row);
    }
  }
  std::stable_sort(kept.begin(), kept.end(), [](const EvalResult& a, const EvalResult& b) {
    return std::tie(a.task, a.epoch, a.path) < std::tie(b.task, b.epoch, b.path);
  });
  return kept;
}

} // namespace

namespace {

std::string_view after_last_slash(std::string_view name) {
  auto slash = name.rfind('/');
  return slash == std::string_view::npos ? name : name.substr(slash + 1);
}

bool is_task_separator(char c) {
  return c == '_' || c == '-' || c == '.' || c == ':';
}

} // namespace

TaskMatch match_matrix_task(const std::string& log_task, const std::vector<std::string>& matrix_tasks) {
  for (const auto& task : matrix_tasks) {
    if (task == log_task) {
      return {task, "exact"};
    }
  }
  const std::string_view log_tail = after_last_slash(log_task);
  for (const auto& task : matrix_tasks) {
    if (!log_tail.empty() && after_last_slash(task) == log_tail) {
      return {task, "name after '/'"};
    }
  }
  const std::string* best = nullptr;
  for (const auto& task : matrix_tasks) {
    const std::string_view tail = after_last_slash(task);
    bool prefix = !tail.empty() && log_tail.size() > tail.size() && log_tail.starts_with(tail) &&
                  is_task_separator(log_tail[tail.size()]);
    if (prefix && (best == nullptr || task.size() > best->size())) {
      best = &task;
    }
  }
  if (best != nullptr) {
    return {*best, "prefix"};
  }
  return {log_task, "no match"};
}

std::string matrix_task_for(const std::string& log_task, const std::vector<std::string>& matrix_tasks) {
  return match_matrix_task(log_task, matrix_tasks).task;
}

std::vector<EvalResult> scan_evaluations(const ExperimentSpec& spec, const RunSpec& run, const EvalFiles& files,
                                         const JobTable& jobs, std::vector<LogEntry>& log) {
  const MatrixEntry* entry = spec.matrix_entry(run.name);
  const std::vector<std::string> tasks = entry != nullptr ? entry->tasks : std::vector<std::string>{};
  std::vector<EvalResult> rows;
  for (const auto& path : files.logs) {
    rows.push_back(read_row(run, path, tasks));
  }
  auto eval_jobs = read_jobs(files, jobs);
  link_jobs(rows, eval_jobs, run);
  // Nothing else tells the epoch, but the design evaluates exactly one: that is the one.
  if (run.type == RunType::fine_tuned && entry != nullptr && entry->epochs && entry->epochs->size() == 1) {
    for (auto& row : rows) {
      if (!row.epoch && row.readable) {
        row.epoch = entry->epochs->front();
        row.epoch_source = "the only epoch in evaluation.matrix";
      }
    }
  }
  recover_from_jobs(rows, eval_jobs, run, log);
  for (const auto& row : rows) {
    log_row(row, run, log);
  }
  return keep_best(std::move(rows), run, log);
}

} // namespace seedrun::summarize
