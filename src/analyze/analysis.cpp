#include "seedrun/analyze/analysis.hpp"

#include "seedrun/analyze/parameters.hpp"
#include "seedrun/stats/bootstrap.hpp"

#include <algorithm>
#include <cmath>

namespace seedrun::analyze {

namespace {

ArmResult arm_result(const AnalysisInput& input, const ArmInfo& arm) {
  ArmResult r;
  r.arm = arm.name;
  r.control = arm.control;
  std::vector<double> minutes;
  for (const auto& run : input.runs) {
    if (run.arm != arm.name) {
      continue;
    }
    ++r.runs;
    auto it = run.metrics.find(input.primary.id);
    if (it == run.metrics.end() || !std::isfinite(it->second)) {
      continue;
    }
    r.values.push_back(it->second);
    if (run.train_seconds && std::isfinite(*run.train_seconds) && *run.train_seconds >= 0) {
      minutes.push_back(*run.train_seconds / 60);
    }
  }
  r.summary = stats::describe(r.values);
  r.ci95 = bounded_mean_ci95(r.values, input.primary.range);
  if (!minutes.empty()) {
    r.mean_train_minutes = stats::describe(minutes).mean;
  }
  return r;
}

std::vector<PairResult> pairwise(const std::vector<ArmResult>& ranking, bool higher_is_better) {
  std::vector<const ArmResult*> arms;
  for (const auto& a : ranking) {
    if (a.values.size() >= 2) {
      arms.push_back(&a);
    }
  }
  std::vector<PairResult> pairs;
  for (size_t i = 0; i < arms.size(); ++i) {
    for (size_t j = i + 1; j < arms.size(); ++j) {
      const auto& a = *arms[i];
      const auto& b = *arms[j];
      PairResult p;
      p.better = a.arm;
      p.worse = b.arm;
      p.delta = *a.summary.mean - *b.summary.mean;
      p.ci95 = stats::bootstrap_ci_delta(b.values, a.values);
      p.welch = stats::welch_t_test(a.values, b.values);
      p.p_better = higher_is_better ? stats::probability_of_improvement(a.values, b.values)
                                    : stats::probability_of_improvement(b.values, a.values);
      pairs.push_back(p);
    }
  }
  std::vector<double> ps;
  for (const auto& p : pairs) {
    if (p.welch) {
      ps.push_back(p.welch->p);
    }
  }
  auto adjusted = stats::holm_bonferroni(ps);
  size_t k = 0;
  for (auto& p : pairs) {
    if (p.welch) {
      p.p_holm = adjusted[k++];
    }
  }
  return pairs;
}

std::vector<double> metric_values(const AnalysisInput& input, const std::string& id, const std::string* arm) {
  std::vector<double> v;
  for (const auto& run : input.runs) {
    auto it = run.metrics.find(id);
    if ((arm == nullptr || run.arm == *arm) && it != run.metrics.end()) {
      v.push_back(it->second);
    }
  }
  return v;
}

SummaryRow summary_row(const MetricInfo& m, const std::string& group, const std::vector<double>& v) {
  return {m.name, group, m.decimals, stats::describe(v), bounded_mean_ci95(v, m.range)};
}

// One row per arm (the control is an arm of its own): runs of different configurations are
// never pooled, since their spread would be the effect of the configuration, not noise.
std::vector<SummaryRow> summary_rows(const AnalysisInput& input) {
  std::vector<SummaryRow> rows;
  for (const auto& m : input.metrics) {
    for (const auto& a : input.arms) {
      auto v = metric_values(input, m.id, &a.name);
      if (!v.empty()) {
        rows.push_back(summary_row(m, a.name, v));
      }
    }
  }
  return rows;
}

std::vector<CostRow> cost_rows(const std::vector<ArmResult>& ranking, bool higher_is_better) {
  std::vector<CostRow> rows;
  for (const auto& a : ranking) {
    if (!a.mean_train_minutes || !a.summary.mean) {
      continue;
    }
    CostRow r{a.arm, *a.summary.mean, *a.mean_train_minutes, std::nullopt};
    if (higher_is_better && r.mean_minutes > 0) {
      r.metric_per_minute = r.mean_metric / r.mean_minutes;
    }
    rows.push_back(r);
  }
  return rows;
}

} // namespace

std::optional<std::pair<double, double>> bounded_mean_ci95(const std::vector<double>& values,
                                                           const std::optional<std::pair<double, double>>& range) {
  auto ci = stats::mean_ci95(values);
  if (ci && range) {
    ci->first = std::clamp(ci->first, range->first, range->second);
    ci->second = std::clamp(ci->second, range->first, range->second);
  }
  return ci;
}

void rank_arms(std::vector<ArmResult>& arms, bool higher_is_better) {
  std::stable_sort(arms.begin(), arms.end(), [&](const ArmResult& a, const ArmResult& b) {
    double ma = *a.summary.mean;
    double mb = *b.summary.mean;
    if (ma != mb) {
      return higher_is_better ? ma > mb : ma < mb;
    }
    return a.arm < b.arm;
  });
}

Analysis analyze_input(const AnalysisInput& input, const std::vector<std::string>& heatmap_params) {
  Analysis out;
  for (const auto& arm : input.arms) {
    auto r = arm_result(input, arm);
    if (r.values.empty()) {
      out.empty_arms.push_back(arm.name);
    } else {
      out.ranking.push_back(std::move(r));
    }
  }
  rank_arms(out.ranking, input.primary.higher_is_better);
  out.pairs = pairwise(out.ranking, input.primary.higher_is_better);
  out.parameters = parameter_effects(input, out.ranking);
  out.heatmap = heatmap_grid(input, out.ranking, out.parameters, heatmap_params, out.notes);
  out.cost = cost_rows(out.ranking, input.primary.higher_is_better);
  for (const auto& run : input.runs) {
    out.convergence.push_back(assess_convergence(run.curve));
  }
  out.summary = summary_rows(input);
  return out;
}

} // namespace seedrun::analyze
