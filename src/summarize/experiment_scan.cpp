// Finding an experiment's files, the fine-tuning outcome of each run, and the one job-accounting
// query that serves the whole summary.
#include "seedrun/summarize/experiment_scan.hpp"

#include "seedrun/summarize/scan_parts.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <set>

namespace seedrun::summarize {
namespace {

std::string format_loss(double loss) {
  return fmt::format("{:.4g}", loss);
}

// A job's outcome as the fine-tuning status of the summary ("" when it says nothing).
std::string status_of(JobOutcome outcome) {
  switch (outcome) {
  case JobOutcome::pending: return "PENDING";
  case JobOutcome::running: return "RUNNING";
  case JobOutcome::completed: return "COMPLETED";
  case JobOutcome::failed: return "FAILED";
  case JobOutcome::cancelled: return "CANCELLED";
  case JobOutcome::timeout: return "TIMEOUT";
  case JobOutcome::none: return {};
  }
  return {};
}

bool has_checkpoint(const std::filesystem::path& output_dir) {
  for (const auto& dir : list_dirs(output_dir)) {
    if (dir.filename().string().starts_with("epoch_")) {
      return true;
    }
  }
  return false;
}

// The status from what the job printed, its accounting state, and the checkpoints; sets r.note.
std::string training_status(TrainingResult& r, bool has_dir, const JobInfo* job) {
  const std::string out = r.slurm_out.filename().string();
  std::string state = job != nullptr ? status_of(job->outcome) : std::string();
  if (r.log && r.log->time_limit) {
    r.note =
        fmt::format("Time limit reached{}; check {}",
                    r.log->last ? fmt::format(" at epoch {} step {}", r.log->last->epoch, r.log->last->step) : "", out);
    return "TIMEOUT";
  }
  if (r.log && r.log->cancelled) {
    r.note = fmt::format("Cancelled{}; check {}", r.log->cancel_reason.empty() ? "" : " (" + r.log->cancel_reason + ")",
                         out);
    return "CANCELLED";
  }
  // A traceback in a job Slurm calls COMPLETED after training printed losses is a crash at exit
  // (wandb, a logger thread): the training itself finished.
  if (r.log && (r.log->oom_killed || (r.log->traceback && (state != "COMPLETED" || !r.log->last)))) {
    r.note = fmt::format("{}; check {}", r.log->oom_killed ? "Out of memory (oom-kill)" : r.log->exception, out);
    return "FAILED";
  }
  if (!state.empty() && state != "COMPLETED") {
    r.note = fmt::format("Slurm job {} is {}; check {}", r.job_id, job->state, out);
    return state;
  }
  if ((r.log && r.log->last) || state == "COMPLETED" || has_checkpoint(r.output_dir)) {
    return "COMPLETED";
  }
  if (!has_dir && r.slurm_out.empty()) {
    r.note = fmt::format("No output directory {}", r.output_dir.string());
    return "NOT STARTED";
  }
  r.note = r.slurm_out.empty() ? fmt::format("No SLURM output in {}", r.output_dir.string())
                               : fmt::format("No loss lines in {}", out);
  return "UNKNOWN";
}

void log_loss(const TrainingResult& r, std::vector<LogEntry>& log) {
  if (r.slurm_out.empty()) {
    log.push_back({"EXTRACT_LOSS", fmt::format("{}: WARNING: no SLURM stdout (slurm-*.out) in {}; loss N/A", r.run,
                                               r.output_dir.string())});
  } else if (r.log && r.log->last) {
    const auto& last = *r.log->last;
    log.push_back({"EXTRACT_LOSS", fmt::format("{}: {}: final loss {} (epoch {}, step {}), {} distinct steps", r.run,
                                               r.slurm_out.string(), format_loss(last.loss), last.epoch, last.step,
                                               r.log->distinct_steps())});
  } else if (r.log) {
    log.push_back({"EXTRACT_LOSS", fmt::format("{}: WARNING: no 'epoch|step|Loss: x' lines in {}; loss N/A", r.run,
                                               r.slurm_out.string())});
  }
  if (r.log && r.log->traceback) {
    log.push_back({"EXTRACT_LOSS",
                   fmt::format("{}: WARNING: traceback in {}: {}", r.run, r.slurm_out.string(), r.log->exception)});
  }
}

// The one accounting query of a summary, for every id in scan.job_ids.
JobTable query_jobs(JobLookup& lookup, ExperimentScan& scan) {
  JobTable jobs;
  if (!scan.job_ids.empty()) {
    try {
      jobs = lookup.lookup(scan.job_ids);
    } catch (const std::exception& e) {
      scan.log.push_back({"QUERY_JOBS", fmt::format("WARNING: job lookup failed: {}", e.what())});
    }
  }
  scan.jobs_available = jobs.has_value();
  scan.log.push_back(
      {"QUERY_JOBS", scan.job_ids.empty() ? std::string("no SLURM job outputs found")
                     : jobs ? fmt::format("{} job ids, {} known to Slurm accounting", scan.job_ids.size(), jobs->size())
                            : fmt::format("WARNING: Slurm accounting unavailable for {} job ids; "
                                          "durations N/A, epochs from logs only",
                                          scan.job_ids.size())});
  return jobs;
}

} // namespace

std::vector<std::filesystem::path> list_dirs(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) {
      out.push_back(it->path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::filesystem::path> slurm_outputs(const std::filesystem::path& dir) {
  return list_files(dir, [](const std::string& name) { return job_id_from_file_name(name).has_value(); });
}

std::filesystem::path newest(const std::vector<std::filesystem::path>& files) {
  std::filesystem::path best;
  std::filesystem::file_time_type best_time{};
  for (const auto& file : files) {
    std::error_code ec;
    auto t = std::filesystem::last_write_time(file, ec);
    if (!ec && (best.empty() || t > best_time || (t == best_time && file > best))) {
      best = file;
      best_time = t;
    }
  }
  return best;
}

EvalFiles find_eval_files(const std::filesystem::path& run_dir) {
  EvalFiles files;
  // .eval archives, and the older single-file .json logs (not inspect's logs.json index).
  auto is_eval = [](const std::string& name) {
    return name.ends_with(".eval") || (name.ends_with(".json") && name != "logs.json" && !name.starts_with("."));
  };
  const auto eval_dir = run_dir / "eval";
  files.logs = list_files(eval_dir / "logs", is_eval);
  files.slurm_outs = slurm_outputs(eval_dir);
  for (const auto& cell : list_dirs(eval_dir)) {
    if (cell.filename() == "logs") {
      continue;
    }
    auto logs = list_files(cell / "logs", is_eval);
    files.logs.insert(files.logs.end(), logs.begin(), logs.end());
    auto outs = slurm_outputs(cell);
    files.slurm_outs.insert(files.slurm_outs.end(), outs.begin(), outs.end());
  }
  return files;
}

std::filesystem::path find_training_output(const ExperimentSpec& spec, const RunSpec& run) {
  auto out = newest(slurm_outputs(spec.output_base / ("ck-out-" + run.name)));
  return out.empty() ? newest(slurm_outputs(spec.dir / run.name)) : out;
}

TrainingResult scan_training(const ExperimentSpec& spec, const RunSpec& run, const std::filesystem::path& slurm_out,
                             const JobTable& jobs, std::vector<LogEntry>& log) {
  TrainingResult r;
  r.run = run.name;
  r.output_dir = spec.output_base / ("ck-out-" + run.name);
  r.slurm_out = slurm_out;
  std::error_code ec;
  const bool has_dir = std::filesystem::is_directory(r.output_dir, ec);
  const JobInfo* job = nullptr;
  if (!slurm_out.empty()) {
    r.job_id = job_id_from_file_name(slurm_out.filename().string()).value_or("");
    if (jobs && jobs->contains(r.job_id)) {
      job = &jobs->at(r.job_id);
      r.elapsed_seconds = job->elapsed_seconds;
    }
    std::string error;
    r.log = read_training_log(slurm_out, error);
    if (!r.log) {
      log.push_back({"EXTRACT_LOSS", fmt::format("{}: ERROR: {}", run.name, error)});
    }
  }
  r.status = training_status(r, has_dir, job);
  log_loss(r, log);
  return r;
}

ExperimentScan scan_experiment(const ExperimentSpec& spec, JobLookup& lookup) {
  ExperimentScan scan;
  scan.spec = spec;
  auto fine_tuned =
      std::count_if(spec.runs.begin(), spec.runs.end(), [](const RunSpec& r) { return r.type == RunType::fine_tuned; });
  scan.log.push_back(
      {"DISCOVER_EXPERIMENT",
       fmt::format("{}: {} runs ({} fine-tuned, {} control), outputs in {}", spec.dir.string(), spec.runs.size(),
                   fine_tuned, spec.runs.size() - static_cast<size_t>(fine_tuned), spec.output_base.string())});
  for (const auto& warning : spec.warnings) {
    scan.log.push_back({"PARSE_STATUS", "WARNING: " + warning});
  }
  std::vector<std::filesystem::path> training_outs(spec.runs.size());
  std::vector<EvalFiles> eval_files(spec.runs.size());
  std::set<std::string> ids;
  for (size_t i = 0; i < spec.runs.size(); ++i) {
    const auto& run = spec.runs[i];
    if (run.type == RunType::fine_tuned) {
      training_outs[i] = find_training_output(spec, run);
    }
    eval_files[i] = find_eval_files(spec.dir / run.name);
    auto outs = eval_files[i].slurm_outs;
    outs.push_back(training_outs[i]);
    for (const auto& out : outs) {
      if (auto id = job_id_from_file_name(out.filename().string())) {
        ids.insert(*id);
      }
    }
  }
  scan.job_ids.assign(ids.begin(), ids.end());
  const JobTable jobs = query_jobs(lookup, scan);
  for (size_t i = 0; i < spec.runs.size(); ++i) {
    const auto& run = spec.runs[i];
    RunStatus status;
    status.spec = run;
    if (run.type == RunType::fine_tuned) {
      scan.training.push_back(scan_training(spec, run, training_outs[i], jobs, scan.log));
      status.training = scan.training.back().status;
    }
    auto evals = scan_evaluations(spec, run, eval_files[i], jobs, scan.log);
    status.evaluation = evaluation_status(spec, run, evals, eval_files[i], status.evaluation_note);
    scan.log.push_back({"PARSE_STATUS", fmt::format("{}: fine-tuning {}, evaluation {}", run.name, status.training,
                                                    status.evaluation)});
    scan.evals.insert(scan.evals.end(), evals.begin(), evals.end());
    scan.runs.push_back(std::move(status));
  }
  return scan;
}

} // namespace seedrun::summarize
