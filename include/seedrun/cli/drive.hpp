#pragma once
// Drives campaigns to completion from the command line: with the local executor this process
// runs the training and must stay alive; with Slurm it submits and then waits (polling with
// backoff) unless told not to. Ctrl-C ends local children, marks their runs CANCELLED and
// exits 130; the next invocation resumes where it stopped.
#include "seedrun/cli/context.hpp"
#include "seedrun/track/tracker.hpp"

#include <vector>

namespace seedrun::cli {

struct DriveOutcome {
  bool interrupted = false;
  bool done = false;
  std::vector<std::filesystem::path> reports;
};

DriveOutcome drive(Context& ctx, const std::vector<long long>& campaign_ids, track::ProgressSink& sink,
                   bool wait_for_slurm, int timeout_seconds = 0);

// Installs SIGINT/SIGTERM handlers that set the flag drive() polls.
void install_interrupt_handlers();
bool interrupted();

} // namespace seedrun::cli
