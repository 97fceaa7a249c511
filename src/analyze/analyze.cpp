#include "seedrun/analyze/analyze.hpp"

#include "seedrun/analyze/findings.hpp"
#include "seedrun/analyze/report_document.hpp"
#include "seedrun/analyze/report_health.hpp"
#include "seedrun/analyze/report_ratings.hpp"
#include "seedrun/analyze/report_tables.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <array>
#include <fmt/format.h>

namespace seedrun::analyze {

using render::render_html;
using render::render_markdown;
using render::Table;
using render::to_csv;
using render::to_latex;
namespace {

constexpr std::array<const char*, 6> k_plot_names = {"loss_curves", "final_metric",       "heatmap",
                                                     "seeds_box",   "ratings_trajectory", "ratings_gap"};
constexpr std::array<const char*, 11> k_table_ids = {"fine_tuning", "evaluation", "ranking",      "statistics",
                                                     "pairwise",    "parameters", "cost_benefit", "sweep",
                                                     "health",      "ratings",    "rating_signal"};

std::vector<Table> build_tables(const AnalysisInput& in, const Analysis& a) {
  std::vector<Table> out = {fine_tuning_table(in, a)};
  for (auto t : {evaluation_table(in)}) {
    if (t) {
      out.push_back(std::move(*t));
    }
  }
  out.push_back(ranking_table(in, a));
  out.push_back(statistics_table(a));
  for (auto t : {pairwise_table(in, a), parameters_table(in, a), cost_table(in, a)}) {
    if (t) {
      out.push_back(std::move(*t));
    }
  }
  return out;
}

} // namespace

void select_primary_metric(AnalysisInput& input, const std::string& id) {
  if (id.empty()) {
    return;
  }
  auto it = std::find_if(input.metrics.begin(), input.metrics.end(), [&](const MetricInfo& m) { return m.id == id; });
  if (it == input.metrics.end()) {
    std::vector<std::string> ids;
    for (const auto& m : input.metrics) {
      ids.push_back(m.id);
    }
    throw UsageError(fmt::format("unknown metric '{}' for this analysis (available: {})", id, util::join(ids, ", ")));
  }
  MetricInfo chosen = *it;
  input.metrics.erase(it);
  input.metrics.insert(input.metrics.begin(), chosen);
  input.primary = chosen;
}

AnalysisOutput build_analysis(const AnalysisInput& input, const AnalyzeOptions& options, util::TimePoint now) {
  AnalysisOutput out;
  out.analysis = analyze_input(input, options.heatmap);
  ReportParts parts;
  parts.limitations = input.limitations;
  parts.limitations.insert(parts.limitations.end(), out.analysis.notes.begin(), out.analysis.notes.end());
  for (const auto& arm : out.analysis.empty_arms) {
    parts.limitations.push_back(fmt::format("Arm {} has no run with a value of {}: it is left out of the ranking and "
                                            "the statistics.",
                                            arm, input.primary.name));
  }
  parts.plots = build_plots(input, out.analysis, options.curves, parts.limitations);
  parts.tables = build_tables(input, out.analysis);
  parts.findings = key_findings(input, out.analysis);
  // The optional sections (report_health.hpp): nothing at all without sweep or health data.
  for (auto& p : sweep_plots(input)) {
    parts.plots.push_back(std::move(p));
  }
  for (auto& p : ratings_plots(input)) {
    parts.plots.push_back(std::move(p));
  }
  for (auto t : {sweep_table(input), health_table(input), ratings_table(input), rating_signal_table(input)}) {
    if (t) {
      parts.tables.push_back(std::move(*t));
    }
  }
  for (auto f : {health_finding(input), ratings_finding(input)}) {
    if (f) {
      parts.findings.push_back(*f);
    }
  }
  auto json = analysis_json(input, util::iso8601(now));
  parts.json = json.has_value();
  parts.html = options.html;
  out.document = build_document(input, out.analysis, parts, now);
  out.files.emplace_back("report.md", render_markdown(out.document));
  if (options.html) {
    out.files.emplace_back("report.html", render_html(out.document));
  }
  if (json) {
    out.files.emplace_back("analysis.json", *json);
  }
  for (const auto& p : parts.plots) {
    out.files.emplace_back("plots/" + p.name + ".svg", p.svg);
  }
  for (const auto& t : parts.tables) {
    out.files.emplace_back("tables/" + t.id + ".csv", to_csv(t));
    out.files.emplace_back("tables/" + t.id + ".tex", to_latex(t));
  }
  out.findings = parts.findings;
  out.limitations = parts.limitations;
  return out;
}

AnalyzeResult write_analysis(const std::filesystem::path& dir, const AnalysisOutput& output) {
  AnalyzeResult r;
  r.output_dir = dir;
  std::error_code ec;
  std::filesystem::create_directories(dir / "plots", ec);
  std::filesystem::create_directories(dir / "tables", ec);
  if (ec) {
    throw Error(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  }
  for (const auto& [rel, content] : output.files) {
    util::write_file_atomic(dir / rel, content);
    r.files.push_back(dir / rel);
  }
  std::vector<std::string> known = {"report.html", "analysis.json"};
  for (const char* p : k_plot_names) {
    known.push_back(fmt::format("plots/{}.svg", p));
  }
  for (const auto& entry : std::filesystem::directory_iterator(dir / "plots", ec)) {
    auto name = entry.path().filename().string();
    if (name.rfind("metric_", 0) == 0 && entry.path().extension() == ".svg") {
      known.push_back("plots/" + name); // the other metrics' curves (report_health.hpp)
    }
  }
  for (const char* t : k_table_ids) {
    known.push_back(fmt::format("tables/{}.csv", t));
    known.push_back(fmt::format("tables/{}.tex", t));
  }
  for (const auto& rel : known) {
    bool written = std::any_of(output.files.begin(), output.files.end(), [&](const auto& f) { return f.first == rel; });
    if (!written && std::filesystem::remove(dir / rel, ec)) {
      r.removed.push_back(dir / rel);
    }
  }
  r.report = dir / "report.md";
  if (std::any_of(output.files.begin(), output.files.end(), [](const auto& f) { return f.first == "report.html"; })) {
    r.html = dir / "report.html";
  }
  r.findings = output.findings;
  r.limitations = output.limitations;
  r.markdown = output.files.front().second;
  return r;
}

} // namespace seedrun::analyze
