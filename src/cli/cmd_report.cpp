// seedrun report [CAMPAIGN] and seedrun compare.
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/report/assessment.hpp"
#include "seedrun/report/reports.hpp"
#include "seedrun/stats/stats.hpp"
#include "seedrun/track/lifecycle.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace seedrun::cli {
namespace {

std::vector<double> parse_values(const std::string& text, const char* what) {
  std::vector<double> out;
  for (const auto& part : util::split(text, ',')) {
    auto t = util::trim(part);
    if (t.empty()) {
      continue;
    }
    auto v = util::parse_double(t);
    if (!v) {
      throw UsageError(fmt::format("--{}: '{}' is not a number", what, t));
    }
    out.push_back(*v);
  }
  return out;
}

} // namespace

int run_report(const GlobalOptions& g, const ReportOptions& o) {
  auto ctx = load_context(g);
  std::vector<store::Campaign> targets;
  if (o.campaign) {
    auto c = ctx.store->find_campaign(*o.campaign);
    if (!c) {
      throw UsageError(fmt::format("no campaign '{}' (seedrun status lists them)", *o.campaign));
    }
    targets.push_back(*c);
  } else {
    targets = ctx.store->campaigns();
  }
  for (const auto& c : targets) {
    if (c.kind == "experiment" && c.state == store::CampaignState::done) {
      // The report is rewritten from today's numbers: the stored verdict follows it.
      auto verdict = std::string(stats::to_string(report::assess_experiment(*ctx.store, ctx.cfg, c).a.verdict));
      if (c.verdict != verdict) {
        track::finish(*ctx.store, c, verdict, ctx.now);
      }
    }
    for (const auto& p : report::write_reports(ctx.cfg, *ctx.store, c, ctx.now)) {
      fmt::print("{}\n", p.string());
    }
  }
  return 0;
}

int run_compare(const GlobalOptions&, const CompareOptions& o) {
  auto base = parse_values(o.baseline, "baseline");
  auto exp = parse_values(o.experiment, "experiment");
  auto cmp = stats::compare(base, exp, o.higher_is_better ? stats::Goal::maximize : stats::Goal::minimize);
  if (o.json) {
    fmt::print("{}\n", report::comparison_json(cmp).dump(2, ' ', false, nlohmann::json::error_handler_t::replace));
  } else {
    fmt::print("{}", report::comparison_text(cmp, "value"));
  }
  return 0;
}

} // namespace seedrun::cli
