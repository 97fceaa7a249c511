// seedrun plan: how many seeds an effect needs, and the smallest effect the configured seeds can
// detect, at 80% power of the two-sided two-sample t-test (stats/power.hpp) with the configured
// alpha. σ is the stored baseline's (or --sigma).
#include "seedrun/cli/commands.hpp"
#include "seedrun/cli/context.hpp"
#include "seedrun/report/assessment.hpp"
#include "seedrun/stats/assessment.hpp"
#include "seedrun/stats/describe.hpp"
#include "seedrun/stats/power.hpp"
#include "seedrun/track/baseline_identity.hpp"
#include "seedrun/util/error.hpp"

#include <cmath>
#include <fmt/format.h>

namespace seedrun::cli {
namespace {

struct Sigma {
  double value = 0;
  std::string source; // "--sigma", "baseline_1M (5 seeds)"
};

// The baseline of this command and code, else the newest baseline at this scale with the same
// metric (say so), with at least 2 counted seeds.
std::optional<Sigma> stored_sigma(Context& ctx) {
  auto id = track::compute_identity(ctx.cfg, ctx.runner.get());
  std::optional<store::Campaign> chosen = ctx.store->find_baseline_by_identity(id.key, ctx.cfg.train_tokens);
  std::string note;
  if (!chosen) {
    for (const auto& c : ctx.store->campaigns()) {
      if (c.kind == "baseline" && c.train_tokens == ctx.cfg.train_tokens && c.metric == ctx.cfg.metric.name) {
        chosen = c; // campaigns() is oldest first: the newest wins
      }
    }
    note = ", recorded for other code or command";
  }
  if (!chosen) {
    return std::nullopt;
  }
  auto arm = report::collect_arm(*ctx.store, *chosen, &ctx.cfg.metric);
  auto summary = stats::describe(arm.metric);
  if (summary.n < 2 || !summary.std || !std::isfinite(*summary.std) || *summary.std <= 0) {
    return std::nullopt;
  }
  return Sigma{*summary.std, fmt::format("baseline {} ({} seeds{})", chosen->key, summary.n, note)};
}

std::string opt(const std::optional<double>& v) {
  return v ? fmt::format("{:.10g}", *v) : "null";
}

std::string opt_int(const std::optional<int>& v) {
  return v ? std::to_string(*v) : "null";
}

} // namespace

int run_plan(const GlobalOptions& g, const PlanOptions& o) {
  if (o.effect && o.effect_sigma) {
    throw UsageError("give the effect either in metric units (--effect) or in σ (--effect-sigma), not both");
  }
  if (o.sigma && !(std::isfinite(*o.sigma) && *o.sigma > 0)) {
    throw UsageError("--sigma must be a positive number");
  }
  for (const auto& e : {o.effect, o.effect_sigma}) {
    if (e && !(std::isfinite(*e) && *e != 0)) {
      throw UsageError("the effect must be a non-zero number");
    }
  }
  if (!(o.power > 0 && o.power < 1)) {
    throw UsageError("--power must be between 0 and 1 (exclusive), e.g. 0.8");
  }
  auto ctx = load_context(g);
  std::optional<Sigma> sigma = o.sigma ? std::optional<Sigma>(Sigma{*o.sigma, "--sigma"}) : stored_sigma(ctx);
  if (!sigma && o.effect) {
    throw UsageError("--effect is in metric units and needs σ: no baseline with 2 or more counted seeds is stored "
                     "for this command and scale; give --sigma S or --effect-sigma K");
  }
  const double alpha = ctx.cfg.verdict.alpha;
  const int n_base = static_cast<int>(ctx.cfg.seeds.baseline.size());
  const int n_exp = static_cast<int>(ctx.cfg.seeds.experiment.size());
  const int n_ext = n_exp + static_cast<int>(ctx.cfg.seeds.extension.size());
  auto d_now = stats::detectable_effect(n_base, n_exp, o.power, alpha);
  auto d_ext = stats::detectable_effect(n_base, n_ext, o.power, alpha);
  auto in_units = [&](const std::optional<double>& d) -> std::optional<double> {
    return d && sigma ? std::optional<double>(*d * sigma->value) : std::nullopt;
  };
  std::optional<double> want_d;
  if (o.effect_sigma) {
    want_d = std::abs(*o.effect_sigma);
  } else if (o.effect) {
    want_d = std::abs(*o.effect) / sigma->value;
  }
  std::optional<int> needed = want_d ? stats::seeds_needed_for_power(*want_d, o.power, alpha) : std::nullopt;

  if (o.json) {
    fmt::print("{{\"sigma\": {}, \"sigma_source\": \"{}\", \"alpha\": {:.10g}, \"power\": {:.10g}, "
               "\"baseline_seeds\": {}, \"experiment_seeds\": {}, \"experiment_seeds_with_extension\": {}, "
               "\"detectable_effect_sigma\": {}, \"detectable_effect\": {}, "
               "\"detectable_effect_sigma_with_extension\": {}, \"detectable_effect_with_extension\": {}, "
               "\"effect_sigma\": {}, \"effect\": {}, \"seeds_per_arm\": {}}}\n",
               sigma ? opt(sigma->value) : "null", sigma ? sigma->source : "", alpha, o.power, n_base, n_exp, n_ext,
               opt(d_now), opt(in_units(d_now)), opt(d_ext), opt(in_units(d_ext)), opt(want_d),
               opt(want_d && sigma ? std::optional<double>(*want_d * sigma->value) : std::nullopt), opt_int(needed));
    return 0;
  }
  const std::string& metric = ctx.cfg.metric.name;
  if (sigma) {
    fmt::print("σ of {}: {:.6g} (from {})\n", metric, sigma->value, sigma->source);
  } else {
    fmt::print("σ of {}: unknown (no baseline with 2 or more counted seeds; give --sigma S for metric units)\n",
               metric);
  }
  fmt::print("Two-sided t-test, α = {:g}, power {:.0f}%:\n", alpha, o.power * 100);
  auto effect_text = [&](const std::optional<double>& d) {
    if (!d) {
      return std::string("not computable");
    }
    auto units = in_units(d);
    return units ? fmt::format("|Δ| ≥ {:.4g} {} ({:.2f}σ)", *units, metric, *d) : fmt::format("|Δ| ≥ {:.2f}σ", *d);
  };
  fmt::print("  configured seeds ({} baseline, {} experiment) detect {}\n", n_base, n_exp, effect_text(d_now));
  if (n_ext > n_exp) {
    fmt::print("  with {} extension seed(s) ({} experiment) they detect {}\n", n_ext - n_exp, n_ext,
               effect_text(d_ext));
  }
  if (want_d) {
    std::string what = sigma ? fmt::format("|Δ| = {:.4g} {} ({:.2f}σ)", *want_d * sigma->value, metric, *want_d)
                             : fmt::format("|Δ| = {:.2f}σ", *want_d);
    if (needed) {
      fmt::print("  to detect {}: {} seeds per arm\n", what, *needed);
    } else {
      fmt::print("  to detect {}: more than {} seeds per arm\n", what, stats::k_max_seeds_per_arm);
    }
  } else {
    for (double k : {1.0, 2.0}) {
      auto n = stats::seeds_needed_for_power(k, o.power, alpha);
      fmt::print("  to detect {:.0f}σ: {} seeds per arm\n", k, n ? std::to_string(*n) : std::string("too many"));
    }
  }
  return 0;
}

} // namespace seedrun::cli
