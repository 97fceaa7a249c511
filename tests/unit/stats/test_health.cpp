// The training-health rules (stats/health.hpp) on series and events with known answers.
#include "seedrun/stats/health.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <limits>

using namespace seedrun;
using stats::Series;

namespace {

Series series(std::initializer_list<double> values, long long step0 = 10, long long every = 10) {
  Series s;
  long long step = step0;
  for (double v : values) {
    s.push_back({step, v});
    step += every;
  }
  return s;
}

const double k_nan = std::numeric_limits<double>::quiet_NaN();
const double k_inf = std::numeric_limits<double>::infinity();

} // namespace

TEST_CASE("a KL spike is one finding at its peak step, with the excursion around it") {
  config::HealthOptions o;
  // steps 10..90: a spike over steps 40..60 (peak 0.31 at 50), a bump to 0.15 at step 80
  auto f = stats::kl_findings(series({0.02, 0.05, 0.09, 0.14, 0.31, 0.18, 0.07, 0.15, 0.06}), o);
  REQUIRE(f.size() == 2);
  CHECK(f[0].rule == "kl_spike");
  CHECK(f[0].severity == stats::Severity::problem);
  CHECK(*f[0].step == 50);
  CHECK(*f[0].first_step == 40);
  CHECK(*f[0].last_step == 60);
  CHECK(f[0].count == 3);
  CHECK(f[0].value == doctest::Approx(0.31));
  CHECK(f[0].threshold == doctest::Approx(0.2));
  CHECK(f[0].detail == "kl 0.31 spikes above 0.2 (peak at step 50, 3 points from step 40 to 60)");
  CHECK(f[1].rule == "kl_unstable");
  CHECK(f[1].severity == stats::Severity::warning);
  CHECK(*f[1].step == 80);
  CHECK(f[1].value == doctest::Approx(0.15));
  CHECK(f[1].detail == "kl 0.15 is not below the stable 0.1 (at step 80)");
}

TEST_CASE("KL exactly at a threshold: 0.1 is not stable, 0.2 is not a spike (the seed's strict < and >)") {
  config::HealthOptions o;
  auto f = stats::kl_findings(series({0.05, 0.1, 0.05, 0.2, 0.05, 0.0999}), o);
  REQUIRE(f.size() == 2);
  CHECK(f[0].rule == "kl_unstable");
  CHECK(*f[0].step == 20);
  CHECK(f[1].rule == "kl_unstable");
  CHECK(*f[1].step == 40);
}

TEST_CASE("a NaN splits an excursion and is left to the NaN rule") {
  config::HealthOptions o;
  auto f = stats::kl_findings(series({0.3, k_nan, 0.25}), o);
  REQUIRE(f.size() == 2);
  CHECK(*f[0].step == 10);
  CHECK(*f[1].step == 30);
  auto n = stats::nonfinite_finding(series({0.3, k_nan, 0.25, -k_inf}), "kl");
  REQUIRE(n);
  CHECK(*n->step == 20);
  CHECK(*n->last_step == 40);
  CHECK(n->count == 2);
  CHECK(n->detail == "kl is nan at step 20 (2 non-finite points)");
  CHECK_FALSE(stats::nonfinite_finding(series({1, 2}), "kl"));
}

TEST_CASE("grad norm at or above 50 is flagged per excursion at its peak") {
  config::HealthOptions o;
  auto f = stats::grad_norm_findings(series({3, 49.99, 50, 187.5, 73.2, 4, 60}, 100, 100), o);
  REQUIRE(f.size() == 2);
  CHECK(*f[0].step == 400);
  CHECK(f[0].value == doctest::Approx(187.5));
  CHECK(*f[0].first_step == 300);
  CHECK(*f[0].last_step == 500);
  CHECK(f[0].action == "Policy may be unstable");
  CHECK(*f[1].step == 700);
  SUBCASE("a configured threshold") {
    o.grad_norm_below = 200;
    CHECK(stats::grad_norm_findings(series({3, 187.5}), o).empty());
  }
}

TEST_CASE("loss not decreasing over the last K evals") {
  SUBCASE("decreasing: nothing") {
    CHECK_FALSE(stats::loss_finding(series({2.4, 2.2, 2.1, 2.0, 1.95, 1.9}), 5, "eval_loss"));
  }
  SUBCASE("one later eval below the window's first is enough") {
    CHECK_FALSE(stats::loss_finding(series({2.0, 2.1, 2.2, 1.99, 2.3}), 5, "eval_loss"));
  }
  SUBCASE("a plateau: flagged at the last eval, against the window's first") {
    auto f = stats::loss_finding(series({2.4, 2.0, 2.05, 2.0, 2.1, 2.02}), 5, "eval_loss");
    REQUIRE(f);
    CHECK(f->rule == "loss_not_decreasing");
    CHECK(*f->step == 60);
    CHECK(*f->first_step == 20);
    CHECK(f->value == doctest::Approx(2.02));
    CHECK(f->threshold == doctest::Approx(2.0));
    CHECK(f->detail == "eval_loss 2.02 at step 60: no eval of the last 5 (steps 20 to 60) is below 2 (step 20)");
  }
  SUBCASE("fewer than K finite evals: not evaluated") {
    CHECK_FALSE(stats::loss_finding(series({2.0, k_nan, 2.1, 2.2, 2.3}), 5, "eval_loss"));
  }
}

TEST_CASE("quantile interpolates linearly between order statistics, as numpy does") {
  CHECK(stats::quantile({1, 2, 3, 4}, 0.95) == doctest::Approx(3.85));
  CHECK(stats::quantile({10}, 0.95) == doctest::Approx(10));
  CHECK(stats::quantile({5, 1, 3}, 0.5) == doctest::Approx(3));
  std::vector<double> v;
  for (int i = 1; i <= 100; ++i) {
    v.push_back(i);
  }
  CHECK(stats::quantile(v, 0.95) == doctest::Approx(95.05)); // numpy.percentile(range(1,101), 95)
  CHECK(std::isnan(stats::quantile({}, 0.95)));
}

TEST_CASE("event rules: rollout p95, extraction rate and error rate over a window") {
  config::HealthOptions o;
  std::vector<stats::HealthEvent> ev;
  for (int i = 0; i < 19; ++i) {
    ev.push_back({1000.0 + i, stats::EventKind::rollout, 30.0 + i, true, std::nullopt});
  }
  ev.push_back({1019, stats::EventKind::rollout, 300, true, std::nullopt});
  ev.push_back({1020, stats::EventKind::error, 0, true, std::nullopt});
  for (int i = 0; i < 40; ++i) {
    ev.push_back({1000.0 + i, stats::EventKind::extraction, 0, i != 3 && i != 9, std::nullopt});
  }
  auto all = stats::total_events(ev, std::nullopt);
  CHECK(all.rollouts == 20);
  CHECK(all.errors == 1);
  CHECK(all.extractions == 40);
  CHECK(all.extracted == 38);
  // p95 of 30..48 and 300: h = 0.95 * 19 = 18.05 → 48 + 0.05 * 252 = 60.6
  CHECK(stats::quantile(all.rollout_durations, 0.95) == doctest::Approx(60.6));
  CHECK_FALSE(stats::rollout_finding(all, o));
  auto x = stats::extraction_finding(all, o);
  REQUIRE(x); // 38/40 = 95%: not above 95%
  CHECK(x->value == doctest::Approx(0.95));
  CHECK(x->action == "Check logits processor");
  auto e = stats::error_rate_finding(all, o);
  REQUIRE(e); // 1 / 21 = 4.76%
  CHECK(e->value == doctest::Approx(1.0 / 21));
  CHECK(*e->time_from == doctest::Approx(1000));
  CHECK(*e->time_to == doctest::Approx(1039));

  SUBCASE("a window leaves the earlier events out") {
    auto w = stats::total_events(ev, 1015.0);
    CHECK(w.rollouts == 5); // 1015..1019
    CHECK(w.outside_window == 15 + 15);
    auto r = stats::rollout_finding(w, o);
    REQUIRE(r); // 45 46 47 48 300: h = 3.8 → 48 + 0.8 * 252 = 249.6
    CHECK(r->value == doctest::Approx(249.6));
    CHECK(r->count == 5);
    CHECK(r->action == "Check inference engine");
    CHECK(r->detail == "rollout p95 249.6 s over 5 rollouts (1 at or above 120 s, slowest 300.0 s)");
  }
}

TEST_CASE("evaluate_health lists every rule, with no_data where a series or the events are missing") {
  config::HealthOptions o;
  stats::RunSeries s;
  s.kl = series({0.01, 0.25});
  s.others.emplace_back("loss", series({1.0, k_nan}));
  auto r = stats::evaluate_health(s, std::nullopt, o);
  REQUIRE(r.findings.size() == 2);
  CHECK(r.findings[0].rule == "kl_spike");
  CHECK(r.findings[1].rule == "nonfinite");
  CHECK(r.findings[1].metric == "loss");
  size_t no_data = 0;
  for (const auto& c : r.checks) {
    no_data += c.status == stats::RuleCheck::Status::no_data ? 1 : 0;
  }
  // grad_norm, loss_not_decreasing, finite grad_norm, finite eval_loss, three event rules
  CHECK(no_data == 7);
  CHECK(r.checks.size() == 11);
}
