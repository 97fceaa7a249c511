#include "seedrun/report/secondary_metrics.hpp"

#include "seedrun/report/format.hpp"
#include "seedrun/report/report_parts.hpp"
#include "seedrun/stats/hypothesis.hpp"
#include "seedrun/store/run_lifecycle.hpp"
#include "seedrun/util/json.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace seedrun::report {
namespace {

std::string_view goal_name(config::Goal g) {
  switch (g) {
  case config::Goal::minimize: return "minimize";
  case config::Goal::maximize: return "maximize";
  case config::Goal::none: break;
  }
  return "none";
}

std::string reduce_name(config::Reduce r, int k) {
  switch (r) {
  case config::Reduce::last: return "last";
  case config::Reduce::min: return "min";
  case config::Reduce::max: return "max";
  case config::Reduce::mean_last_k: return fmt::format("mean_last_k (k = {})", k);
  }
  return "last";
}

// The seeds of a campaign counted for the primary metric, with this metric's value.
std::vector<SecondarySeed> seeds_of(store::Store& store, const store::Campaign& campaign,
                                    const config::MetricSpec& spec) {
  std::vector<SecondarySeed> out;
  for (const auto& r : store.runs(campaign.id)) {
    if (store::counts(r)) {
      out.push_back({r.seed, reduce_points(store.metric_points(r.id, spec.name), spec.reduce, spec.reduce_k)});
    }
  }
  return out;
}

std::vector<double> values_of(const std::vector<SecondarySeed>& seeds) {
  std::vector<double> out;
  for (const auto& s : seeds) {
    if (s.value) {
      out.push_back(*s.value);
    }
  }
  return out;
}

std::string label(const SecondaryMetric& m) {
  return m.name + " (secondary)";
}

std::string p_cell(std::optional<double> p) {
  return p ? fmt::format("{:.4g}", *p) : "n/a";
}

nlohmann::json seeds_json(const std::vector<SecondarySeed>& seeds) {
  auto out = nlohmann::json::array();
  for (const auto& s : seeds) {
    out.push_back({{"seed", s.seed}, {"value", util::json_or_null(s.value)}});
  }
  return out;
}

} // namespace

std::optional<double> reduce_points(const std::vector<store::MetricPoint>& points, config::Reduce reduce, int k) {
  if (points.empty()) {
    return std::nullopt;
  }
  auto less = [](const store::MetricPoint& a, const store::MetricPoint& b) { return a.value < b.value; };
  auto non_finite = std::find_if(points.begin(), points.end(), [](const auto& p) { return !std::isfinite(p.value); });
  switch (reduce) {
  case config::Reduce::last: return points.back().value;
  case config::Reduce::min:
    return non_finite != points.end() ? non_finite->value : std::min_element(points.begin(), points.end(), less)->value;
  case config::Reduce::max:
    return non_finite != points.end() ? non_finite->value : std::max_element(points.begin(), points.end(), less)->value;
  case config::Reduce::mean_last_k: {
    size_t n = std::min(points.size(), static_cast<size_t>(std::max(k, 1)));
    double sum = 0;
    for (size_t i = points.size() - n; i < points.size(); ++i) {
      sum += points[i].value;
    }
    return sum / static_cast<double>(n);
  }
  }
  return points.back().value;
}

std::vector<SecondaryMetric> secondary_metrics(store::Store& store, const config::Config& cfg,
                                               const store::Campaign& experiment,
                                               const std::optional<store::Campaign>& baseline) {
  std::vector<SecondaryMetric> out;
  if (experiment.metric != cfg.metric.name) {
    return out;
  }
  for (const auto& spec : cfg.metrics) {
    if (spec.name == experiment.metric) {
      continue;
    }
    SecondaryMetric m;
    m.name = spec.name;
    m.goal = spec.goal;
    m.reduce = spec.reduce;
    m.reduce_k = spec.reduce_k;
    if (baseline) {
      m.baseline_seeds = seeds_of(store, *baseline, spec);
    }
    m.experiment_seeds = seeds_of(store, experiment, spec);
    auto b = values_of(m.baseline_seeds);
    auto e = values_of(m.experiment_seeds);
    m.baseline = stats::describe(b);
    m.experiment = stats::describe(e);
    if (m.baseline.mean && m.experiment.mean) {
      m.delta = *m.experiment.mean - *m.baseline.mean;
    }
    m.cohens_d = stats::cohens_d(m.baseline, m.experiment);
    m.welch_p = stats::welch_p_value(e, b);
    out.push_back(std::move(m));
  }
  std::vector<double> ps;
  for (const auto& m : out) {
    if (m.welch_p) {
      ps.push_back(*m.welch_p);
    }
  }
  auto adjusted = stats::holm_bonferroni(ps);
  size_t k = 0;
  for (auto& m : out) {
    if (m.welch_p) {
      m.p_holm = adjusted[k++];
    }
  }
  return out;
}

std::string secondary_markdown(const std::vector<SecondaryMetric>& metrics, const std::string& primary) {
  if (metrics.empty()) {
    return "";
  }
  std::string md = "\n## Secondary Metrics\n\n";
  md += fmt::format("Reported, never judged: the verdict is on {}. The seeds are those counted for {}; p (Holm) is "
                    "Welch's p adjusted by Holm–Bonferroni across the {} secondary metric{}.\n\n",
                    primary, primary, metrics.size(), metrics.size() == 1 ? "" : "s");
  md += "| Metric | Goal | Reduce | Arm | N | Mean | Std | Min | Max |\n"
        "|--------|------|--------|-----|---|------|-----|-----|-----|\n";
  for (const auto& m : metrics) {
    for (const auto* arm : {&m.baseline, &m.experiment}) {
      md += md_row({label(m), std::string(goal_name(m.goal)), reduce_name(m.reduce, m.reduce_k),
                    arm == &m.baseline ? "baseline" : "experiment", std::to_string(arm->n), fixed(arm->mean),
                    fixed(arm->std), fixed(arm->min), fixed(arm->max)});
    }
  }
  md += "\n| Metric | Δ (experiment − baseline) | Cohen's d | Effect Size | Welch p | p (Holm) |\n"
        "|--------|---------------------------|-----------|-------------|---------|----------|\n";
  for (const auto& m : metrics) {
    md += md_row({label(m), fixed(m.delta), fixed(m.cohens_d, 4, "undefined"),
                  m.cohens_d ? std::string(stats::to_string(stats::classify_effect(*m.cohens_d))) : "undefined",
                  p_cell(m.welch_p), p_cell(m.p_holm)});
  }
  return md;
}

std::string secondary_rows(const std::vector<SecondaryMetric>& metrics) {
  std::string out;
  for (const auto& m : metrics) {
    const auto& a = m.experiment;
    out +=
        md_row({label(m), fixed(a.mean), fixed(a.std, 4, a.n < 2 ? "n/a (n<2)" : "n/a"), fixed(a.min), fixed(a.max)});
  }
  return out;
}

nlohmann::json secondary_arm_json(const std::vector<SecondaryMetric>& metrics) {
  auto out = nlohmann::json::array();
  for (const auto& m : metrics) {
    out.push_back({{"name", m.name},
                   {"secondary", true},
                   {"goal", std::string(goal_name(m.goal))},
                   {"reduce", reduce_name(m.reduce, m.reduce_k)},
                   {"baseline", summary_json(m.experiment)},
                   {"seeds", seeds_json(m.experiment_seeds)}});
  }
  return out;
}

nlohmann::json secondary_json(const std::vector<SecondaryMetric>& metrics) {
  using util::json_or_null;
  auto out = nlohmann::json::array();
  for (const auto& m : metrics) {
    nlohmann::json j;
    j["name"] = m.name;
    j["secondary"] = true;
    j["goal"] = std::string(goal_name(m.goal));
    j["reduce"] = reduce_name(m.reduce, m.reduce_k);
    j["baseline"] = summary_json(m.baseline);
    j["experiment"] = summary_json(m.experiment);
    j["seeds"] = {{"baseline", seeds_json(m.baseline_seeds)}, {"experiment", seeds_json(m.experiment_seeds)}};
    j["delta"] = json_or_null(m.delta);
    j["cohens_d"] = json_or_null(m.cohens_d);
    j["effect_size"] = m.cohens_d ? nlohmann::json(std::string(stats::to_string(stats::classify_effect(*m.cohens_d))))
                                  : nlohmann::json(nullptr);
    j["welch_p"] = json_or_null(m.welch_p);
    j["p_holm"] = json_or_null(m.p_holm);
    out.push_back(std::move(j));
  }
  return out;
}

} // namespace seedrun::report
