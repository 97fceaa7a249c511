#include "seedrun/report/format.hpp"
#include "seedrun/report/report_parts.hpp"
#include "seedrun/report/reports.hpp"
#include "seedrun/util/json.hpp"

#include <cmath>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace seedrun::report {

namespace {

std::string significance_cell(const stats::Comparison& c) {
  if (!c.sigma_units) {
    return "n/a (" + c.label + ")";
  }
  const char* word =
      c.verdict == stats::Verdict::winner ? "better" : (c.verdict == stats::Verdict::loser ? "worse" : "");
  if (c.verdict == stats::Verdict::neutral) {
    return fmt::format("No ({:+.2f}σ: {})", *c.sigma_units, c.label);
  }
  return fmt::format("Yes ({:.2f}σ {})", std::abs(*c.sigma_units), word);
}

std::string wall_significance(const stats::Summary& b, const stats::Summary& e) {
  if (!b.std || !b.mean || !e.mean || *b.std <= 0) {
    return "n/a";
  }
  double units = (*e.mean - *b.mean) / *b.std;
  return fmt::format("{} ({:+.2f}σ)", std::abs(units) >= 2 ? "Yes" : "No", units);
}

std::string extra_lines(const stats::Comparison& c, const std::string& metric) {
  std::string out;
  out += fmt::format("- Δ (experiment − baseline) = {} {} = {} baseline σ\n", fixed(c.delta), metric,
                     c.sigma_units ? fmt::format("{:+.2f}", *c.sigma_units) : std::string("n/a"));
  out += fmt::format("- Welch's t-test: p = {}\n", c.welch_p ? fmt::format("{:.4g}", *c.welch_p) : "n/a");
  out += fmt::format("- Bootstrap 95% CI of Δ: {}\n",
                     c.ci95 ? fmt::format("[{}, {}]", fixed(c.ci95->first), fixed(c.ci95->second)) : "n/a");
  out += fmt::format("- Seeds per arm for 80% power at this d (two-sided α = {:g}): {}\n", c.seeds_needed_alpha,
                     c.seeds_needed_80 ? std::to_string(*c.seeds_needed_80) : "n/a");
  return out;
}

} // namespace

nlohmann::json comparison_json(const stats::Comparison& c) {
  using util::json_or_null;
  nlohmann::json j;
  j["baseline"] = summary_json(c.baseline);
  j["experiment"] = summary_json(c.experiment);
  j["delta"] = json_or_null(c.delta);
  j["sigma_units"] = json_or_null(c.sigma_units);
  j["cohens_d"] = json_or_null(c.cohens_d);
  j["effect_size"] = c.effect ? nlohmann::json(std::string(stats::to_string(*c.effect))) : nlohmann::json(nullptr);
  j["welch_p"] = json_or_null(c.welch_p);
  j["ci95"] = c.ci95 ? nlohmann::json::array({c.ci95->first, c.ci95->second}) : nlohmann::json(nullptr);
  j["seeds_needed_80"] = json_or_null(c.seeds_needed_80);
  j["verdict"] = std::string(stats::to_string(c.verdict));
  j["label"] = c.label;
  return j;
}

std::string comparison_text(const stats::Comparison& c, const std::string& metric) {
  std::string out;
  out += fmt::format("baseline:   n={} mean={} std={} min={} max={}\n", c.baseline.n, fixed(c.baseline.mean),
                     fixed(c.baseline.std), fixed(c.baseline.min), fixed(c.baseline.max));
  out += fmt::format("experiment: n={} mean={} std={} min={} max={}\n", c.experiment.n, fixed(c.experiment.mean),
                     fixed(c.experiment.std), fixed(c.experiment.min), fixed(c.experiment.max));
  out += fmt::format("Cohen's d = {} ({})\n", fixed(c.cohens_d),
                     c.effect ? std::string(stats::to_string(*c.effect)) : "undefined");
  out += extra_lines(c, metric);
  out += fmt::format("Verdict: {} ({})\n", stats::to_string(c.verdict), c.label);
  return out;
}

namespace {

std::string arm_heading(const char* title, const ArmData& arm) {
  size_t counted = arm.metric.size();
  size_t planned = arm.seeds.size();
  if (counted == planned) {
    return fmt::format("## {} Statistics (N={} runs)\n\n", title, counted);
  }
  return fmt::format("## {} Statistics (N={} runs; {} of {} seeds not counted, listed below)\n\n", title, counted,
                     planned - counted, planned);
}

std::string evidence_lines(const CampaignAssessment& ca, const std::string& metric) {
  const auto& a = ca.a;
  std::string out;
  if (a.detectable_d) {
    out += fmt::format("- Smallest effect these seeds could detect at {:g}% power (two-sided α = {:g}): |d| ≥ {:.2f}",
                       a.power * 100, a.alpha, *a.detectable_d);
    if (a.detectable_delta) {
      out += fmt::format(", i.e. |Δ| ≥ {} {}", fixed(a.detectable_delta), metric);
    }
    if (a.detectable_sigma) {
      out += fmt::format(" ({:.2f} baseline σ)", *a.detectable_sigma);
    }
    out += "\n";
    if (ca.detectable_d_with_extension) {
      out +=
          fmt::format("- With the {} extension seeds as well: |d| ≥ {:.2f} (`seedrun plan` gives the seeds any effect "
                      "needs)\n",
                      ca.extension_seeds, *ca.detectable_d_with_extension);
    }
  } else {
    out += "- Smallest detectable effect: n/a (needs at least 2 counted seeds per arm)\n";
  }
  if (a.cmp.verdict != stats::Verdict::neutral && a.cmp.sigma_units && a.verdict != stats::Verdict::incomplete) {
    out += a.confirmed ? "- The 2σ rule, Welch's t-test and the bootstrap CI agree.\n"
                       : fmt::format("- The 2σ rule is not confirmed by the other tests: {}.\n",
                                     fmt::join(a.disagreements, ", "));
  }
  return out;
}

std::string failure_section(const CampaignAssessment& ca) {
  std::string out;
  for (const auto* arm : {&ca.base, &ca.exp}) {
    if (!arm->first_failure) {
      continue;
    }
    const auto& f = *arm->first_failure;
    out += fmt::format("\nFirst failing seed of the {}: seed {} {} ({})", arm == &ca.base ? "baseline" : "experiment",
                       f.seed, f.state, f.reason);
    if (f.tail.empty()) {
      out += "; its log is empty or gone.\n";
      continue;
    }
    out += fmt::format(". Last lines of `{}`:\n\n```\n", f.log_path);
    for (const auto& line : f.tail) {
      out += line + "\n";
    }
    out += "```\n";
  }
  return out;
}

nlohmann::json failure_json(const std::optional<FailureDetail>& f) {
  if (!f) {
    return nullptr;
  }
  return {{"seed", f->seed}, {"state", f->state}, {"reason", f->reason}, {"log", f->log_path}, {"last_lines", f->tail}};
}

} // namespace

ReportText experiment_report(const store::Campaign& campaign, const CampaignAssessment& ca, util::TimePoint now) {
  const auto& base = ca.base;
  const auto& exp = ca.exp;
  const auto& cmp = ca.a.cmp;
  const store::Campaign* baseline_campaign = ca.baseline ? &*ca.baseline : nullptr;
  auto goal = goal_of(campaign);
  auto bw = stats::describe(base.wall_time);
  auto ew = stats::describe(exp.wall_time);
  auto wall_d = stats::cohens_d(bw, ew);
  auto wall_pct = stats::wall_clock_percent(bw, ew);
  std::string scale = config::scale_label(campaign.train_tokens);
  std::string verdict = std::string(stats::to_string(ca.a.verdict));
  std::string headline = ca.headline(campaign.metric);
  std::string md = fmt::format("# Experiment: {}\n\n", campaign.name);
  md += fmt::format("**Flags:** `{}` | **Scale:** {} tokens | **Metric:** {} ({} is better) | **Generated:** {}\n\n",
                    fmt::join(campaign.flags, " "), scale, campaign.metric,
                    goal == stats::Goal::minimize ? "lower" : "higher", util::iso8601(now));
  md += identity_lines(campaign, baseline_campaign);
  if (!baseline_campaign) {
    md += "> No baseline exists for this command and scale: run `seedrun baseline` first. No verdict.\n\n";
  }
  md += arm_heading("Baseline", base) + stats_table(campaign.metric, cmp.baseline, bw);
  md += "\n" + arm_heading("Experiment", exp) + stats_table(campaign.metric, cmp.experiment, ew);
  md += "\nσ is the sample standard deviation (n−1 denominator).\n\n## Statistical Test\n\n";
  md += "| Metric | Cohen's d | Effect Size | Significant? |\n|--------|-----------|-------------|--------------|\n";
  md += md_row({campaign.metric, fixed(cmp.cohens_d, 4, "undefined"),
                cmp.effect ? std::string(stats::to_string(*cmp.effect)) : "undefined", significance_cell(cmp)});
  md += md_row({"wall_time", fixed(wall_d, 4, "undefined"),
                wall_d ? std::string(stats::to_string(stats::classify_effect(*wall_d))) : "undefined",
                wall_significance(bw, ew)});
  md += "\n" + extra_lines(cmp, campaign.metric) + evidence_lines(ca, campaign.metric);
  md += "\n## Wall Clock\n\n| | Baseline Mean | Experiment Mean | Delta |\n|---|---|---|---|\n";
  md += md_row({"wall_time (s)", fixed(bw.mean, 2), fixed(ew.mean, 2),
                wall_pct ? fmt::format("{} ({})", signed_percent(wall_pct),
                                       std::abs(*wall_pct) < 0.05 ? "same" : (*wall_pct < 0 ? "faster" : "slower"))
                         : "n/a"});
  md += secondary_markdown(ca.secondary, campaign.metric); // "" with one metric
  md += fmt::format("\n## Verdict: {}\n\n{}.\n", verdict, headline);
  md += "\n## Per-seed Results\n\n" + seeds_table(campaign.metric, {{"baseline", &base}, {"experiment", &exp}});
  std::vector<std::string> notes = base.notes;
  notes.insert(notes.end(), exp.notes.begin(), exp.notes.end());
  if (!notes.empty() || base.first_failure || exp.first_failure) {
    md += "\n## Excluded Runs\n\n";
    for (const auto& n : notes) {
      md += "- " + n + "\n";
    }
    md += failure_section(ca);
  }
  std::vector<std::string> warnings;
  for (const auto& w : base.log_warnings) {
    warnings.push_back("baseline " + w);
  }
  for (const auto& w : exp.log_warnings) {
    warnings.push_back("experiment " + w);
  }
  if (!warnings.empty()) {
    md += "\n## Log Warnings\n\n";
    for (const auto& w : warnings) {
      md += "- " + w + "\n";
    }
  }
  md += fmt::format("\nAttempts recorded: baseline {}, experiment {}.\n", base.attempts, exp.attempts);
  nlohmann::json j = comparison_json(cmp);
  j["schema"] = "seedrun.experiment_report/2";
  j["verdict"] = verdict;
  j["rule_verdict"] = std::string(stats::to_string(cmp.verdict));
  j["headline"] = headline;
  j["confirmed"] = ca.a.confirmed;
  j["disagreements"] = ca.a.disagreements;
  j["incomplete_reasons"] = ca.a.incomplete_reasons;
  using util::json_or_null;
  j["detectable_effect_80"] = {{"cohens_d", json_or_null(ca.a.detectable_d)},
                               {"delta", json_or_null(ca.a.detectable_delta)},
                               {"baseline_sigma", json_or_null(ca.a.detectable_sigma)}};
  if (ca.detectable_d_with_extension) { // absent once the extension seeds have run
    j["detectable_effect_80"]["cohens_d_with_extension"] = *ca.detectable_d_with_extension;
    j["detectable_effect_80"]["extension_seeds"] = ca.extension_seeds;
  }
  j["first_failure"] = {{"baseline", failure_json(base.first_failure)},
                        {"experiment", failure_json(exp.first_failure)}};
  j["campaign"] = campaign.key;
  j["name"] = campaign.name;
  j["baseline_campaign"] = baseline_campaign ? nlohmann::json(baseline_campaign->key) : nlohmann::json(nullptr);
  j["baseline_report"] =
      baseline_campaign ? nlohmann::json(baseline_report_filename(*baseline_campaign)) : nlohmann::json(nullptr);
  j["identity"] = identity_json(campaign);
  j["baseline_identity"] = baseline_campaign ? identity_json(*baseline_campaign) : nlohmann::json(nullptr);
  j["flags"] = campaign.flags;
  j["scale"] = scale;
  j["train_tokens"] = campaign.train_tokens;
  j["metric"] = {{"name", campaign.metric}, {"goal", campaign.goal}};
  j["generated_at"] = util::iso8601(now);
  j["wall_clock"] = {{"baseline", summary_json(bw)},
                     {"experiment", summary_json(ew)},
                     {"delta_percent", json_or_null(wall_pct)},
                     {"cohens_d", json_or_null(wall_d)}};
  j["seeds"] = {{"baseline", seeds_json(base, campaign.metric)}, {"experiment", seeds_json(exp, campaign.metric)}};
  j["excluded"] = notes;
  j["log_warnings"] = warnings;
  j["attempts"] = {{"baseline", base.attempts}, {"experiment", exp.attempts}};
  if (!ca.secondary.empty()) { // absent with one metric: the JSON stays as it was
    j["secondary_metrics"] = secondary_json(ca.secondary);
  }
  return {md, j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"};
}

} // namespace seedrun::report
