// The summarize command's core: load the design, scan, render, write summary.md and the log.
#include "seedrun/summarize/summary.hpp"

#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/time.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

namespace seedrun::summarize {
namespace {

std::vector<std::string> stamp(const std::vector<LogEntry>& entries, std::chrono::system_clock::time_point now) {
  const std::string ts = util::iso8601(now);
  std::vector<std::string> lines;
  for (const auto& e : entries) {
    std::string details = e.details;
    std::replace(details.begin(), details.end(), '\n', ' ');
    lines.push_back(fmt::format("[{}] {}: {}", ts, e.action, details));
  }
  return lines;
}

std::vector<LogEntry> closing_entries(const SummaryResult& r, const std::filesystem::path& summary_path) {
  const auto& scan = r.scan;
  auto losses = std::count_if(scan.training.begin(), scan.training.end(),
                              [](const TrainingResult& t) { return t.log && t.log->last; });
  auto accuracies = std::count_if(scan.evals.begin(), scan.evals.end(),
                                  [](const EvalResult& e) { return e.ok() && e.accuracy; });
  long long warnings = 0;
  long long errors = 0;
  for (const auto& e : scan.log) {
    warnings += e.details.starts_with("WARNING: ") || e.details.find(": WARNING: ") != std::string::npos;
    errors += e.details.starts_with("ERROR: ") || e.details.find(": ERROR: ") != std::string::npos;
  }
  return {{"GENERATE_SUMMARY", fmt::format("{}: {} runs, {}/{} complete, {} evaluation results{}",
                                           summary_path.string(), r.total_runs, r.complete_runs, r.total_runs,
                                           scan.evals.size(), r.no_results ? ", no run produced results" : "")},
          {"COMPLETE", fmt::format("{} loss values, {} accuracy values extracted; {} warnings, {} errors", losses,
                                   accuracies, warnings, errors)}};
}

// The existing log followed by `lines`, so re-runs keep the history.
std::string appended_log(const std::filesystem::path& path, const std::vector<std::string>& lines) {
  std::string content;
  std::ifstream in(path, std::ios::binary);
  if (in) {
    std::ostringstream old;
    old << in.rdbuf();
    content = old.str();
    if (!content.empty() && content.back() != '\n') {
      content += '\n';
    }
  }
  for (const auto& line : lines) {
    content += line + '\n';
  }
  return content;
}

} // namespace

SummaryResult build_summary(const std::filesystem::path& dir, JobLookup& lookup,
                            std::chrono::system_clock::time_point now) {
  SummaryResult result;
  try {
    ExperimentSpec spec = load_experiment_spec(dir / "experiment_summary.yaml");
    result.scan = scan_experiment(spec, lookup);
    result.total_runs = static_cast<int>(result.scan.runs.size());
    result.complete_runs = static_cast<int>(std::count_if(result.scan.runs.begin(), result.scan.runs.end(),
                                                          [](const RunStatus& r) { return r.complete(); }));
    result.no_results = produced_no_results(result.scan);
    result.markdown = render_summary_markdown(result.scan, now);
    auto entries = result.scan.log;
    auto closing = closing_entries(result, dir / "summary.md");
    entries.insert(entries.end(), closing.begin(), closing.end());
    result.log_lines = stamp(entries, now);
    result.ok = true;
  } catch (const std::exception& e) { // a bad design file, or a bug: reported, never a crash
    result.ok = false;
    result.error = e.what();
    result.log_lines = stamp({{"DISCOVER_EXPERIMENT", "ERROR: " + result.error}}, now);
  }
  return result;
}

SummaryResult summarize_experiment(const std::filesystem::path& dir, JobLookup& lookup,
                                   std::chrono::system_clock::time_point now) {
  SummaryResult result = build_summary(dir, lookup, now);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    if (result.error.empty()) {
      result.error = fmt::format("{} is not a directory", dir.string());
    }
    result.ok = false;
    return result;
  }
  try {
    if (result.ok) {
      util::write_file_atomic(dir / "summary.md", result.markdown);
      result.summary_path = dir / "summary.md";
    }
    const auto log_path = dir / "logs" / "summarize-experiment.log";
    util::write_file_atomic(log_path, appended_log(log_path, result.log_lines));
    result.log_path = log_path;
  } catch (const std::exception& e) {
    result.ok = false;
    result.error = e.what();
  }
  return result;
}

} // namespace seedrun::summarize
