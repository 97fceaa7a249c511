// `seedrun analyze` on campaigns: a real store is built in a temp directory from the data of
// reference_values.inc, and every number the analysis reports is checked against scipy's
// (tests/fixtures/analyze/reference.py).
#include "../render/svg_check.hpp"
#include "reference_types.hpp"
#include "seedrun/analyze/analyze.hpp"
#include "seedrun/analyze/sources.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace seedrun;
using namespace seedrun::analyze;
using namespace seedrun::analyze::testing;
using namespace seedrun::render::testing;

namespace {

const auto k_now = *util::parse_iso8601("2026-11-24T08:00:00Z");

void add_campaign(store::Store& s, const RefCampaign& rc) {
  store::Campaign c;
  c.key = rc.name + "_1M";
  c.name = rc.name;
  c.kind = rc.kind;
  c.flags = rc.flags;
  c.command_key = "k";
  c.command = {"python", "train.py", "--seed", "{seed}"};
  c.train_tokens = 1000000;
  c.metric = "val_loss";
  c.goal = store::Goal::minimize;
  c.executor = "local";
  c.state = store::CampaignState::done;
  c.created_at = c.updated_at = *util::parse_iso8601("2026-11-23T10:00:00Z");
  c.id = s.insert_campaign(c);
  for (const auto& rr : rc.runs) {
    store::Run r;
    r.campaign_id = c.id;
    r.arm = rc.kind == "baseline" ? "baseline" : "experiment";
    r.seed = rr.seed;
    r.phase = rr.seed > 256 ? "extension" : "initial";
    r.state = *store::parse_run_state(rr.state); // the reference data holds the stored words
    r.wall_time = rr.wall;
    if (rr.state == "FAILED") {
      r.exit_code = 1;
    }
    r.log_path = "/tmp/none.log";
    r.output_dir = "/tmp/ck";
    r.id = s.insert_run(r);
    s.update_run(r); // insert_run stores the plan only; the outcome comes with the update
    std::vector<store::MetricPoint> points;
    for (const auto& [step, v] : ref_curve(rr.curve, rr.final_value.value_or(0))) {
      points.push_back({static_cast<long long>(step), "val_loss", v});
    }
    if (!points.empty()) {
      s.append_metrics(r.id, points, 100, std::nullopt);
    }
  }
}

struct Fixture {
  ScratchDir tmp;
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  Fixture() {
    cfg.name = "sweep";
    cfg.dir = tmp.path();
    cfg.paths.reports = tmp.path() / "docs/research";
    cfg.paths.state = tmp.path() / ".seedrun";
    store = store::Store::open(cfg.paths.state);
    for (const auto& c : k_campaigns) {
      add_campaign(*store, c);
    }
  }
};

void check_summary(const stats::Summary& s, const RefSummary& ref) {
  CHECK(s.n == ref.n);
  CHECK(*s.mean == doctest::Approx(ref.mean).epsilon(1e-12));
  CHECK(*s.min == ref.min);
  CHECK(*s.max == ref.max);
  REQUIRE(s.std.has_value() == ref.std.has_value());
  if (ref.std) {
    CHECK(*s.std == doctest::Approx(*ref.std).epsilon(1e-9));
  }
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  for (const auto& line : util::split(text, '\n')) {
    auto l = util::trim(line);
    if (!l.empty()) {
      rows.push_back(util::split(l, ','));
    }
  }
  return rows;
}

double num(const std::string& s) {
  return *util::parse_double(s);
}

} // namespace

TEST_CASE("arms are ranked, described and compared pairwise exactly as scipy computes it") {
  Fixture f;
  AnalysisInput in = campaign_input(f.cfg, *f.store, {});
  Analysis a = analyze_input(in, {});

  REQUIRE(a.ranking.size() == k_ref_arms.size());
  for (size_t i = 0; i < k_ref_arms.size(); ++i) {
    CAPTURE(k_ref_arms[i].name);
    CHECK(a.ranking[i].arm == k_ref_arms[i].name);
    check_summary(a.ranking[i].summary, k_ref_arms[i].s);
    REQUIRE(a.ranking[i].ci95.has_value());
    CHECK(a.ranking[i].ci95->first == doctest::Approx(k_ref_arms[i].s.ci->first).epsilon(1e-10));
    CHECK(a.ranking[i].ci95->second == doctest::Approx(k_ref_arms[i].s.ci->second).epsilon(1e-10));
    CHECK(*a.ranking[i].mean_train_minutes == doctest::Approx(k_ref_arms[i].minutes).epsilon(1e-12));
  }

  REQUIRE(a.pairs.size() == k_ref_pairs.size());
  for (size_t i = 0; i < k_ref_pairs.size(); ++i) {
    const auto& p = a.pairs[i];
    const auto& r = k_ref_pairs[i];
    CAPTURE(r.better + " vs " + r.worse);
    CHECK(p.better == r.better);
    CHECK(p.worse == r.worse);
    CHECK(p.delta == doctest::Approx(r.delta).epsilon(1e-10));
    REQUIRE(p.welch.has_value());
    CHECK(p.welch->t == doctest::Approx(r.t).epsilon(1e-8));
    CHECK(p.welch->df == doctest::Approx(r.df).epsilon(1e-8));
    CHECK(p.welch->p == doctest::Approx(r.p).epsilon(1e-8));
    CHECK(*p.p_holm == doctest::Approx(r.p_holm).epsilon(1e-8));
    CHECK(*p.p_better == doctest::Approx(r.p_better).epsilon(1e-12));
    REQUIRE(p.ci95.has_value());
    CHECK(p.ci95->first == doctest::Approx(r.ci->first).epsilon(1e-9));
    CHECK(p.ci95->second == doctest::Approx(r.ci->second).epsilon(1e-9));
    // scipy's own bootstrap, another random stream, lands within a resolution step of the data.
    CHECK(std::abs(p.ci95->first - r.scipy_ci->first) < 0.005);
    CHECK(std::abs(p.ci95->second - r.scipy_ci->second) < 0.005);
  }
}

TEST_CASE("the parameter that matters most, the sweep grid and convergence follow the documented rules") {
  Fixture f;
  AnalysisInput in = campaign_input(f.cfg, *f.store, {});
  CHECK(in.parameter_names == std::vector<std::string>{"lr", "warmup"});
  Analysis a = analyze_input(in, {});

  REQUIRE(a.parameters.size() == 2);
  CHECK(a.parameters[0].parameter == "lr");
  for (const auto& e : a.parameters) {
    for (const auto& ref : k_ref_levels) {
      if (ref.parameter != e.parameter) {
        continue;
      }
      CHECK(e.spread == doctest::Approx(ref.spread).epsilon(1e-10));
      CHECK(e.best_level == ref.best);
      auto it =
          std::find_if(e.levels.begin(), e.levels.end(), [&](const LevelMean& l) { return l.level == ref.level; });
      REQUIRE(it != e.levels.end());
      CHECK(it->mean == doctest::Approx(ref.mean).epsilon(1e-12));
    }
  }

  REQUIRE(a.heatmap.has_value());
  CHECK(a.heatmap->y_parameter == "lr");
  CHECK(a.heatmap->x_parameter == "warmup");
  CHECK(a.heatmap->y_levels == std::vector<std::string>{"default", "1e-4", "3e-4"});
  CHECK(a.heatmap->x_levels == std::vector<std::string>{"default", "0", "100"});
  size_t filled = 0;
  for (size_t y = 0; y < a.heatmap->y_levels.size(); ++y) {
    for (size_t x = 0; x < a.heatmap->x_levels.size(); ++x) {
      auto ref = std::find_if(k_ref_cells.begin(), k_ref_cells.end(), [&](const RefCell& c) {
        return c.lr == a.heatmap->y_levels[y] && c.warmup == a.heatmap->x_levels[x];
      });
      const auto& cell = a.heatmap->cells[y][x];
      REQUIRE(cell.has_value() == (ref != k_ref_cells.end()));
      if (cell) {
        CHECK(*cell == doctest::Approx(ref->mean).epsilon(1e-12));
        ++filled;
      }
    }
  }
  CHECK(filled == 5);

  // The reference computed each curve shape at one final value; other runs of a shape share its status.
  const std::map<std::string, double> ref_final = {{"conv", 3.21}, {"falling", 3.22}, {"osc", 3.13}};
  const std::map<std::string, ConvergenceStatus> status = {{"converged", ConvergenceStatus::converged},
                                                           {"still_falling", ConvergenceStatus::still_falling},
                                                           {"oscillating", ConvergenceStatus::oscillating}};
  size_t exact = 0;
  for (size_t i = 0; i < in.runs.size(); ++i) {
    const auto& run = in.runs[i];
    const RefRun* rr = nullptr;
    for (const auto& c : k_campaigns) {
      for (const auto& x : c.runs) {
        rr = c.name == run.arm && x.seed == run.seed ? &x : rr;
      }
    }
    REQUIRE(rr != nullptr);
    CAPTURE(run.name);
    const Convergence& c = a.convergence[i];
    auto ref = std::find_if(k_ref_convergence.begin(), k_ref_convergence.end(),
                            [&](const RefConvergence& x) { return x.kind == rr->curve; });
    if (rr->curve == "none" || !rr->final_value || !std::isfinite(*rr->final_value)) {
      CHECK(c.status == ConvergenceStatus::unknown); // no curve, or only nan points
      continue;
    }
    if (ref == k_ref_convergence.end()) {
      continue; // the partial curve of a running seed
    }
    CHECK(c.status == status.at(ref->status));
    CHECK(c.window_points == ref->window);
    if (*rr->final_value == ref_final.at(rr->curve)) {
      CHECK(*c.relative_change == doctest::Approx(ref->change).epsilon(1e-6));
      CHECK(std::abs(*c.relative_noise - ref->noise) < 1e-9 * std::max(1.0, ref->noise));
      ++exact;
    }
  }
  CHECK(exact == 4); // baseline seeds 42 and 512, lr_low seed 42, lr_high_warm seed 137
}

TEST_CASE("the campaign report, its tables and its plots are written and agree with the reference") {
  Fixture f;
  AnalyzeOptions opts;
  opts.html = true;
  AnalyzeResult r = analyze_campaigns(f.cfg, *f.store, {}, opts, k_now);
  auto out = f.cfg.paths.reports / "analysis";
  CHECK(r.output_dir == out);
  CHECK(r.report == out / "report.md");
  REQUIRE(r.html.has_value());
  for (const char* rel :
       {"report.md", "report.html", "plots/loss_curves.svg", "plots/final_metric.svg", "plots/heatmap.svg",
        "plots/seeds_box.svg", "tables/fine_tuning.csv", "tables/fine_tuning.tex", "tables/ranking.csv",
        "tables/statistics.csv", "tables/pairwise.csv", "tables/pairwise.tex", "tables/parameters.csv",
        "tables/cost_benefit.csv"}) {
    CHECK_MESSAGE(std::filesystem::exists(out / rel), rel);
  }
  CHECK_FALSE(std::filesystem::exists(out / "tables/evaluation.csv"));

  std::string md = slurp(out / "report.md");
  const auto& best = k_ref_arms[0];
  CHECK(md.starts_with("# Experiment Analysis: 5 campaigns of sweep\n"));
  CHECK(md.find(fmt::format("- **lr_high_warm** has the best mean val_loss: {:.4f} (n = 3, 95% CI [{:.4f}, {:.4f}]).",
                            best.s.mean, best.s.ci->first, best.s.ci->second)) != std::string::npos);
  CHECK(md.find(fmt::format("| 1 | lr_high_warm | 3 | {:.4f} | {:.4f} | {:.4f} | {:.4f} | {:.2f} |", best.s.mean,
                            *best.s.std, best.s.ci->first, best.s.ci->second, best.minutes)) != std::string::npos);
  CHECK(md.find("![val_loss vs step, all runs overlaid](plots/loss_curves.svg)") != std::string::npos);
  CHECK(md.find("- lr_low_warm seed 512 FAILED (exit code 1): not counted.") != std::string::npos);
  CHECK(md.find("- lr_low_warm seed 1024 is RUNNING: not finished, not counted.") != std::string::npos);
  CHECK(md.find("- lr_low seed 256: final val_loss is nan: not counted.") != std::string::npos);
  CHECK(md.find("**lr** matters most") != std::string::npos);
  CHECK(md.find("nan |") == std::string::npos);

  auto pairs = csv_rows(slurp(out / "tables/pairwise.csv"));
  REQUIRE(pairs.size() == k_ref_pairs.size() + 1);
  CHECK(pairs[0] == std::vector<std::string>{"Better", "Worse", "Δ mean", "CI low", "CI high", "Welch t", "df", "p",
                                             "p (Holm)", "P(better wins)"});
  for (size_t i = 0; i < k_ref_pairs.size(); ++i) {
    const auto& row = pairs[i + 1];
    CHECK(row[0] == k_ref_pairs[i].better);
    CHECK(num(row[2]) == doctest::Approx(k_ref_pairs[i].delta).epsilon(1e-10));
    CHECK(num(row[7]) == doctest::Approx(k_ref_pairs[i].p).epsilon(1e-8));
    CHECK(num(row[8]) == doctest::Approx(k_ref_pairs[i].p_holm).epsilon(1e-8));
    CHECK(num(row[9]) == doctest::Approx(k_ref_pairs[i].p_better).epsilon(1e-12));
  }

  auto stats_rows = csv_rows(slurp(out / "tables/statistics.csv"));
  for (const auto& ref : k_ref_arms) {
    auto row = std::find_if(stats_rows.begin(), stats_rows.end(),
                            [&](const auto& cells) { return cells[0] == "wall_time (min)" && cells[1] == ref.name; });
    REQUIRE(row != stats_rows.end());
    CHECK(num((*row)[3]) == doctest::Approx(ref.wall.mean).epsilon(1e-12));
    CHECK(num((*row)[4]) == doctest::Approx(*ref.wall.std).epsilon(1e-9));
    CHECK(num((*row)[7]) == doctest::Approx(ref.wall.ci->first).epsilon(1e-10));
  }

  std::string tex = slurp(out / "tables/ranking.tex");
  CHECK(tex.find("\\begin{tabular}{rlrrrrrr}") != std::string::npos);
  CHECK(tex.find(fmt::format("1 & lr\\_high\\_warm & 3 & {:.4f}", best.s.mean)) != std::string::npos);

  std::string heat = slurp(out / "plots/heatmap.svg");
  for (const auto& c : k_ref_cells) {
    CHECK(heat.find(fmt::format(">{:.3f}<", c.mean)) != std::string::npos);
  }
  std::string html = slurp(out / "report.html");
  CHECK(count_of(html, "<svg xmlns") == 4);
  CHECK(html.find("<td class=\"num\">") != std::string::npos);
  for (const char* plot : {"loss_curves", "final_metric", "heatmap", "seeds_box"}) {
    std::string svg = slurp(out / "plots" / (std::string(plot) + ".svg"));
    CHECK(svg.find("nan") == std::string::npos);
    PngInfo png = render_png(out / "plots" / (std::string(plot) + ".svg"));
    CHECK_MESSAGE(png.ok, png.error);
    CHECK(png.width == static_cast<unsigned>(root_attribute(svg, "width")));
  }
  keep_tree(out, "campaigns");
  std::string loss = slurp(out / "plots/loss_curves.svg");
  CHECK(count_of(loss, "class=\"band\"") == 5); // every arm has ≥ 2 counted seeds with curves
  CHECK(loss.find(">lr_low_warm (runs not counted)<") != std::string::npos); // the running seed
}

TEST_CASE("a second analysis rewrites the files and removes the ones that no longer apply") {
  Fixture f;
  AnalyzeOptions opts;
  opts.html = true;
  analyze_campaigns(f.cfg, *f.store, {}, opts, k_now);
  auto out = f.cfg.paths.reports / "analysis";
  std::string first_svg = slurp(out / "plots/loss_curves.svg");
  analyze_campaigns(f.cfg, *f.store, {}, opts, k_now + std::chrono::hours(1));
  CHECK(slurp(out / "plots/loss_curves.svg") == first_svg); // deterministic

  AnalyzeResult again = analyze_campaigns(f.cfg, *f.store, {"baseline"}, AnalyzeOptions{}, k_now);
  CHECK_FALSE(std::filesystem::exists(out / "plots/heatmap.svg"));
  CHECK_FALSE(std::filesystem::exists(out / "tables/pairwise.csv"));
  CHECK_FALSE(std::filesystem::exists(out / "report.html"));
  CHECK(std::filesystem::exists(out / "plots/seeds_box.svg"));
  CHECK(again.removed.size() == 6); // report.html, heatmap.svg, pairwise and parameters .csv/.tex
  CHECK(again.markdown.find("Not computed: fewer than two arms have two or more runs with a value.") !=
        std::string::npos);
}

TEST_CASE("seeds drawn as lines give one polyline per run") {
  Fixture f;
  AnalyzeOptions opts;
  opts.curves = CurveMode::lines;
  analyze_campaigns(f.cfg, *f.store, {"lr_high", "lr_low"}, opts, k_now);
  std::string loss = slurp(f.cfg.paths.reports / "analysis/plots/loss_curves.svg");
  CHECK(count_of(loss, "class=\"band\"") == 0);
  CHECK(count_of(loss, "class=\"series\"") == 5); // lr_low seed 256 has only nan points
  CHECK(count_of(loss, "class=\"legend\"") == 2);
}

TEST_CASE("an unknown campaign or metric is a usage error with a hint") {
  Fixture f;
  CHECK_THROWS_WITH_AS(campaign_input(f.cfg, *f.store, {"lr_hihg"}), "no campaign 'lr_hihg' (did you mean 'lr_high'?)",
                       UsageError);
  AnalysisInput in = campaign_input(f.cfg, *f.store, {});
  CHECK_THROWS_WITH_AS(select_primary_metric(in, "accuracy"),
                       "unknown metric 'accuracy' for this analysis (available: val_loss, wall_time)", UsageError);
  select_primary_metric(in, "wall_time");
  CHECK(in.primary.id == "wall_time");
  CHECK(in.metrics.front().id == "wall_time");
}
