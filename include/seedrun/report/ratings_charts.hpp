#pragma once
// The charts of a ratings report (docs/health.md, "Ratings"): the references and every checkpoint
// over the steps in the policy frame, and the gap best checkpoint − the first reference.
#include "seedrun/report/ratings_report.hpp"

#include <string>
#include <utility>

namespace seedrun::report {

// {ratings_trajectory.svg, ratings_gap.svg}; the gap chart is "" without a fixed reference.
std::pair<std::string, std::string> ratings_charts(const RatingsReport& r);

} // namespace seedrun::report
