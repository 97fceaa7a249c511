// The secondary metrics of an experiment read from a real store: each gets the primary's
// statistics, Cohen's d and Welch's p, with Holm's adjustment across them; the markdown section
// and the JSON twin carry the numbers; one metric gives no section at all.
#include "seedrun/report/reports.hpp"
#include "seedrun/report/secondary_metrics.hpp"

#include <cmath>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun;

namespace {

config::MetricSpec spec(const std::string& name, config::Goal goal, config::Reduce reduce = config::Reduce::last,
                        int k = 5) {
  config::MetricSpec m;
  m.name = name;
  m.goal = goal;
  m.reduce = reduce;
  m.reduce_k = k;
  return m;
}

struct Fixture {
  fs::path dir = fs::temp_directory_path() / fmt::format("seedrun-secondary-{}-{}", ::getpid(), rand());
  std::unique_ptr<store::Store> store;
  config::Config cfg;
  store::Campaign base, exp;

  Fixture() {
    fs::create_directories(dir);
    store = store::Store::open(dir);
    cfg.metric = spec("val_loss", config::Goal::minimize);
    cfg.metric.primary = true;
    cfg.metrics = {cfg.metric, spec("train_loss", config::Goal::minimize),
                   spec("acc", config::Goal::maximize, config::Reduce::max),
                   spec("lr", config::Goal::none, config::Reduce::mean_last_k, 2)};
    base = campaign("baseline");
    exp = campaign("experiment");
    // val_loss, train_loss, acc (its max), lr (mean of the last 2 = 0.3 everywhere)
    add(base, 1, 2.0, 1.0, 0.5);
    add(base, 2, 2.1, 2.0, 0.6);
    add(base, 3, 2.2, 3.0, 0.7);
    add(exp, 1, 1.9, 2.0, 0.8);
    add(exp, 2, 1.8, 3.0, 0.9);
    add(exp, 3, 1.7, 4.0, 1.0);
    // A failed seed of the experiment: not counted for the primary, so not for the others
    store::Run failed;
    failed.campaign_id = exp.id;
    failed.arm = "experiment";
    failed.seed = 4;
    failed.phase = "initial";
    failed.state = store::RunState::failed;
    failed.id = store->insert_run(failed);
    store->append_metrics(failed.id, {{1, "train_loss", 99.0}}, 0, std::nullopt);
  }
  ~Fixture() { fs::remove_all(dir); }

  store::Campaign campaign(const std::string& kind) {
    store::Campaign c;
    c.key = kind + "_1K";
    c.name = kind;
    c.kind = kind;
    c.command_key = "k";
    c.metric = "val_loss";
    c.executor = "local";
    c.id = store->insert_campaign(c);
    return c;
  }
  void add(const store::Campaign& c, long long seed, double val, double train, double acc) {
    store::Run r;
    r.campaign_id = c.id;
    r.arm = c.kind;
    r.seed = seed;
    r.phase = "initial";
    r.state = store::RunState::completed;
    r.id = store->insert_run(r);
    store->append_metrics(r.id,
                          {{1, "val_loss", val + 1},
                           {2, "val_loss", val},
                           {1, "train_loss", train},
                           {1, "acc", 0.1},
                           {2, "acc", acc},
                           {1, "lr", 0.1},
                           {2, "lr", 0.2},
                           {3, "lr", 0.4}},
                          0, std::nullopt);
  }
};

} // namespace

TEST_CASE("reduce gives the last, the smallest, the largest or the mean of the last k points") {
  std::vector<store::MetricPoint> p{{1, "m", 3.0}, {2, "m", 1.0}, {3, "m", 2.0}, {4, "m", 4.0}};
  CHECK(report::reduce_points(p, config::Reduce::last, 5) == std::optional<double>(4.0));
  CHECK(report::reduce_points(p, config::Reduce::min, 5) == std::optional<double>(1.0));
  CHECK(report::reduce_points(p, config::Reduce::max, 5) == std::optional<double>(4.0));
  CHECK(report::reduce_points(p, config::Reduce::mean_last_k, 2) == std::optional<double>(3.0));
  CHECK(report::reduce_points(p, config::Reduce::mean_last_k, 10) == std::optional<double>(2.5));
  CHECK_FALSE(report::reduce_points({}, config::Reduce::last, 5));
  p.push_back({5, "m", NAN});
  CHECK(std::isnan(*report::reduce_points(p, config::Reduce::min, 5)));
}

TEST_CASE("each secondary metric gets mean, std, min, max per arm, Cohen's d, Welch's p and Holm's p") {
  Fixture f;
  auto metrics = report::secondary_metrics(*f.store, f.cfg, f.exp, f.base);
  REQUIRE(metrics.size() == 3);
  const auto& train = metrics[0];
  CHECK(train.name == "train_loss");
  CHECK(train.baseline.n == 3);
  CHECK(train.experiment.n == 3); // the failed seed's 99 is not counted
  CHECK(*train.baseline.mean == doctest::Approx(2.0));
  CHECK(*train.baseline.std == doctest::Approx(1.0));
  CHECK(*train.experiment.min == doctest::Approx(2.0));
  CHECK(*train.experiment.max == doctest::Approx(4.0));
  CHECK(*train.delta == doctest::Approx(1.0));
  CHECK(*train.cohens_d == doctest::Approx(1.0));
  // Welch's t = 1/sqrt(2/3), df = 4: p = 0.287864 (the t distribution integrated numerically)
  CHECK(*train.welch_p == doctest::Approx(0.2878641).epsilon(1e-5));
  const auto& acc = metrics[1];
  CHECK(acc.name == "acc");
  CHECK(*acc.baseline.mean == doctest::Approx(0.6)); // the max of each run's points
  CHECK(*acc.experiment.mean == doctest::Approx(0.9));
  CHECK(*acc.welch_p == doctest::Approx(0.0213116).epsilon(1e-4));
  // Holm: the smaller p times 2, the larger times 1 (and never below the smaller's)
  CHECK(*acc.p_holm == doctest::Approx(2 * *acc.welch_p));
  CHECK(*train.p_holm == doctest::Approx(*train.welch_p));
  const auto& lr = metrics[2];
  CHECK(*lr.baseline.mean == doctest::Approx(0.3)); // mean of the last 2 of 0.1, 0.2, 0.4
  CHECK(*lr.baseline.std == doctest::Approx(0.0));
  CHECK_FALSE(lr.cohens_d); // σ_pooled = 0
  CHECK_FALSE(lr.welch_p);
  CHECK_FALSE(lr.p_holm);
}

TEST_CASE("the report shows the secondary metrics marked secondary, in markdown and JSON; one metric shows none") {
  Fixture f;
  auto ca = report::assess_experiment(*f.store, f.cfg, f.exp);
  auto plain = report::experiment_report(f.exp, ca, util::Clock::now());
  CHECK(plain.markdown.find("Secondary") == std::string::npos);
  CHECK(plain.json.find("secondary") == std::string::npos);
  ca.secondary = report::secondary_metrics(*f.store, f.cfg, f.exp, ca.baseline);
  auto text = report::experiment_report(f.exp, ca, util::Clock::now());
  const auto& md = text.markdown;
  CHECK(md.find("## Secondary Metrics") != std::string::npos);
  CHECK(md.find("the verdict is on val_loss") != std::string::npos);
  CHECK(md.find("| train_loss (secondary) | minimize | last | baseline | 3 | 2.0000 | 1.0000 | 1.0000 | 3.0000 |") !=
        std::string::npos);
  CHECK(md.find("| acc (secondary) | maximize | max | experiment | 3 | 0.9000 | 0.1000 | 0.8000 | 1.0000 |") !=
        std::string::npos);
  CHECK(md.find("| train_loss (secondary) | 1.0000 | 1.0000 | large | 0.2879 | 0.2879 |") != std::string::npos);
  CHECK(md.find("| lr (secondary) | 0.0000 | undefined | undefined | n/a | n/a |") != std::string::npos);
  CHECK(md.find("## Secondary Metrics") < md.find("## Verdict"));
  auto j = nlohmann::json::parse(text.json);
  REQUIRE(j["secondary_metrics"].size() == 3);
  CHECK(j["secondary_metrics"][0]["name"] == "train_loss");
  CHECK(j["secondary_metrics"][0]["secondary"] == true);
  CHECK(j["secondary_metrics"][0]["experiment"]["mean"].get<double>() == doctest::Approx(3.0));
  CHECK(j["secondary_metrics"][1]["p_holm"].get<double>() == doctest::Approx(2 * 0.0213116).epsilon(1e-4));
  CHECK(j["secondary_metrics"][1]["seeds"]["baseline"][2]["value"].get<double>() == doctest::Approx(0.7));
  CHECK(j["secondary_metrics"][2]["cohens_d"].is_null());
  CHECK(j["verdict"] == "WINNER"); // decided on val_loss alone
}

TEST_CASE("the baseline report's statistics table gains one row per secondary metric, and its JSON an entry") {
  Fixture f;
  auto arm = report::collect_arm(*f.store, f.base);
  auto plain = report::baseline_report(f.base, arm, util::Clock::now());
  CHECK(plain.markdown.find("secondary") == std::string::npos);
  CHECK(plain.json.find("secondary") == std::string::npos);
  auto text = report::baseline_report(f.base, arm, util::Clock::now(),
                                      report::secondary_metrics(*f.store, f.cfg, f.base, std::nullopt));
  // The rows follow the table's own (val_loss, wall_time) without a blank line: one table
  CHECK(text.markdown.find("|\n| train_loss (secondary) | 2.0000 | 1.0000 | 1.0000 | 3.0000 |\n"
                           "| acc (secondary) | 0.6000 | 0.1000 | 0.5000 | 0.7000 |\n"
                           "| lr (secondary) | 0.3000 | 0.0000 | 0.3000 | 0.3000 |\n\nσ is") != std::string::npos);
  auto j = nlohmann::json::parse(text.json);
  REQUIRE(j["secondary_metrics"].size() == 3);
  CHECK(j["secondary_metrics"][1]["name"] == "acc");
  CHECK(j["secondary_metrics"][1]["baseline"]["max"].get<double>() == doctest::Approx(0.7));
  CHECK(j["secondary_metrics"][1]["seeds"].size() == 3);
}

TEST_CASE("the primary's reduce decides each seed's value for the verdict; a non-finite reduced value is not counted") {
  Fixture f;
  // Each run's val_loss points are val + 1, then val: the mean of the last 2 is val + 0.5
  f.cfg.metric.reduce = config::Reduce::mean_last_k;
  f.cfg.metric.reduce_k = 2;
  auto b = report::assess_baseline(*f.store, f.cfg, f.base);
  REQUIRE(b.arm.metric.size() == 3);
  CHECK(b.arm.metric[0] == doctest::Approx(2.5));
  CHECK(b.arm.metric[2] == doctest::Approx(2.7));
  CHECK(*b.arm.seeds[1].metric == doctest::Approx(2.6));
  SUBCASE("min") {
    f.cfg.metric.reduce = config::Reduce::min;
    CHECK(report::assess_baseline(*f.store, f.cfg, f.base).arm.metric[0] == doctest::Approx(2.0));
  }
  SUBCASE("without the spec (or reduce: last) the last value, as before") {
    CHECK(report::collect_arm(*f.store, f.base).metric[0] == doctest::Approx(2.0));
  }
  SUBCASE("a nan point makes min non-finite: the seed is listed, not counted") {
    f.cfg.metric.reduce = config::Reduce::min;
    auto run = f.store->runs(f.base.id)[0];
    f.store->append_metrics(run.id, {{3, "val_loss", NAN}, {4, "val_loss", 1.5}}, 0, std::nullopt);
    auto arm = report::assess_baseline(*f.store, f.cfg, f.base).arm;
    CHECK(arm.metric.size() == 2);
    CHECK_FALSE(arm.seeds[0].counted);
    REQUIRE(arm.notes.size() == 1);
    CHECK(arm.notes[0] == "seed 1: reduced val_loss is nan: excluded from the statistics");
  }
}
