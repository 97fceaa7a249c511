#include "seedrun/analyze/sources.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::analyze {

namespace {

using summarize::RunSpec;
using summarize::RunType;

constexpr std::array<const char*, 3> k_seed_keys = {"seed", "random_seed", "rng_seed"};

bool is_seed_key(const std::string& k) {
  return std::find(k_seed_keys.begin(), k_seed_keys.end(), k) != k_seed_keys.end();
}

std::map<std::string, std::string> config_of(const RunSpec& r) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : r.parameters) {
    if (!is_seed_key(k)) {
      out[k] = v;
    }
  }
  return out;
}

// 64-bit seeds stay whole (a seed of 2^32 + 5 is not 5).
std::optional<long long> seed_of(const RunSpec& r) {
  for (const auto& [k, v] : r.parameters) {
    auto n = util::parse_int(v);
    if (is_seed_key(k) && n) {
      return *n;
    }
  }
  return std::nullopt;
}

// The run name without a trailing seed ("rank8_seed42" → "rank8"), or "" when it has none.
std::string strip_seed(const std::string& name, long long seed) {
  std::string s = std::to_string(seed);
  if (!name.ends_with(s)) {
    return "";
  }
  std::string base = name.substr(0, name.size() - s.size());
  for (const char* suffix : {"seed", "s"}) {
    if (base.ends_with(suffix)) {
      base.resize(base.size() - std::string_view(suffix).size());
      break;
    }
  }
  while (!base.empty() && (base.back() == '_' || base.back() == '-')) {
    base.pop_back();
  }
  return base;
}

std::string arm_name(const std::vector<const RunSpec*>& group) {
  if (group.size() == 1) {
    return group[0]->name;
  }
  std::string common;
  for (const auto* r : group) {
    auto seed = seed_of(*r);
    std::string base = seed ? strip_seed(r->name, *seed) : "";
    if (base.empty() || (!common.empty() && base != common)) {
      common.clear();
      break;
    }
    common = base;
  }
  if (!common.empty()) {
    return common;
  }
  std::vector<std::string> parts;
  for (const auto& [k, v] : config_of(*group[0])) {
    parts.push_back(k + "=" + v);
  }
  return parts.empty() ? group[0]->name : util::join(parts, " ");
}

// Groups runs into arms: same type, model and parameters apart from the seed.
void add_arms(AnalysisInput& in, const summarize::ExperimentScan& scan) {
  std::vector<std::vector<const RunSpec*>> groups;
  for (const auto& st : scan.runs) {
    const RunSpec& r = st.spec;
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) {
      return g[0]->type == r.type && g[0]->model == r.model && config_of(*g[0]) == config_of(r) && seed_of(r) &&
             seed_of(*g[0]);
    });
    if (it == groups.end()) {
      groups.push_back({&r});
    } else {
      it->push_back(&r);
    }
  }
  for (const auto& g : groups) {
    ArmInfo info{arm_name(g), config_of(*g[0]), g[0]->type == RunType::control};
    for (int k = 2; std::any_of(in.arms.begin(), in.arms.end(), [&](const ArmInfo& a) { return a.name == info.name; });
         ++k) {
      info.name = fmt::format("{} ({})", arm_name(g), k); // two configurations whose runs share a name stem
    }
    in.arms.push_back(info);
    for (const auto* r : g) {
      RunRecord rec;
      rec.name = r->name;
      rec.arm = info.name;
      rec.seed = seed_of(*r);
      rec.control = info.control;
      in.runs.push_back(std::move(rec));
    }
    for (const auto& [k, v] : info.parameters) {
      if (!info.control &&
          std::find(in.parameter_names.begin(), in.parameter_names.end(), k) == in.parameter_names.end()) {
        in.parameter_names.push_back(k);
      }
    }
  }
}

void add_training(AnalysisInput& in, const summarize::ExperimentScan& scan) {
  bool any_time = false;
  for (auto& rec : in.runs) {
    if (rec.control) {
      rec.state = "N/A (control)";
      continue;
    }
    auto t = std::find_if(scan.training.begin(), scan.training.end(),
                          [&](const summarize::TrainingResult& x) { return x.run == rec.name; });
    if (t == scan.training.end()) {
      rec.state = "UNKNOWN";
      continue;
    }
    rec.state = t->status;
    if (t->log) {
      for (const auto& p : t->log->series) {
        rec.curve.push_back({static_cast<double>(p.step), p.loss});
      }
    }
    bool done = t->status == "COMPLETED";
    if (!done) {
      in.limitations.push_back(
          fmt::format("{}: fine-tuning {}{}.", rec.name, t->status, t->note.empty() ? "" : ": " + t->note));
    }
    if (done && t->log && t->log->last && std::isfinite(t->log->last->loss)) {
      rec.final_loss = t->log->last->loss;
      rec.metrics["final_loss"] = t->log->last->loss;
    }
    if (t->elapsed_seconds && std::isfinite(*t->elapsed_seconds)) {
      rec.train_seconds = t->elapsed_seconds;
      any_time = true;
      if (done) {
        rec.metrics["train_minutes"] = *t->elapsed_seconds / 60;
      }
    } else if (scan.jobs_available) {
      in.limitations.push_back(fmt::format("{}: no training time in Slurm accounting.", rec.name));
    }
  }
  if (!scan.jobs_available && !any_time) {
    in.limitations.push_back("Training times are unknown: Slurm accounting (sacct) was not available, so the cost "
                             "figures are left out.");
  }
}

std::string pick_task(const summarize::ExperimentScan& scan, const std::string& requested) {
  std::vector<std::string> tasks;
  for (const auto& m : scan.spec.matrix) {
    for (const auto& t : m.tasks) {
      if (std::find(tasks.begin(), tasks.end(), t) == tasks.end()) {
        tasks.push_back(t);
      }
    }
  }
  if (!requested.empty()) {
    if (std::find(tasks.begin(), tasks.end(), requested) == tasks.end()) {
      throw UsageError(fmt::format("the experiment has no evaluation task '{}' (tasks: {})", requested,
                                   tasks.empty() ? "none" : util::join(tasks, ", ")));
    }
    return requested;
  }
  for (const auto& t : tasks) {
    if (std::any_of(scan.evals.begin(), scan.evals.end(), [&](const auto& e) { return e.task == t && e.ok(); })) {
      return t;
    }
  }
  return tasks.empty() ? "" : tasks.front();
}

} // namespace

AnalysisInput experiment_input(const summarize::SummaryResult& summary, const std::string& task) {
  const auto& scan = summary.scan;
  AnalysisInput in;
  in.name = scan.spec.name;
  in.source = fmt::format("the experiment directory `{}`", scan.spec.dir.string());
  constexpr std::pair<double, double> k_proportion{0.0, 1.0};
  in.primary = {"accuracy", "Accuracy", "Accuracy (fraction correct)", true, 4, k_proportion};
  in.metrics = {in.primary,
                {"balanced_accuracy", "Bal. acc", "Balanced accuracy (0-1)", true, 4, k_proportion},
                {"f1", "F1", "F1 score (0-1)", true, 4, k_proportion},
                {"final_loss", "Final loss", "Final training loss", false, 4, std::nullopt},
                {"train_minutes", "Train time (min)", "Training time (min)", false, 2, std::nullopt}};
  in.curve_name = "Training loss";
  in.curve_axis_label = "Training loss (as logged)";
  add_arms(in, scan);
  add_training(in, scan);
  std::string chosen = pick_task(scan, task);
  add_evaluations(in, scan, chosen);
  in.overview.push_back(fmt::format("Experiment: `{}`; runs completed: {}/{}", scan.spec.name, summary.complete_runs,
                                    summary.total_runs));
  in.overview.push_back(
      chosen.empty() ? std::string("Evaluation task compared: none (the design names no task)")
                     : fmt::format("Evaluation task compared: `{}`, at each run's last evaluated epoch", chosen));
  return in;
}

} // namespace seedrun::analyze
