// Recommendations, convergence and training-time bullets (findings.hpp).
#include "seedrun/analyze/findings.hpp"
#include "seedrun/analyze/parameters.hpp"
#include "seedrun/render/axis.hpp"
#include "seedrun/render/table.hpp"
#include "seedrun/stats/effect.hpp"
#include "seedrun/stats/power.hpp"
#include "seedrun/util/strings.hpp"
#include "seedrun/util/time.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::analyze {

using render::fixed_decimals;
using render::p_value_cell;
namespace {

const ArmInfo* arm_info(const AnalysisInput& in, const std::string& name) {
  auto it = std::find_if(in.arms.begin(), in.arms.end(), [&](const ArmInfo& a) { return a.name == name; });
  return it == in.arms.end() ? nullptr : &*it;
}

std::string parameter_list(const ArmInfo* info) {
  if (info == nullptr || info->parameters.empty()) {
    return "its default settings";
  }
  std::vector<std::string> parts;
  for (const auto& [k, v] : info->parameters) {
    parts.push_back(fmt::format("`{}={}`", k, v));
  }
  return util::join(parts, ", ");
}

// Names of the arm's fine-tuned runs whose curve did not converge.
std::vector<std::string> unconverged(const AnalysisInput& in, const Analysis& a, const std::string& arm) {
  std::vector<std::string> out;
  for (size_t i = 0; i < in.runs.size(); ++i) {
    auto st = a.convergence[i].status;
    if (in.runs[i].arm == arm && st != ConvergenceStatus::converged && st != ConvergenceStatus::unknown) {
      out.push_back(in.runs[i].name);
    }
  }
  return out;
}

std::string production_line(const AnalysisInput& in, const Analysis& a, const ArmResult& best) {
  auto bad = unconverged(in, a, best.arm);
  std::string conv = bad.empty()
                         ? "no run of it failed the convergence check"
                         : fmt::format("but {} of its runs did not converge ({})", bad.size(), util::join(bad, ", "));
  std::string time = best.mean_train_minutes
                         ? fmt::format("; mean training time {}", util::human_duration(*best.mean_train_minutes * 60))
                         : "";
  return fmt::format("**Production config:** {} ({}): mean {} {}, {}{}.", best.arm,
                     parameter_list(arm_info(in, best.arm)), in.primary.name,
                     fixed_decimals(*best.summary.mean, in.primary.decimals), conv, time);
}

std::optional<std::string> range_line(const Analysis& a) {
  if (a.parameters.empty()) {
    return std::nullopt;
  }
  const auto& top = a.parameters[0];
  std::vector<std::string> numbers; // the numeric levels, ascending (words such as "default" come first)
  for (const auto& l : top.levels) {
    if (util::parse_double(l.level)) {
      numbers.push_back(l.level);
    }
  }
  if (numbers.size() < 2 || !util::parse_double(top.best_level)) {
    return std::nullopt;
  }
  std::string tested = util::join(numbers, ", ");
  if (top.best_level == numbers.front() || top.best_level == numbers.back()) {
    return fmt::format("**Further exploration:** the best {} ({}) is at the {} end of the tested values ({}); test "
                       "beyond it.",
                       top.parameter, top.best_level, top.best_level == numbers.front() ? "lower" : "upper", tested);
  }
  return fmt::format("**Further exploration:** the best {} ({}) lies inside the tested values ({}); a finer grid "
                     "around it can refine it.",
                     top.parameter, top.best_level, tested);
}

std::optional<std::string> seeds_line(const Analysis& a) {
  if (a.ranking.size() < 2) {
    return std::nullopt;
  }
  const auto& b = a.ranking[0];
  const auto& s = a.ranking[1];
  if (b.values.size() < 2 || s.values.size() < 2) {
    return fmt::format("**More seeds:** {} and {} have fewer than two runs each; run at least three seeds per "
                       "configuration so that the top configurations can be compared statistically.",
                       b.arm, s.arm);
  }
  auto p = std::find_if(a.pairs.begin(), a.pairs.end(),
                        [&](const PairResult& x) { return x.better == b.arm && x.worse == s.arm; });
  if (p == a.pairs.end() || (p->p_holm && *p->p_holm < k_alpha)) {
    return std::nullopt;
  }
  auto d = stats::cohens_d(s.summary, b.summary);
  auto n = d ? stats::seeds_needed_for_power(*d) : std::nullopt;
  std::string need = n ? fmt::format("at the observed effect size (d = {}) about {} seeds per arm give 80% power "
                                     "(two-sided α = 0.05)",
                                     fixed_decimals(std::abs(*d), 2), *n)
                       : std::string("the observed effect is too small to estimate how many seeds would separate them");
  return fmt::format("**More seeds:** {} and {} are not separated yet (Holm-adjusted p {}); {}.", b.arm, s.arm,
                     p_value_cell(p->p_holm).text, need);
}

} // namespace

std::vector<std::string> recommendations(const AnalysisInput& in, const Analysis& a) {
  std::vector<std::string> out;
  auto best = std::find_if(a.ranking.begin(), a.ranking.end(), [](const ArmResult& r) { return !r.control; });
  if (best != a.ranking.end()) {
    out.push_back(production_line(in, a, *best));
  }
  for (const auto& s : {range_line(a), seeds_line(a)}) {
    if (s) {
      out.push_back(*s);
    }
  }
  if (!in.limitations.empty()) {
    out.push_back(fmt::format("**Complete the data:** {} problem{} listed under Limitations; re-run `seedrun analyze` "
                              "once they are fixed.",
                              in.limitations.size(), in.limitations.size() == 1 ? " is" : "s are"));
  }
  return out;
}

std::vector<std::string> convergence_lines(const AnalysisInput& in, const Analysis& a) {
  std::vector<std::string> details;
  size_t judged = 0;
  size_t converged = 0;
  for (size_t i = 0; i < in.runs.size(); ++i) {
    if (in.runs[i].control) {
      continue;
    }
    const auto& c = a.convergence[i];
    judged += c.status != ConvergenceStatus::unknown ? 1 : 0;
    converged += c.status == ConvergenceStatus::converged ? 1 : 0;
    details.push_back(fmt::format("{}: {}", in.runs[i].name, convergence_text(c)));
  }
  if (details.empty()) {
    return {};
  }
  std::string unjudged = details.size() == judged
                             ? ""
                             : fmt::format("; {} run{} too few {} points to judge", details.size() - judged,
                                           details.size() - judged == 1 ? " has" : "s have", in.curve_name);
  std::vector<std::string> out = {
      fmt::format("{} of {} judged runs converged (on the last 10% of their steps){}.", converged, judged, unjudged)};
  out.insert(out.end(), details.begin(), details.end());
  return out;
}

std::vector<std::string> training_time_lines(const AnalysisInput& in, const Analysis&) {
  std::vector<std::pair<std::string, double>> times;
  for (const auto& r : in.runs) {
    if (!r.control && r.state == "COMPLETED" && r.train_seconds && std::isfinite(*r.train_seconds)) {
      times.emplace_back(r.name, *r.train_seconds);
    }
  }
  if (times.empty()) {
    return {"No training time is known for any completed run."};
  }
  auto [lo, hi] =
      std::minmax_element(times.begin(), times.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
  double sum = 0;
  for (const auto& t : times) {
    sum += t.second;
  }
  std::vector<std::string> out = {fmt::format("Average: {} over {} completed runs.",
                                              util::human_duration(sum / static_cast<double>(times.size())),
                                              times.size()),
                                  fmt::format("Range: {} ({}) to {} ({}).", util::human_duration(lo->second), lo->first,
                                              util::human_duration(hi->second), hi->first)};
  for (const auto& p : in.parameter_names) {
    std::vector<std::pair<std::string, std::vector<double>>> levels;
    for (const auto& r : in.runs) {
      const ArmInfo* info = arm_info(in, r.arm);
      if (r.control || r.state != "COMPLETED" || info == nullptr || !r.train_seconds ||
          !std::isfinite(*r.train_seconds)) {
        continue;
      }
      std::string level = info->parameters.contains(p) ? info->parameters.at(p) : k_default_level;
      auto it = std::find_if(levels.begin(), levels.end(), [&](const auto& l) { return l.first == level; });
      (it == levels.end() ? levels.emplace_back(level, std::vector<double>{}).second : it->second)
          .push_back(*r.train_seconds / 60);
    }
    if (levels.size() < 2) {
      continue;
    }
    std::vector<std::string> parts;
    for (const auto& [level, mins] : levels) {
      double m = 0;
      for (double x : mins) {
        m += x / static_cast<double>(mins.size());
      }
      parts.push_back(fmt::format("{} → {}", level, util::human_duration(m * 60)));
    }
    out.push_back(fmt::format("Mean training time by {}: {}.", p, util::join(parts, ", ")));
  }
  return out;
}

} // namespace seedrun::analyze
