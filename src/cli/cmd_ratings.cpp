// seedrun ratings MATCHES.jsonl [--fixed base_model,chaos_bot] [--bootstrap N] [--seed N] [--json]
// [--output DIR]: Bradley–Terry ratings against fixed references (docs/health.md).
#include "seedrun/cli/commands.hpp"
#include "seedrun/report/ratings_charts.hpp"
#include "seedrun/report/ratings_report.hpp"
#include "seedrun/stats/matches.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"

#include <cmath>
#include <fmt/format.h>
#include <optional>
#include <spdlog/spdlog.h>
#include <utility>

namespace seedrun::cli {
namespace {

constexpr int k_max_bootstrap = 100000;

void warn_problems(const stats::MatchesData& data) {
  for (const auto& p : data.problems) {
    spdlog::warn("{}", p);
  }
  if (data.unreadable > data.problems.size()) {
    spdlog::warn("... and {} more unreadable lines", data.unreadable - data.problems.size());
  }
}

} // namespace

int run_ratings(const GlobalOptions& g, const RatingsOptions& o) {
  if (o.bootstrap != 0 && (o.bootstrap < 2 || o.bootstrap > k_max_bootstrap)) {
    throw UsageError(
        fmt::format("--bootstrap must be 0 (no intervals) or 2 to {}; got {}", k_max_bootstrap, o.bootstrap));
  }
  auto data = stats::read_matches(o.matches);
  warn_problems(data);
  if (data.fatal) {
    throw Error(*data.fatal);
  }
  report::RatingsRequest request;
  request.source = o.matches.string();
  for (const auto& f : util::split(o.fixed, ',')) {
    if (!util::trim(f).empty()) {
      request.fixed.push_back(util::trim(f));
    }
  }
  request.bootstrap = o.bootstrap;
  request.seed = o.seed;
  auto r = report::build_ratings_report(std::move(data), request);
  if (!r.fit.converged) {
    spdlog::warn("the fit did not converge in {} iterations; the ratings are not the maximum", r.fit.iterations);
  }
  auto json = report::ratings_json(r);
  auto markdown = report::ratings_markdown(r);
  if (!o.output.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(o.output, ec);
    if (ec) {
      throw Error(fmt::format("cannot create {}: {}", o.output.string(), ec.message()));
    }
    util::write_file_atomic(o.output / "ratings.json", util::dump_json(json, 2) + "\n");
    util::write_file_atomic(o.output / "ratings.md", markdown);
    auto [ratings_svg, gap_svg] = report::ratings_charts(r);
    util::write_file_atomic(o.output / "ratings_trajectory.svg", ratings_svg);
    if (!gap_svg.empty()) {
      util::write_file_atomic(o.output / "ratings_gap.svg", gap_svg);
    }
    if (!g.quiet) {
      fmt::print(stderr, "wrote {}\n", (o.output / "ratings.md").string());
    }
  }
  fmt::print("{}", o.json ? util::dump_json(json, 2) + "\n" : markdown);
  return 0;
}

} // namespace seedrun::cli
