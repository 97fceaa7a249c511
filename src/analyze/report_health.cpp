// The Sweep and Training Health sections and analysis.json (report_health.hpp).
#include "seedrun/analyze/report_health.hpp"

#include "seedrun/render/plots.hpp"
#include "seedrun/report/health_cache.hpp"
#include "seedrun/report/ratings_report.hpp"
#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>

namespace seedrun::analyze {

using render::Cell;
using render::number_cell;
using render::Table;
using render::text_cell;
namespace {

const RunHealthInfo* health_of(const AnalysisInput& in, const std::string& run) {
  auto it = std::find_if(in.health.begin(), in.health.end(), [&](const RunHealthInfo& h) { return h.run == run; });
  return it == in.health.end() ? nullptr : &*it;
}

std::string phrase(const RunHealthInfo* h) {
  return h == nullptr ? "not checked" : report::health_phrase(h->findings, h->evaluated);
}

// The last finite value of a curve.
std::optional<double> last_value(const std::vector<CurvePoint>& curve) {
  for (auto it = curve.rbegin(); it != curve.rend(); ++it) {
    if (std::isfinite(it->value)) {
      return it->value;
    }
  }
  return std::nullopt;
}

const std::vector<CurvePoint>* extra_curve(const ExtraMetric& m, const std::string& run) {
  auto it = std::find_if(m.runs.begin(), m.runs.end(), [&](const auto& r) { return r.first == run; });
  return it == m.runs.end() ? nullptr : &it->second;
}

// A finding's value as the health report prints it, the exact number for the CSV.
Cell value_cell(double v) {
  if (std::isnan(v)) {
    return text_cell("nan");
  }
  if (std::isinf(v)) {
    return text_cell(v > 0 ? "inf" : "-inf");
  }
  return Cell{fmt::format("{:.4g}", v), v};
}

std::string plot_name(const std::string& metric) {
  std::string out = "metric_";
  for (char c : metric) {
    out += std::isalnum(static_cast<unsigned char>(c)) != 0 ? c : '_';
  }
  return out;
}

// Some checked run had data for a rule: runs whose files hold none of the health metrics (a
// trainer logging only its loss) are checked as "no data" and make no section.
bool has_health(const AnalysisInput& in) {
  return std::any_of(in.health.begin(), in.health.end(), [](const RunHealthInfo& h) { return h.evaluated; });
}

size_t unhealthy_count(const AnalysisInput& in) {
  return static_cast<size_t>(std::count_if(in.health.begin(), in.health.end(),
                                           [](const RunHealthInfo& h) { return !report::healthy(h.findings); }));
}

} // namespace

std::optional<size_t> best_run(const AnalysisInput& in) {
  std::optional<size_t> best;
  for (size_t i = 0; i < in.runs.size(); ++i) {
    auto it = in.runs[i].metrics.find(in.primary.id);
    if (it == in.runs[i].metrics.end() || in.runs[i].control) {
      continue;
    }
    double b = best ? in.runs[*best].metrics.at(in.primary.id) : 0;
    if (!best || (in.primary.higher_is_better ? it->second > b : it->second < b)) {
      best = i;
    }
  }
  return best;
}

std::optional<Table> sweep_table(const AnalysisInput& in) {
  if (!in.sweep_prefix) {
    return std::nullopt;
  }
  Table t;
  t.id = "sweep";
  t.caption = fmt::format("Sweep {}: every run side by side", *in.sweep_prefix);
  t.header = {"Run", "Campaign", "Seed", "State", in.primary.name, "Wall time (min)"};
  t.numeric = {false, false, true, false, true, true};
  for (const auto& m : in.extra_metrics) {
    t.header.push_back(m.name + " (last)");
    t.numeric.push_back(true);
  }
  t.header.emplace_back("Health");
  t.numeric.push_back(false);
  for (const auto& r : in.runs) {
    auto v = r.metrics.find(in.primary.id);
    std::vector<Cell> row = {
        text_cell(r.name),
        text_cell(r.arm),
        r.seed ? Cell{std::to_string(*r.seed), static_cast<double>(*r.seed)} : text_cell("n/a"),
        text_cell(r.state),
        number_cell(v == r.metrics.end() ? std::nullopt : std::optional<double>(v->second), in.primary.decimals),
        number_cell(r.train_seconds ? std::optional<double>(*r.train_seconds / 60) : std::nullopt, 2)};
    for (const auto& m : in.extra_metrics) {
      const auto* curve = extra_curve(m, r.name);
      row.push_back(number_cell(curve != nullptr ? last_value(*curve) : std::nullopt, 4));
    }
    row.push_back(text_cell(phrase(health_of(in, r.name))));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::optional<Table> health_table(const AnalysisInput& in) {
  if (!has_health(in)) {
    return std::nullopt;
  }
  Table t;
  t.id = "health";
  t.caption = "Training health: the findings of the health rules per run";
  t.header = {"Run", "Result", "Rule", "Metric", "Step", "Value", "Threshold", "Action"};
  t.numeric = {false, false, false, false, true, true, true, false};
  for (const auto& h : in.health) {
    if (h.findings.empty()) {
      t.rows.push_back({text_cell(h.run), text_cell(h.evaluated ? "ok" : "no data"), text_cell(""), text_cell(""),
                        text_cell(""), text_cell(""), text_cell(""), text_cell("")});
    }
    for (const auto& f : h.findings) {
      t.rows.push_back({text_cell(h.run), text_cell(f.severity == stats::Severity::problem ? "problem" : "warning"),
                        text_cell(f.rule), text_cell(f.metric),
                        f.step ? Cell{std::to_string(*f.step), static_cast<double>(*f.step)} : text_cell("events"),
                        value_cell(f.value), value_cell(f.threshold), text_cell(f.action)});
    }
  }
  return t;
}

std::vector<PlotFile> sweep_plots(const AnalysisInput& in) {
  std::vector<PlotFile> out; // none with one metric: the analysis is then as it always was
  for (const auto& m : in.extra_metrics) {
    render::LineChartSpec spec;
    std::map<std::string, size_t> per_arm;
    for (const auto& entry : m.runs) {
      const auto& curve = entry.second;
      auto it = std::find_if(in.runs.begin(), in.runs.end(), [&](const RunRecord& r) { return r.name == entry.first; });
      if (it == in.runs.end()) {
        continue;
      }
      render::CurveSeries s;
      s.color = arm_color(in, it->arm);
      s.width = 1.5;
      for (const auto& p : curve) {
        if (std::isfinite(p.step) && std::isfinite(p.value)) {
          s.x.push_back(p.step);
          s.y.push_back(p.value);
        }
      }
      if (s.x.empty()) {
        continue;
      }
      s.label = per_arm[it->arm]++ == 0 ? it->arm : "";
      spec.series.push_back(std::move(s));
    }
    if (spec.series.empty()) {
      continue;
    }
    spec.text = {m.name + " vs step", "One line per run, coloured by campaign", in.step_axis_label,
                 m.name + " (as logged)"};
    out.push_back(
        {plot_name(m.name),
         m.name + (in.sweep_prefix ? " vs step, every run of the sweep overlaid" : " vs step, every run overlaid"),
         render_line_chart(spec)});
  }
  return out;
}

std::optional<std::string> health_finding(const AnalysisInput& in) {
  if (!has_health(in)) {
    return std::nullopt;
  }
  std::vector<std::string> bad;
  size_t warned = 0;
  size_t with_data = 0;
  for (const auto& h : in.health) {
    with_data += h.evaluated ? 1 : 0;
    if (!report::healthy(h.findings)) {
      bad.push_back(fmt::format("{}: {}", h.run, report::health_phrase(h.findings, h.evaluated)));
    } else if (!h.findings.empty()) {
      ++warned;
    }
  }
  size_t no_data = in.health.size() - with_data;
  std::string rest = no_data > 0 ? fmt::format("; {} more without health data", no_data) : "";
  if (bad.empty()) {
    return fmt::format("Training health: all {} checked run{} healthy{}{}.", with_data,
                       with_data == 1 ? " is" : "s are", warned > 0 ? fmt::format(" ({} with warnings)", warned) : "",
                       rest);
  }
  return fmt::format("Training health: {} of {} checked run{} unhealthy ({}){}.", bad.size(), with_data,
                     with_data == 1 ? " is" : "s are", util::join(bad, "; "), rest);
}

void sweep_section(render::Document& d, const AnalysisInput& in, const std::vector<PlotFile>& plots,
                   const std::vector<Table>& tables) {
  if (!in.sweep_prefix) {
    return;
  }
  d.heading(2, "Sweep " + *in.sweep_prefix);
  std::vector<std::string> arms;
  for (const auto& a : in.arms) {
    arms.push_back("`" + a.name + "`");
  }
  d.paragraph(fmt::format("{} campaign{} whose name starts with `{}`: {}. Every run side by side; their {} curves "
                          "are overlaid under Loss Curves{}.",
                          in.arms.size(), in.arms.size() == 1 ? "" : "s", *in.sweep_prefix, util::join(arms, ", "),
                          in.primary.id, in.extra_metrics.empty() ? "" : ", the other metrics' below"));
  if (auto b = best_run(in)) {
    const auto& r = in.runs[*b];
    d.paragraph(fmt::format("**Best run**: `{}` (campaign `{}`{}): {} {} ({} is better); health: {}.", r.name, r.arm,
                            r.seed ? fmt::format(", seed {}", *r.seed) : "", in.primary.name,
                            render::fixed_decimals(r.metrics.at(in.primary.id), in.primary.decimals),
                            in.primary.higher_is_better ? "higher" : "lower", phrase(health_of(in, r.name))));
  } else {
    d.paragraph(fmt::format("No run of the sweep has a value of {}: there is no best run.", in.primary.name));
  }
  for (const auto& t : tables) {
    if (t.id == "sweep") {
      d.table(t);
    }
  }
  for (const auto& p : plots) {
    if (p.name.rfind("metric_", 0) == 0) {
      d.figure(p.caption, "plots/" + p.name + ".svg", p.svg);
    }
  }
}

void health_section(render::Document& d, const AnalysisInput& in, const std::vector<Table>& tables) {
  if (!has_health(in)) {
    return;
  }
  d.heading(2, "Training Health");
  size_t warned = static_cast<size_t>(std::count_if(in.health.begin(), in.health.end(), [](const RunHealthInfo& h) {
    return report::healthy(h.findings) && !h.findings.empty();
  }));
  d.paragraph(fmt::format("The rules of `seedrun health` (docs/health.md) as `seedrun refresh` last evaluated them: "
                          "{} of {} runs checked, {} unhealthy, {} with warnings only.",
                          in.health.size(), in.runs.size(), unhealthy_count(in), warned));
  for (const auto& t : tables) {
    if (t.id == "health") {
      d.table(t);
    }
  }
  std::vector<std::string> actions;
  for (const auto& h : in.health) {
    for (const auto& f : h.findings) {
      auto line = fmt::format("`{}` ({}): {}", f.rule, f.rule_text, f.action);
      if (std::find(actions.begin(), actions.end(), line) == actions.end()) {
        actions.push_back(line);
      }
    }
  }
  if (!actions.empty()) {
    d.paragraph("What to do about each rule that missed:");
    d.bullets(actions);
  }
}

std::optional<std::string> analysis_json(const AnalysisInput& in, const std::string& generated_at) {
  if (!in.sweep_prefix && !has_health(in) && !in.ratings) {
    return std::nullopt;
  }
  nlohmann::json j{{"generated_at", generated_at},
                   {"name", in.name},
                   {"metric", {{"id", in.primary.id}, {"higher_is_better", in.primary.higher_is_better}}},
                   {"sweep", nullptr},
                   {"health", nullptr},
                   {"ratings", in.ratings ? report::ratings_json(*in.ratings) : nlohmann::json(nullptr)}};
  if (in.sweep_prefix) {
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : in.runs) {
      auto v = r.metrics.find(in.primary.id);
      nlohmann::json extra = nlohmann::json::object();
      for (const auto& m : in.extra_metrics) {
        const auto* curve = extra_curve(m, r.name);
        extra[m.name] = util::json_or_null(curve != nullptr ? last_value(*curve) : std::nullopt);
      }
      runs.push_back({{"run", r.name},
                      {"campaign", r.arm},
                      {"seed", util::json_or_null(r.seed)},
                      {"state", r.state},
                      {"value", v == r.metrics.end() ? nlohmann::json(nullptr) : nlohmann::json(v->second)},
                      {"wall_time_s", util::json_or_null(r.train_seconds)},
                      {"last", extra},
                      {"health", phrase(health_of(in, r.name))}});
    }
    std::vector<std::string> campaigns;
    for (const auto& a : in.arms) {
      campaigns.push_back(a.name);
    }
    auto best = best_run(in);
    j["sweep"] = {{"prefix", *in.sweep_prefix},
                  {"campaigns", campaigns},
                  {"best_run", best ? nlohmann::json(in.runs[*best].name) : nlohmann::json(nullptr)},
                  {"runs", runs}};
  }
  if (has_health(in)) {
    nlohmann::json health = nlohmann::json::array();
    for (const auto& h : in.health) {
      nlohmann::json findings = nlohmann::json::array();
      for (const auto& f : h.findings) {
        findings.push_back(report::health_finding_json(f));
      }
      health.push_back({{"run", h.run},
                        {"healthy", report::healthy(h.findings)},
                        {"evaluated", h.evaluated},
                        {"summary", report::health_phrase(h.findings, h.evaluated)},
                        {"checked_at", h.checked_at},
                        {"findings", findings}});
    }
    j["health"] = health;
  }
  return util::dump_json(j, 2) + "\n";
}

} // namespace seedrun::analyze
