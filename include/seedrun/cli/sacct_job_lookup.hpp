#pragma once
// The real summarize::JobLookup: job names, elapsed times and states from ONE sacct call for
// every job id of an experiment directory; "unavailable" on any failure (never throws).
#include "seedrun/summarize/job_lookup.hpp"

#include <memory>

namespace seedrun::cli {

std::unique_ptr<summarize::JobLookup> make_sacct_job_lookup();

} // namespace seedrun::cli
