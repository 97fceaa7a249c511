#include "seedrun/analyze/report_tables.hpp"

#include "seedrun/analyze/parameters.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::analyze {

using render::Cell;
using render::number_cell;
using render::p_value_cell;
using render::Table;
using render::text_cell;
namespace {

bool arms_group_runs(const AnalysisInput& in) {
  for (const auto& r : in.runs) {
    if (!r.control && r.arm != r.name) {
      return true;
    }
  }
  return false;
}

const ArmInfo* arm_info(const AnalysisInput& in, const std::string& name) {
  auto it = std::find_if(in.arms.begin(), in.arms.end(), [&](const ArmInfo& a) { return a.name == name; });
  return it == in.arms.end() ? nullptr : &*it;
}

// "Training loss" → "training loss" (a name such as "val_loss" or "F1" stays as it is).
std::string lower_first(std::string s) {
  if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) &&
      std::islower(static_cast<unsigned char>(s[1]))) {
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  }
  return s;
}

std::optional<double> minutes(const std::optional<double>& seconds) {
  if (!seconds || !std::isfinite(*seconds)) {
    return std::nullopt;
  }
  return *seconds / 60;
}

} // namespace

Table fine_tuning_table(const AnalysisInput& in, const Analysis& a) {
  Table t;
  t.id = "fine_tuning";
  t.caption = "Fine-tuning comparison";
  bool group = arms_group_runs(in);
  bool seeds = std::any_of(in.runs.begin(), in.runs.end(), [](const RunRecord& r) { return r.seed.has_value(); });
  t.header = {"Run"};
  if (group) {
    t.header.push_back("Arm");
  }
  for (const auto& p : in.parameter_names) {
    t.header.push_back(p);
  }
  if (seeds) {
    t.header.push_back("Seed");
  }
  t.header.insert(t.header.end(), {"Status", "Final " + lower_first(in.curve_name), "Train time (min)", "Converged"});
  t.numeric.assign(t.header.size(), false);
  t.numeric[t.header.size() - 3] = true;
  t.numeric[t.header.size() - 2] = true;
  for (size_t i = 0; i < in.runs.size(); ++i) {
    const auto& r = in.runs[i];
    if (r.control) {
      continue;
    }
    std::vector<Cell> row = {text_cell(r.name)};
    if (group) {
      row.push_back(text_cell(r.arm));
    }
    const ArmInfo* info = arm_info(in, r.arm);
    for (const auto& p : in.parameter_names) {
      std::string level = k_default_level;
      if (info != nullptr && info->parameters.contains(p)) {
        level = info->parameters.at(p);
      }
      row.push_back(text_cell(level));
    }
    if (seeds) {
      row.push_back(r.seed ? Cell{std::to_string(*r.seed), static_cast<double>(*r.seed)} : text_cell("-"));
    }
    row.push_back(text_cell(r.state));
    row.push_back(number_cell(r.final_loss, 4));
    row.push_back(number_cell(minutes(r.train_seconds), 2));
    row.push_back(text_cell(convergence_word(a.convergence[i])));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::optional<Table> evaluation_table(const AnalysisInput& in) {
  if (in.evals.empty()) {
    return std::nullopt;
  }
  Table t;
  t.id = "evaluation";
  t.caption = "Evaluation comparison";
  t.header = {"Run", "Task", "Epoch", "Accuracy", "Bal. acc", "F1", "Samples", "Notes"};
  t.numeric = {false, false, true, true, true, true, true, false};
  for (const auto& e : in.evals) {
    t.rows.push_back({text_cell(e.run), text_cell(e.task),
                      e.epoch ? Cell{std::to_string(*e.epoch), static_cast<double>(*e.epoch)} : text_cell("-"),
                      number_cell(e.accuracy, 4),
                      e.balanced_accuracy ? number_cell(e.balanced_accuracy, 4) : text_cell("-"),
                      e.f1 ? number_cell(e.f1, 4) : text_cell("-"),
                      e.samples ? Cell{std::to_string(*e.samples), static_cast<double>(*e.samples)} : text_cell("n/a"),
                      text_cell(e.note)});
  }
  return t;
}

Table ranking_table(const AnalysisInput& in, const Analysis& a) {
  Table t;
  t.id = "ranking";
  t.caption = fmt::format("Arms ranked by mean {} ({} is better)", in.primary.name,
                          in.primary.higher_is_better ? "higher" : "lower");
  t.header = {"Rank", "Arm", "n", "Mean " + in.primary.name, "Std", "95% CI low", "95% CI high", "Train time (min)"};
  t.numeric = {true, false, true, true, true, true, true, true};
  int d = in.primary.decimals;
  for (size_t i = 0; i < a.ranking.size(); ++i) {
    const auto& r = a.ranking[i];
    auto n = static_cast<double>(r.summary.n);
    t.rows.push_back(
        {Cell{std::to_string(i + 1), static_cast<double>(i + 1)}, text_cell(r.arm + (r.control ? " (control)" : "")),
         Cell{std::to_string(r.summary.n), n}, number_cell(r.summary.mean, d), number_cell(r.summary.std, d),
         number_cell(r.ci95 ? std::optional(r.ci95->first) : std::nullopt, d),
         number_cell(r.ci95 ? std::optional(r.ci95->second) : std::nullopt, d), number_cell(r.mean_train_minutes, 2)});
  }
  return t;
}

Table statistics_table(const Analysis& a) {
  Table t;
  t.id = "statistics";
  t.caption = "Statistical summary per arm (std: sample standard deviation, n-1; CI: Student t, within [0, 1] for "
              "proportions)";
  t.header = {"Metric", "Group", "n", "Mean", "Std", "Min", "Max", "95% CI low", "95% CI high"};
  t.numeric = {false, false, true, true, true, true, true, true, true};
  for (const auto& r : a.summary) {
    const auto& s = r.summary;
    t.rows.push_back({text_cell(r.metric), text_cell(r.group), Cell{std::to_string(s.n), static_cast<double>(s.n)},
                      number_cell(s.mean, r.decimals), number_cell(s.std, r.decimals), number_cell(s.min, r.decimals),
                      number_cell(s.max, r.decimals),
                      number_cell(r.ci95 ? std::optional(r.ci95->first) : std::nullopt, r.decimals),
                      number_cell(r.ci95 ? std::optional(r.ci95->second) : std::nullopt, r.decimals)});
  }
  return t;
}

std::optional<Table> pairwise_table(const AnalysisInput& in, const Analysis& a) {
  if (a.pairs.empty()) {
    return std::nullopt;
  }
  Table t;
  t.id = "pairwise";
  t.caption = fmt::format("Pairwise comparisons of {}: Welch's t-test with Holm-Bonferroni correction, "
                          "bootstrap 95% CI of the difference of means, probability of improvement",
                          in.primary.name);
  t.header = {"Better", "Worse", "Δ mean", "CI low", "CI high", "Welch t", "df", "p", "p (Holm)", "P(better wins)"};
  t.numeric = {false, false, true, true, true, true, true, true, true, true};
  int d = in.primary.decimals;
  for (const auto& p : a.pairs) {
    auto w = p.welch;
    t.rows.push_back({text_cell(p.better), text_cell(p.worse), number_cell(p.delta, d),
                      number_cell(p.ci95 ? std::optional(p.ci95->first) : std::nullopt, d),
                      number_cell(p.ci95 ? std::optional(p.ci95->second) : std::nullopt, d),
                      number_cell(w ? std::optional(w->t) : std::nullopt, 3),
                      number_cell(w ? std::optional(w->df) : std::nullopt, 2),
                      p_value_cell(w ? std::optional(w->p) : std::nullopt), p_value_cell(p.p_holm),
                      number_cell(p.p_better, 3)});
  }
  return t;
}

std::optional<Table> parameters_table(const AnalysisInput& in, const Analysis& a) {
  if (a.parameters.empty()) {
    return std::nullopt;
  }
  Table t;
  t.id = "parameters";
  t.caption = fmt::format("Mean {} per parameter level (mean of the arm means)", in.primary.name);
  t.header = {"Parameter", "Level", "Arms", "Mean " + in.primary.name, "Spread"};
  t.numeric = {false, false, true, true, true};
  for (const auto& e : a.parameters) {
    for (const auto& l : e.levels) {
      t.rows.push_back({text_cell(e.parameter), text_cell(l.level),
                        Cell{std::to_string(l.arms), static_cast<double>(l.arms)},
                        number_cell(l.mean, in.primary.decimals), number_cell(e.spread, in.primary.decimals)});
    }
  }
  return t;
}

std::optional<Table> cost_table(const AnalysisInput& in, const Analysis& a) {
  if (a.cost.empty()) {
    return std::nullopt;
  }
  Table t;
  t.id = "cost_benefit";
  t.caption = fmt::format("Cost and benefit: mean {} against mean training time", in.primary.name);
  t.header = {"Arm", "Mean " + in.primary.name, "Mean train time (min)"};
  t.numeric = {false, true, true};
  bool per_minute = in.primary.higher_is_better;
  if (per_minute) {
    t.header.push_back(in.primary.name + " per training minute");
    t.numeric.push_back(true);
  }
  for (const auto& c : a.cost) {
    std::vector<Cell> row = {text_cell(c.arm), number_cell(c.mean_metric, in.primary.decimals),
                             number_cell(c.mean_minutes, 2)};
    if (per_minute) {
      row.push_back(number_cell(c.metric_per_minute, 4));
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

} // namespace seedrun::analyze
