// The training-health rules (health.hpp). Texts quote seed 000's targets and its "action if
// miss"; where the seed gives no action (KL, loss, NaN) the action is seedrun's own
// (docs/health.md says which is which).
#include "seedrun/stats/health.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>

namespace seedrun::stats {
namespace {

constexpr const char* k_kl_action = "Policy drifting from the reference: check the KL coefficient and learning rate";
constexpr const char* k_grad_action = "Policy may be unstable";
constexpr const char* k_nonfinite_action = "Training diverged: look at the first non-finite step (learning rate, data)";
constexpr const char* k_loss_action = "Learning may have stalled: check the learning rate and the reward signal";
constexpr const char* k_rollout_action = "Check inference engine";
constexpr const char* k_extraction_action = "Check logits processor";
constexpr const char* k_error_action = "Check Axiom errors (here: the error events of the run)";

// Maximal runs of consecutive finite points for which `above` holds: [first, last) indices.
template <typename Pred> std::vector<std::pair<size_t, size_t>> excursions(const Series& s, Pred above) {
  std::vector<std::pair<size_t, size_t>> out;
  size_t i = 0;
  while (i < s.size()) {
    if (!(std::isfinite(s[i].value) && above(s[i].value))) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < s.size() && std::isfinite(s[j].value) && above(s[j].value)) {
      ++j;
    }
    out.emplace_back(i, j);
    i = j;
  }
  return out;
}

// The excursion [b, e) as a finding at its peak.
Finding excursion_finding(const Series& s, size_t b, size_t e) {
  size_t peak = b;
  for (size_t i = b; i < e; ++i) {
    if (s[i].value > s[peak].value) {
      peak = i;
    }
  }
  Finding f;
  f.step = s[peak].step;
  f.first_step = s[b].step;
  f.last_step = s[e - 1].step;
  f.value = s[peak].value;
  f.count = e - b;
  return f;
}

std::string span_text(const Finding& f) {
  if (f.count <= 1) {
    return fmt::format("at step {}", *f.step);
  }
  return fmt::format("peak at step {}, {} points from step {} to {}", *f.step, f.count, *f.first_step, *f.last_step);
}

size_t finite_count(const Series& s) {
  return static_cast<size_t>(
      std::count_if(s.begin(), s.end(), [](const SeriesPoint& p) { return std::isfinite(p.value); }));
}

std::optional<double> finite_max(const Series& s) {
  std::optional<double> m;
  for (const auto& p : s) {
    if (std::isfinite(p.value) && (!m || p.value > *m)) {
      m = p.value;
    }
  }
  return m;
}

RuleCheck check_of(const std::string& rule, const std::string& metric, const std::optional<Series>& s, bool missed,
                   std::optional<double> value) {
  RuleCheck c{rule, metric, RuleCheck::Status::no_data, value, s ? s->size() : 0, ""};
  if (!s || s->empty()) {
    c.note = "no points";
    return c;
  }
  c.status = missed ? RuleCheck::Status::miss : RuleCheck::Status::ok;
  return c;
}

} // namespace

std::vector<Finding> kl_findings(const Series& kl, const config::HealthOptions& o, const std::string& metric) {
  std::vector<Finding> out;
  for (auto [b, e] : excursions(kl, [&](double v) { return v >= o.kl_stable_below; })) {
    Finding f = excursion_finding(kl, b, e);
    bool spike = f.value > o.kl_spike_above;
    f.rule = spike ? "kl_spike" : "kl_unstable";
    f.metric = metric;
    f.severity = spike ? Severity::problem : Severity::warning;
    f.threshold = spike ? o.kl_spike_above : o.kl_stable_below;
    f.rule_text = fmt::format("KL stable below {:g}, a spike above {:g}", o.kl_stable_below, o.kl_spike_above);
    f.action = k_kl_action;
    f.detail = fmt::format("{} {:.4g} {} ({})", metric, f.value,
                           spike ? fmt::format("spikes above {:g}", o.kl_spike_above)
                                 : fmt::format("is not below the stable {:g}", o.kl_stable_below),
                           span_text(f));
    out.push_back(std::move(f));
  }
  return out;
}

std::vector<Finding> grad_norm_findings(const Series& g, const config::HealthOptions& o, const std::string& metric) {
  std::vector<Finding> out;
  for (auto [b, e] : excursions(g, [&](double v) { return v >= o.grad_norm_below; })) {
    Finding f = excursion_finding(g, b, e);
    f.rule = "grad_norm";
    f.metric = metric;
    f.threshold = o.grad_norm_below;
    f.rule_text = fmt::format("grad norm below {:g}", o.grad_norm_below);
    f.action = k_grad_action;
    f.detail = fmt::format("{} {:.4g} is not below {:g} ({})", metric, f.value, o.grad_norm_below, span_text(f));
    out.push_back(std::move(f));
  }
  return out;
}

std::optional<Finding> nonfinite_finding(const Series& s, const std::string& metric) {
  auto first = std::find_if(s.begin(), s.end(), [](const SeriesPoint& p) { return !std::isfinite(p.value); });
  if (first == s.end()) {
    return std::nullopt;
  }
  Finding f;
  f.rule = "nonfinite";
  f.metric = metric;
  f.step = first->step;
  f.first_step = first->step;
  f.last_step = std::find_if(s.rbegin(), s.rend(), [](const SeriesPoint& p) { return !std::isfinite(p.value); })->step;
  f.value = first->value;
  f.threshold = std::numeric_limits<double>::quiet_NaN();
  f.count = s.size() - finite_count(s);
  f.rule_text = "every value finite (no NaN or inf)";
  f.action = k_nonfinite_action;
  f.detail = fmt::format("{} is {} at step {} ({} non-finite point{})", metric,
                         std::isnan(f.value) ? "nan" : (f.value > 0 ? "inf" : "-inf"), *f.step, f.count,
                         f.count == 1 ? "" : "s");
  return f;
}

std::optional<Finding> loss_finding(const Series& loss, int k, const std::string& metric) {
  Series finite;
  for (const auto& p : loss) {
    if (std::isfinite(p.value)) {
      finite.push_back(p);
    }
  }
  if (k < 2 || finite.size() < static_cast<size_t>(k)) {
    return std::nullopt;
  }
  const size_t start = finite.size() - static_cast<size_t>(k);
  const SeriesPoint& first = finite[start];
  auto best = std::min_element(finite.begin() + static_cast<std::ptrdiff_t>(start) + 1, finite.end(),
                               [](const SeriesPoint& a, const SeriesPoint& b) { return a.value < b.value; });
  if (best->value < first.value) {
    return std::nullopt;
  }
  Finding f;
  f.rule = "loss_not_decreasing";
  f.metric = metric;
  f.severity = Severity::warning;
  f.step = finite.back().step;
  f.first_step = first.step;
  f.last_step = finite.back().step;
  f.value = finite.back().value;
  f.threshold = first.value;
  f.count = static_cast<size_t>(k);
  f.rule_text = fmt::format("loss decreasing over the last {} evals", k);
  f.action = k_loss_action;
  f.detail = fmt::format("{} {:.4g} at step {}: no eval of the last {} (steps {} to {}) is below {:.4g} (step {})",
                         metric, f.value, *f.step, k, *f.first_step, *f.last_step, first.value, first.step);
  return f;
}

double quantile(std::vector<double> values, double q) {
  if (values.empty()) {
    return std::numeric_limits<double>::quiet_NaN();
  }
  std::sort(values.begin(), values.end());
  double h = std::clamp(q, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  auto lo = static_cast<size_t>(std::floor(h));
  size_t hi = std::min(lo + 1, values.size() - 1);
  return values[lo] + (h - static_cast<double>(lo)) * (values[hi] - values[lo]);
}

EventTotals total_events(const std::vector<HealthEvent>& events, std::optional<double> from) {
  EventTotals t;
  for (const auto& e : events) {
    if (from && !(e.time >= *from)) {
      ++t.outside_window;
      continue;
    }
    t.first_time = t.first_time ? std::min(*t.first_time, e.time) : e.time;
    t.last_time = t.last_time ? std::max(*t.last_time, e.time) : e.time;
    switch (e.kind) {
    case EventKind::rollout:
      ++t.rollouts;
      if (std::isfinite(e.duration)) {
        t.rollout_durations.push_back(e.duration);
      }
      break;
    case EventKind::error: ++t.errors; break;
    case EventKind::extraction:
      ++t.extractions;
      t.extracted += e.ok ? 1 : 0;
      break;
    case EventKind::other: break;
    }
  }
  return t;
}

namespace {

Finding event_finding(const EventTotals& t, const char* rule, const char* metric, double value, double threshold) {
  Finding f;
  f.rule = rule;
  f.metric = metric;
  f.time_from = t.first_time;
  f.time_to = t.last_time;
  f.value = value;
  f.threshold = threshold;
  return f;
}

} // namespace

std::optional<Finding> rollout_finding(const EventTotals& t, const config::HealthOptions& o) {
  double p95 = quantile(t.rollout_durations, 0.95);
  if (t.rollout_durations.empty() || p95 < o.rollout_p95_below_seconds) {
    return std::nullopt;
  }
  auto f = event_finding(t, "rollout_p95", "rollout_duration_p95", p95, o.rollout_p95_below_seconds);
  f.count = t.rollout_durations.size();
  auto slow = std::count_if(t.rollout_durations.begin(), t.rollout_durations.end(),
                            [&](double d) { return d >= o.rollout_p95_below_seconds; });
  f.rule_text = fmt::format("rollout p95 duration below {:g} s", o.rollout_p95_below_seconds);
  f.action = k_rollout_action;
  f.detail = fmt::format("rollout p95 {:.1f} s over {} rollouts ({} at or above {:g} s, slowest {:.1f} s)", p95,
                         f.count, slow, o.rollout_p95_below_seconds,
                         *std::max_element(t.rollout_durations.begin(), t.rollout_durations.end()));
  return f;
}

std::optional<Finding> extraction_finding(const EventTotals& t, const config::HealthOptions& o) {
  if (t.extractions == 0) {
    return std::nullopt;
  }
  double rate = static_cast<double>(t.extracted) / static_cast<double>(t.extractions);
  if (rate > o.extraction_rate_above) {
    return std::nullopt;
  }
  auto f = event_finding(t, "extraction_rate", "extraction_rate", rate, o.extraction_rate_above);
  f.count = t.extractions;
  f.rule_text = fmt::format("extraction rate above {:g}%", o.extraction_rate_above * 100);
  f.action = k_extraction_action;
  f.detail = fmt::format("extraction rate {:.2f}% ({} of {} extracted)", rate * 100, t.extracted, t.extractions);
  return f;
}

std::optional<Finding> error_rate_finding(const EventTotals& t, const config::HealthOptions& o) {
  size_t attempts = t.rollouts + t.errors;
  if (attempts == 0) {
    return std::nullopt;
  }
  double rate = static_cast<double>(t.errors) / static_cast<double>(attempts);
  if (rate < o.error_rate_below) {
    return std::nullopt;
  }
  auto f = event_finding(t, "error_rate", "error_rate", rate, o.error_rate_below);
  f.count = attempts;
  f.rule_text = fmt::format("error rate below {:g}%", o.error_rate_below * 100);
  f.action = k_error_action;
  f.detail = fmt::format("error rate {:.2f}% ({} errors, {} rollouts)", rate * 100, t.errors, t.rollouts);
  return f;
}

namespace {

void add_metric_rules(const RunSeries& s, const config::HealthOptions& o, HealthResult& r) {
  auto take = [&](std::vector<Finding> fs) {
    for (auto& f : fs) {
      r.findings.push_back(std::move(f));
    }
  };
  std::vector<Finding> kl = s.kl ? kl_findings(*s.kl, o, o.kl_metric) : std::vector<Finding>{};
  bool spiked = std::any_of(kl.begin(), kl.end(), [](const Finding& f) { return f.rule == "kl_spike"; });
  r.checks.push_back(check_of("kl_spike", o.kl_metric, s.kl, spiked, s.kl ? finite_max(*s.kl) : std::nullopt));
  r.checks.push_back(check_of("kl_stable", o.kl_metric, s.kl, !kl.empty(), s.kl ? finite_max(*s.kl) : std::nullopt));
  take(std::move(kl));
  auto g = s.grad_norm ? grad_norm_findings(*s.grad_norm, o, o.grad_norm_metric) : std::vector<Finding>{};
  r.checks.push_back(check_of("grad_norm", o.grad_norm_metric, s.grad_norm, !g.empty(),
                              s.grad_norm ? finite_max(*s.grad_norm) : std::nullopt));
  take(std::move(g));
  auto l = s.loss ? loss_finding(*s.loss, o.loss_evals, o.loss_metric) : std::nullopt;
  auto lc = check_of("loss_not_decreasing", o.loss_metric, s.loss, l.has_value(),
                     s.loss && !s.loss->empty() ? std::optional<double>(s.loss->back().value) : std::nullopt);
  if (s.loss && finite_count(*s.loss) < static_cast<size_t>(o.loss_evals)) {
    lc.status = RuleCheck::Status::no_data;
    lc.note = fmt::format("{} finite evals, {} needed", finite_count(*s.loss), o.loss_evals);
  }
  r.checks.push_back(lc);
  if (l) {
    r.findings.push_back(std::move(*l));
  }
  std::vector<std::pair<std::string, const std::optional<Series>*>> all{
      {o.kl_metric, &s.kl}, {o.grad_norm_metric, &s.grad_norm}, {o.loss_metric, &s.loss}};
  for (const auto& [name, series] : s.others) {
    all.emplace_back(name, &series);
  }
  for (const auto& [name, series] : all) {
    auto f = *series ? nonfinite_finding(**series, name) : std::nullopt;
    r.checks.push_back(check_of("nonfinite", name, *series, f.has_value(), std::nullopt));
    if (f) {
      r.findings.push_back(std::move(*f));
    }
  }
}

RuleCheck event_check(const char* rule, const char* metric, size_t n, const std::optional<Finding>& f,
                      std::optional<double> value) {
  RuleCheck c{rule, metric, RuleCheck::Status::no_data, value, n, ""};
  if (n == 0) {
    c.note = "no events";
    c.value.reset();
  } else {
    c.status = f ? RuleCheck::Status::miss : RuleCheck::Status::ok;
  }
  return c;
}

} // namespace

HealthResult evaluate_health(const RunSeries& series, const std::optional<EventTotals>& events,
                             const config::HealthOptions& o) {
  HealthResult r;
  add_metric_rules(series, o, r);
  EventTotals t = events.value_or(EventTotals{});
  auto rollout = rollout_finding(t, o);
  r.checks.push_back(event_check("rollout_p95", "rollout_duration_p95", t.rollout_durations.size(), rollout,
                                 quantile(t.rollout_durations, 0.95)));
  auto extraction = extraction_finding(t, o);
  r.checks.push_back(event_check(
      "extraction_rate", "extraction_rate", t.extractions, extraction,
      t.extractions ? std::optional<double>(static_cast<double>(t.extracted) / static_cast<double>(t.extractions))
                    : std::nullopt));
  auto errors = error_rate_finding(t, o);
  size_t attempts = t.rollouts + t.errors;
  r.checks.push_back(event_check(
      "error_rate", "error_rate", attempts, errors,
      attempts ? std::optional<double>(static_cast<double>(t.errors) / static_cast<double>(attempts)) : std::nullopt));
  for (auto* f : {&rollout, &extraction, &errors}) {
    if (*f) {
      r.findings.push_back(std::move(**f));
    }
  }
  if (!events) {
    for (auto& c : r.checks) {
      if (c.rule == "rollout_p95" || c.rule == "extraction_rate" || c.rule == "error_rate") {
        c.note = "no events file";
      }
    }
  }
  return r;
}

} // namespace seedrun::stats
