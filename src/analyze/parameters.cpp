#include "seedrun/analyze/parameters.hpp"

#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::analyze {

std::vector<std::pair<std::string, std::string>> parameters_from_flags(const std::vector<std::string>& flags) {
  std::vector<std::pair<std::string, std::string>> out;
  auto set = [&](const std::string& name, const std::string& value) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& kv) { return kv.first == name; });
    if (it == out.end()) {
      out.emplace_back(name, value);
    } else {
      it->second = value;
    }
  };
  int positional = 0;
  for (size_t i = 0; i < flags.size(); ++i) {
    const std::string& f = flags[i];
    bool is_flag = f.size() > 1 && f[0] == '-' && !util::parse_double(f);
    if (!is_flag) {
      set(fmt::format("arg{}", ++positional), f);
      continue;
    }
    std::string name = f.substr(f.find_first_not_of('-'));
    auto eq = name.find('=');
    if (eq != std::string::npos) {
      set(name.substr(0, eq), name.substr(eq + 1));
      continue;
    }
    bool has_value = i + 1 < flags.size() &&
                     !(flags[i + 1].size() > 1 && flags[i + 1][0] == '-' && !util::parse_double(flags[i + 1]));
    set(name, has_value ? flags[i + 1] : "true");
    i += has_value ? 1 : 0;
  }
  return out;
}

bool all_numeric(const std::vector<std::string>& texts) {
  return std::all_of(texts.begin(), texts.end(),
                     [](const std::string& t) { return util::parse_double(t).has_value(); });
}

namespace {

std::string level_of(const ArmInfo& arm, const std::string& parameter) {
  auto it = arm.parameters.find(parameter);
  return it == arm.parameters.end() ? k_default_level : it->second;
}

// Non-control ranked arms with their info, in input order (so levels appear in design order).
std::vector<std::pair<const ArmInfo*, double>> configured_arms(const AnalysisInput& input,
                                                               const std::vector<ArmResult>& ranking) {
  std::vector<std::pair<const ArmInfo*, double>> out;
  for (const auto& info : input.arms) {
    auto it = std::find_if(ranking.begin(), ranking.end(), [&](const ArmResult& r) { return r.arm == info.name; });
    if (!info.control && it != ranking.end()) {
      out.emplace_back(&info, *it->summary.mean);
    }
  }
  return out;
}

} // namespace

void sort_levels(std::vector<std::string>& levels) {
  std::stable_sort(levels.begin(), levels.end(), [](const std::string& a, const std::string& b) {
    auto x = util::parse_double(a);
    auto y = util::parse_double(b);
    if (x && y) {
      return *x < *y;
    }
    return !x && y;
  });
}

namespace {

std::vector<std::string> levels_of(const std::vector<std::pair<const ArmInfo*, double>>& arms, const std::string& p) {
  std::vector<std::string> levels;
  for (const auto& [arm, mean] : arms) {
    auto l = level_of(*arm, p);
    if (std::find(levels.begin(), levels.end(), l) == levels.end()) {
      levels.push_back(l);
    }
  }
  sort_levels(levels);
  return levels;
}

// Mean of the arm means of the arms at the given levels (nullopt when there is none).
std::optional<double> cell_mean(const std::vector<std::pair<const ArmInfo*, double>>& arms,
                                const std::vector<std::pair<std::string, std::string>>& at) {
  double sum = 0;
  size_t n = 0;
  for (const auto& entry : arms) {
    // Not a structured binding: clang 14 (clang-tidy's) cannot capture one in a lambda.
    const ArmInfo* arm = entry.first;
    const double mean = entry.second;
    bool match =
        std::all_of(at.begin(), at.end(), [&](const auto& pl) { return level_of(*arm, pl.first) == pl.second; });
    if (match) {
      sum += mean;
      ++n;
    }
  }
  return n == 0 ? std::nullopt : std::optional<double>(sum / static_cast<double>(n));
}

// The two varying parameters with the most levels, in the design's order; empty with fewer than two.
std::vector<std::string> automatic_pair(const AnalysisInput& input, const std::vector<ParameterEffect>& effects) {
  auto effect = [&](const std::string& p) {
    return std::find_if(effects.begin(), effects.end(), [&](const ParameterEffect& e) { return e.parameter == p; });
  };
  std::vector<std::string> names;
  for (const auto& p : input.parameter_names) {
    if (effect(p) != effects.end()) {
      names.push_back(p);
    }
  }
  if (names.size() < 2) {
    return {};
  }
  std::stable_sort(names.begin(), names.end(), [&](const std::string& a, const std::string& b) {
    return effect(a)->levels.size() > effect(b)->levels.size();
  });
  std::vector<std::string> pick = {names[0], names[1]};
  auto pos = [&](const std::string& p) {
    return std::find(input.parameter_names.begin(), input.parameter_names.end(), p) - input.parameter_names.begin();
  };
  if (pos(pick[1]) < pos(pick[0])) {
    std::swap(pick[0], pick[1]);
  }
  return pick;
}

} // namespace

std::vector<ParameterEffect> parameter_effects(const AnalysisInput& input, const std::vector<ArmResult>& ranking) {
  auto arms = configured_arms(input, ranking);
  std::vector<ParameterEffect> out;
  for (const auto& p : input.parameter_names) {
    auto levels = levels_of(arms, p);
    if (levels.size() < 2) {
      continue;
    }
    ParameterEffect e;
    e.parameter = p;
    for (const auto& l : levels) {
      size_t n = 0;
      for (const auto& [arm, mean] : arms) {
        n += level_of(*arm, p) == l ? 1 : 0;
      }
      e.levels.push_back({l, *cell_mean(arms, {{p, l}}), n});
    }
    auto [lo, hi] = std::minmax_element(e.levels.begin(), e.levels.end(),
                                        [](const LevelMean& a, const LevelMean& b) { return a.mean < b.mean; });
    e.spread = hi->mean - lo->mean;
    e.best_level = input.primary.higher_is_better ? hi->level : lo->level;
    out.push_back(std::move(e));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ParameterEffect& a, const ParameterEffect& b) { return a.spread > b.spread; });
  return out;
}

std::optional<HeatmapGrid> heatmap_grid(const AnalysisInput& input, const std::vector<ArmResult>& ranking,
                                        const std::vector<ParameterEffect>& effects,
                                        const std::vector<std::string>& requested, std::vector<std::string>& notes) {
  auto varies = [&](const std::string& p) {
    return std::any_of(effects.begin(), effects.end(), [&](const ParameterEffect& e) { return e.parameter == p; });
  };
  std::vector<std::string> pick;
  if (!requested.empty()) {
    if (requested.size() != 2 || requested[0] == requested[1] || !varies(requested[0]) || !varies(requested[1])) {
      notes.push_back(fmt::format("No heatmap for the requested parameters {}: a heatmap needs two different "
                                  "parameters that each take at least two levels among the arms with results.",
                                  util::join(requested, ", ")));
      return std::nullopt;
    }
    pick = requested;
  } else {
    pick = automatic_pair(input, effects);
    if (pick.empty()) {
      return std::nullopt;
    }
  }
  auto arms = configured_arms(input, ranking);
  HeatmapGrid g;
  g.y_parameter = pick[0];
  g.x_parameter = pick[1];
  g.y_levels = levels_of(arms, g.y_parameter);
  g.x_levels = levels_of(arms, g.x_parameter);
  g.averaged_over_others = effects.size() > 2;
  for (const auto& yl : g.y_levels) {
    std::vector<std::optional<double>> row;
    for (const auto& xl : g.x_levels) {
      row.push_back(cell_mean(arms, {{g.y_parameter, yl}, {g.x_parameter, xl}}));
    }
    g.cells.push_back(std::move(row));
  }
  return g;
}

} // namespace seedrun::analyze
