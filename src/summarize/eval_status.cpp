// A run's evaluation status: how many of the (task, epoch) cells its evaluation.matrix entry
// asks for have a successful result.
#include "seedrun/summarize/scan_parts.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace seedrun::summarize {
namespace {

struct Cell {
  std::string task;
  std::optional<int> epoch;
};

std::vector<Cell> expected_cells(const ExperimentSpec& spec, const RunSpec& run) {
  std::vector<Cell> cells;
  const MatrixEntry* entry = spec.matrix_entry(run.name);
  if (entry == nullptr) {
    return cells;
  }
  for (const auto& task : entry->tasks) {
    if (run.type == RunType::fine_tuned && entry->epochs && !entry->epochs->empty()) {
      for (int epoch : *entry->epochs) {
        cells.push_back({task, epoch});
      }
    } else {
      cells.push_back({task, std::nullopt});
    }
  }
  return cells;
}

std::string cell_name(const Cell& cell) {
  return cell.epoch ? fmt::format("{} epoch {}", cell.task, *cell.epoch) : cell.task;
}

// The first problem among the rows, for the Incomplete Runs note.
std::string first_problem(const std::vector<EvalResult>& evals) {
  for (const auto& row : evals) {
    if (!row.ok()) {
      auto what = row.message.empty() ? "status " + row.status : row.message;
      return fmt::format("{}: {}", row.path.filename().string(), what);
    }
  }
  return {};
}

// Cells with a successful result. Results whose epoch is unknown fill missing epochs of their task.
std::vector<bool> covered_cells(const std::vector<Cell>& cells, const std::vector<EvalResult>& evals) {
  std::vector<bool> covered(cells.size(), false);
  std::vector<const EvalResult*> unmapped;
  for (const auto& row : evals) {
    if (!row.ok()) {
      continue;
    }
    bool placed = false;
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].task == row.task && (!cells[i].epoch || cells[i].epoch == row.epoch)) {
        placed = placed || !covered[i];
        covered[i] = true;
      }
    }
    if (!placed && !row.epoch) {
      unmapped.push_back(&row);
    }
  }
  for (const auto* row : unmapped) {
    for (size_t i = 0; i < cells.size(); ++i) {
      if (!covered[i] && cells[i].task == row->task) {
        covered[i] = true;
        break;
      }
    }
  }
  return covered;
}

// "'a', 'b'": the distinct task names the logs give.
std::string tasks_text(const std::vector<EvalResult>& evals) {
  std::vector<std::string> names;
  for (const auto& row : evals) {
    auto name = fmt::format("'{}'", row.log_task.empty() ? row.task : row.log_task);
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return util::join(names, ", ");
}

std::string cells_text(const std::vector<Cell>& cells) {
  std::vector<std::string> names;
  for (const auto& cell : cells) {
    auto name = fmt::format("'{}'", cell.task);
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  return util::join(names, ", ");
}

} // namespace

std::string evaluation_status(const ExperimentSpec& spec, const RunSpec& run, const std::vector<EvalResult>& evals,
                              const EvalFiles& files, std::string& note) {
  const auto cells = expected_cells(spec, run);
  const bool any_ok = std::any_of(evals.begin(), evals.end(), [](const EvalResult& r) { return r.ok(); });
  const auto eval_dir = (spec.dir / run.name / "eval").string();
  if (cells.empty()) {
    if (evals.empty()) {
      return "N/A";
    }
    note = any_ok ? "" : first_problem(evals);
    return any_ok ? "COMPLETED" : "FAILED";
  }
  const auto covered = covered_cells(cells, evals);
  const auto done = std::count(covered.begin(), covered.end(), true);
  if (static_cast<size_t>(done) == cells.size()) {
    return "COMPLETED";
  }
  std::vector<std::string> missing;
  for (size_t i = 0; i < cells.size() && missing.size() < 4; ++i) {
    if (!covered[i]) {
      missing.push_back(cell_name(cells[i]));
    }
  }
  const auto more = cells.size() - static_cast<size_t>(done) - missing.size();
  const auto missing_text = util::join(missing, ", ") + (more > 0 ? fmt::format(" and {} more", more) : "");
  const auto problem = first_problem(evals);
  if (done > 0) {
    note = fmt::format("{} of {} evaluations found; missing {}{}", done, cells.size(), missing_text,
                       problem.empty() ? "" : "; " + problem);
    return fmt::format("PARTIAL ({}/{})", done, cells.size());
  }
  if (!problem.empty()) {
    note = problem;
    return "FAILED";
  }
  if (!evals.empty()) { // finished logs, but none answers a cell of the matrix
    const bool task_known = std::any_of(evals.begin(), evals.end(), [&](const EvalResult& row) {
      return std::any_of(cells.begin(), cells.end(), [&](const Cell& c) { return c.task == row.task; });
    });
    note = task_known ? fmt::format("{} successful log{}, none for the cells {} (see Evaluation Logs)", evals.size(),
                                    evals.size() == 1 ? "" : "s", missing_text)
                      : fmt::format("the logs answer {}, not the matrix's {} (see Evaluation Logs)", tasks_text(evals),
                                    cells_text(cells));
    return "FAILED";
  }
  if (!files.slurm_outs.empty()) {
    note = fmt::format("No .eval logs in {}/logs; check {}", eval_dir, files.slurm_outs.front().filename().string());
    return "FAILED";
  }
  note = fmt::format("No .eval files in {}/logs", eval_dir);
  return "NOT STARTED";
}

} // namespace seedrun::summarize
