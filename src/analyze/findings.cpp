#include "seedrun/analyze/findings.hpp"

#include "seedrun/render/axis.hpp"
#include "seedrun/render/table.hpp"
#include "seedrun/util/time.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::analyze {

using render::fixed_decimals;
using render::p_value_cell;

std::string signed_fixed(double v, int decimals) {
  auto s = fixed_decimals(v, decimals);
  return s.front() == '-' ? s : "+" + s;
}

namespace {

const PairResult* find_pair(const Analysis& a, const std::string& better, const std::string& worse) {
  for (const auto& p : a.pairs) {
    if (p.better == better && p.worse == worse) {
      return &p;
    }
  }
  return nullptr;
}

std::string ci_text(const std::optional<std::pair<double, double>>& ci, int d) {
  return ci ? fmt::format("[{}, {}]", fixed_decimals(ci->first, d), fixed_decimals(ci->second, d)) : "undefined";
}

std::string best_sentence(const AnalysisInput& in, const ArmResult& b) {
  int d = in.primary.decimals;
  std::string detail = b.values.size() >= 2 ? fmt::format("n = {}, 95% CI {}", b.summary.n, ci_text(b.ci95, d))
                                            : std::string("one run, no seeds");
  return fmt::format("**{}** has the best mean {}: {} ({}).", b.arm, in.primary.name,
                     fixed_decimals(*b.summary.mean, d), detail);
}

std::string runner_up_sentence(const AnalysisInput& in, const Analysis& a) {
  const auto& b = a.ranking[0];
  const auto& s = a.ranking[1];
  int d = in.primary.decimals;
  const PairResult* p = find_pair(a, b.arm, s.arm);
  if (p == nullptr) {
    return fmt::format("{} is ahead of the runner-up {} by {} {}; with fewer than two runs in an arm the difference "
                       "cannot be tested.",
                       b.arm, s.arm, fixed_decimals(std::abs(*b.summary.mean - *s.summary.mean), d), in.primary.name);
  }
  std::string test = "Welch's test is undefined (no variance in either arm)";
  if (p->welch && p->p_holm) {
    bool sig = *p->p_holm < k_alpha;
    test = fmt::format("Welch p = {} (Holm-adjusted {}): {} at α = 0.05", p_value_cell(p->welch->p).text,
                       p_value_cell(*p->p_holm).text, sig ? "significant" : "not significant");
  }
  return fmt::format("{} vs the runner-up {}: Δ = {} (bootstrap 95% CI {}); {}; P({} beats {}) = {}.", b.arm, s.arm,
                     signed_fixed(p->delta, d), ci_text(p->ci95, d), test, b.arm, s.arm,
                     p->p_better ? fixed_decimals(*p->p_better, 2) : "undefined");
}

std::string significance_sentence(const Analysis& a) {
  size_t tested = 0;
  size_t sig = 0;
  for (const auto& p : a.pairs) {
    if (p.p_holm) {
      ++tested;
      sig += *p.p_holm < k_alpha ? 1 : 0;
    }
  }
  return fmt::format("{} of {} pairwise differences stay significant at α = 0.05 after Holm–Bonferroni correction.",
                     sig, tested);
}

std::optional<std::string> control_sentence(const AnalysisInput& in, const Analysis& a) {
  auto best = std::find_if(a.ranking.begin(), a.ranking.end(), [](const ArmResult& r) { return !r.control; });
  auto ctrl = std::find_if(a.ranking.begin(), a.ranking.end(), [](const ArmResult& r) { return r.control; });
  if (best == a.ranking.end() || ctrl == a.ranking.end()) {
    return std::nullopt;
  }
  int d = in.primary.decimals;
  double diff = *best->summary.mean - *ctrl->summary.mean;
  return fmt::format("The control {} scores {}; the best configuration {} differs from it by {} {}.", ctrl->arm,
                     fixed_decimals(*ctrl->summary.mean, d), best->arm, signed_fixed(diff, d), in.primary.name);
}

std::optional<std::string> parameter_sentence(const AnalysisInput& in, const Analysis& a) {
  if (a.parameters.empty()) {
    return std::nullopt;
  }
  int d = in.primary.decimals;
  const auto& top = a.parameters[0];
  auto best =
      std::find_if(top.levels.begin(), top.levels.end(), [&](const LevelMean& l) { return l.level == top.best_level; });
  if (best == top.levels.end()) {
    return std::nullopt; // parameter_effects names a best level among its levels; never dereference end()
  }
  std::string out = fmt::format("**{}** matters most: the mean {} spans {} across its {} levels (best: {} = {}, {})",
                                top.parameter, in.primary.name, fixed_decimals(top.spread, d), top.levels.size(),
                                top.parameter, top.best_level, fixed_decimals(best->mean, d));
  for (size_t i = 1; i < a.parameters.size(); ++i) {
    out += fmt::format("{} {} for {}", i == 1 ? "; against" : ",", fixed_decimals(a.parameters[i].spread, d),
                       a.parameters[i].parameter);
  }
  return out + ".";
}

std::optional<std::string> cost_sentence(const AnalysisInput& in, const Analysis& a) {
  if (a.cost.empty()) {
    return std::nullopt;
  }
  int d = in.primary.decimals;
  auto fastest = std::min_element(a.cost.begin(), a.cost.end(),
                                  [](const CostRow& x, const CostRow& y) { return x.mean_minutes < y.mean_minutes; });
  const CostRow& best = a.cost.front();
  std::string out;
  auto per_min = std::max_element(a.cost.begin(), a.cost.end(), [](const CostRow& x, const CostRow& y) {
    return x.metric_per_minute.value_or(-1) < y.metric_per_minute.value_or(-1);
  });
  if (per_min->metric_per_minute) {
    out = fmt::format("Most {} per training minute: {} ({} per minute). ", in.primary.name, per_min->arm,
                      fixed_decimals(*per_min->metric_per_minute, 4));
  }
  if (fastest->arm == best.arm) {
    return out + fmt::format("The best arm {} is also the fastest to train ({}).", best.arm,
                             util::human_duration(best.mean_minutes * 60));
  }
  return out + fmt::format("The best arm {} trains for {} against {} for the fastest arm {} ({} {} for {} more).",
                           best.arm, util::human_duration(best.mean_minutes * 60),
                           util::human_duration(fastest->mean_minutes * 60), fastest->arm,
                           signed_fixed(best.mean_metric - fastest->mean_metric, d), in.primary.name,
                           util::human_duration((best.mean_minutes - fastest->mean_minutes) * 60));
}

} // namespace

std::vector<std::string> key_findings(const AnalysisInput& in, const Analysis& a) {
  std::vector<std::string> out;
  if (a.ranking.empty()) {
    out.push_back(fmt::format("No run has a value of {}: nothing can be ranked (see Limitations).", in.primary.name));
    return out;
  }
  out.push_back(best_sentence(in, a.ranking[0]));
  if (a.ranking.size() >= 2) {
    out.push_back(runner_up_sentence(in, a));
  }
  if (a.pairs.size() > 1) {
    out.push_back(significance_sentence(a));
  }
  for (const auto& s : {control_sentence(in, a), parameter_sentence(in, a), cost_sentence(in, a)}) {
    if (s) {
      out.push_back(*s);
    }
  }
  auto conv = convergence_lines(in, a);
  if (!conv.empty()) {
    out.push_back(conv.front());
  }
  return out;
}

} // namespace seedrun::analyze
