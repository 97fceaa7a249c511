#pragma once
// Progress for the user: one rewritten line on a terminal ("seed 2/5 · 00:12 · val_loss 2.4132"),
// plain timestamped lines when stderr is not a terminal (cron, CI logs), nothing under --quiet.
#include "seedrun/track/tracker.hpp"

#include <memory>

namespace seedrun::cli {

std::unique_ptr<track::ProgressSink> make_progress(bool quiet);

} // namespace seedrun::cli
