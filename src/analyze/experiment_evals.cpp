// The evaluation side of an experiment directory (sources.hpp: add_evaluations).
#include "seedrun/analyze/sources.hpp"
#include "seedrun/render/axis.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::analyze {

using render::fixed_decimals;
namespace {

using summarize::EvalResult;

std::vector<std::string> tasks_of(const summarize::ExperimentScan& scan, const std::string& run) {
  std::vector<std::string> tasks;
  if (const auto* m = scan.spec.matrix_entry(run)) {
    tasks = m->tasks;
  }
  for (const auto& e : scan.evals) {
    if (e.run == run && e.task != "?" && std::find(tasks.begin(), tasks.end(), e.task) == tasks.end()) {
      tasks.push_back(e.task);
    }
  }
  return tasks;
}

// The row of the last evaluated epoch among successful ones (the last row when none has an epoch).
const EvalResult* final_row(const std::vector<const EvalResult*>& ok) {
  const EvalResult* best = nullptr;
  for (const auto* e : ok) {
    if (best == nullptr || (e->epoch && (!best->epoch || *e->epoch >= *best->epoch)) || (!e->epoch && !best->epoch)) {
      best = e;
    }
  }
  return best;
}

std::string failure_text(const EvalResult& e) {
  std::string where = e.path.empty() ? "" : fmt::format(" ({})", e.path.filename().string());
  std::string status = e.readable ? e.status : std::string("unreadable");
  for (auto& c : status) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return fmt::format("{}{}{}", status, e.message.empty() ? "" : ": " + e.message, where);
}

std::string notes_for(const EvalResult& fin, const std::vector<const EvalResult*>& ok, bool control) {
  std::vector<std::string> notes;
  if (control) {
    notes.push_back("control");
  }
  if (ok.size() > 1) {
    notes.push_back(fmt::format("last of {} evaluated epochs", ok.size()));
    auto top = std::max_element(ok.begin(), ok.end(), [](const EvalResult* a, const EvalResult* b) {
      return a->accuracy.value_or(-1) < b->accuracy.value_or(-1);
    });
    if ((*top)->accuracy && fin.accuracy && *(*top)->accuracy > *fin.accuracy) {
      notes.push_back(fmt::format("highest accuracy at epoch {}: {}",
                                  (*top)->epoch ? std::to_string(*(*top)->epoch) : "?",
                                  fixed_decimals(*(*top)->accuracy, 4)));
    }
  }
  if (fin.path.empty() && !fin.message.empty()) {
    notes.push_back("accuracy " + fin.message);
  }
  return util::join(notes, "; ");
}

void set_scores(RunRecord& rec, const EvalResult& fin) {
  auto put = [&](const char* id, const std::optional<double>& v) {
    if (v && std::isfinite(*v)) {
      rec.metrics[id] = *v;
    }
  };
  put("accuracy", fin.accuracy);
  put("balanced_accuracy", fin.balanced_accuracy);
  put("f1", fin.f1);
}

void add_run(AnalysisInput& in, const summarize::ExperimentScan& scan, RunRecord& rec, const std::string& task) {
  for (const auto& e : scan.evals) {
    if (e.run == rec.name && e.task == "?") { // unreadable: not even its task is known
      in.limitations.push_back(fmt::format("{}: an evaluation log could not be read: {}.", rec.name, failure_text(e)));
    }
  }
  for (const auto& t : tasks_of(scan, rec.name)) {
    std::vector<const EvalResult*> ok;
    for (const auto& e : scan.evals) {
      if (e.run != rec.name || e.task != t) {
        continue;
      }
      if (e.ok() && e.accuracy) {
        ok.push_back(&e);
      } else {
        in.limitations.push_back(fmt::format("{}: {} epoch {}: {}.", rec.name, t,
                                             e.epoch ? std::to_string(*e.epoch) : "?", failure_text(e)));
      }
    }
    const EvalResult* fin = final_row(ok);
    if (fin == nullptr) {
      in.evals.push_back({rec.name, t, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                          "no successful evaluation"});
      continue;
    }
    EvalRow row{rec.name,
                t,
                fin->epoch,
                fin->accuracy,
                fin->balanced_accuracy,
                fin->f1,
                fin->samples,
                notes_for(*fin, ok, rec.control)};
    in.evals.push_back(row);
    if (t == task) {
      set_scores(rec, *fin);
    }
  }
}

void mark_best(AnalysisInput& in, const std::string& task) {
  EvalRow* best = nullptr;
  for (auto& e : in.evals) {
    if (e.task == task && e.accuracy && (best == nullptr || *e.accuracy > *best->accuracy)) {
      best = &e;
    }
  }
  if (best != nullptr) {
    best->note = best->note.empty() ? "best accuracy" : "best accuracy; " + best->note;
  }
}

} // namespace

void add_evaluations(AnalysisInput& in, const summarize::ExperimentScan& scan, const std::string& task) {
  for (const auto& st : scan.runs) {
    auto rec = std::find_if(in.runs.begin(), in.runs.end(), [&](const RunRecord& r) { return r.name == st.spec.name; });
    if (rec == in.runs.end()) {
      continue;
    }
    if (st.evaluation != "COMPLETED" && st.evaluation != "N/A") {
      in.limitations.push_back(fmt::format("{}: evaluation {}{}.", st.spec.name, st.evaluation,
                                           st.evaluation_note.empty() ? "" : ": " + st.evaluation_note));
    }
    add_run(in, scan, *rec, task);
  }
  mark_best(in, task);
  bool any =
      std::any_of(in.runs.begin(), in.runs.end(), [](const RunRecord& r) { return r.metrics.contains("accuracy"); });
  if (!task.empty() && !any) {
    in.limitations.push_back(fmt::format("No successful evaluation of {}: no run can be ranked on it.", task));
  }
}

} // namespace seedrun::analyze
