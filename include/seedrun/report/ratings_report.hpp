#pragma once
// `seedrun ratings`: the fit, its bootstrap intervals and the trajectory over checkpoints
// gathered from a matches file, and their JSON and markdown (docs/health.md, "Ratings").
#include "seedrun/stats/matches.hpp"
#include "seedrun/stats/ratings.hpp"

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::report {

struct RatingsRequest {
  std::string source;             // the matches file, as named in the report
  std::vector<std::string> fixed; // "name" or "name=rating", in order; the first is "base_model"
  int bootstrap = 1000;           // resamples; 0: no intervals
  uint64_t seed = 20240601;
  size_t max_trajectory_points = 200;
};

// A fixed reference: its player index and, when given as name=rating, its pinned rating.
struct Reference {
  int player = 0;
  std::optional<double> pinned{};
};

struct RatingsReport {
  std::string source;
  stats::MatchesData data;
  std::vector<Reference> references{};
  std::vector<stats::Anchor> anchors{};
  std::vector<std::optional<long long>> first_step{}; // per player: its earliest game's step
  stats::RatingsFit fit{};
  stats::BootstrapRatings boot{};
  // In the policy frame: at each step the newest rated checkpoint is held at k_pool_mean
  // (see build_ratings_report); `newest[k]` is that checkpoint of trajectory[k], if any.
  std::vector<stats::TrajectoryPoint> trajectory{};
  std::vector<std::optional<int>> newest{};
  std::optional<int> best{}; // the strongest checkpoint (not a reference) of the whole fit
  int bootstrap = 0;
  uint64_t seed = 0;

  bool is_reference(int player) const;
  std::vector<int> checkpoints() const; // every player that is not a reference

  // The strongest checkpoint of `fit` and its rating minus the first reference's: ±∞ when one
  // of them is unbounded, none when there is no such checkpoint, no reference, or both are
  // unbounded or unrated.
  struct Gap {
    std::optional<int> best{};
    std::optional<double> value{};
  };
  Gap gap_of(const stats::RatingsFit& at) const;
};

// Anchoring: names given as name=rating are held at those ratings; when no name carries a
// rating, the first is held at 1000. The trajectory is then shifted into the policy frame: at
// each step the newest rated checkpoint (the non-reference player with the latest first game,
// ties: more games so far, then the earlier in the file) is at 1000, so a reference falling or
// an older checkpoint falling means the policy pulled away from it, and a flat policy leaves
// them flat. Without a rated checkpoint a point keeps the fit's own frame. Throws UsageError for a malformed entry or a
// name that no game mentions (with a "did you mean"), Error when the data holds no game.
RatingsReport build_ratings_report(stats::MatchesData data, const RatingsRequest& request);

nlohmann::json ratings_json(const RatingsReport& r);

// The seed's learning signal between the first and the last step of the trajectory, as the
// markdown's table gives it: each reference's rating (falling is good) and the gap best
// checkpoint − the first reference (growing is good); a change within ±noise (half the width of
// the gap's 95% interval, at least 5 Elo) reads as flat. nullopt without a reference or a
// trajectory.
struct SignalRow {
  std::string signal; // "base_model Elo", "Best checkpoint − base_model"
  std::optional<double> first, last;
  std::string reading; // "falling (good: the policy exploits it)", "growing (good)", "n/a" ...
};
struct LearningSignal {
  long long first_step = 0;
  long long last_step = 0;
  double noise = 0;
  std::vector<SignalRow> rows; // the references in order, then the gap
};
std::optional<LearningSignal> learning_signal(const RatingsReport& r);
std::string ratings_markdown(const RatingsReport& r);

} // namespace seedrun::report
