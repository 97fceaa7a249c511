#include "seedrun/cli/context.hpp"

#include "seedrun/exec/local_executor.hpp"
#include "seedrun/slurm/slurm_executor.hpp"
#include "seedrun/util/error.hpp"

#include <fmt/format.h>

namespace seedrun::cli {

Context load_context(const GlobalOptions& g) {
  Context ctx;
  ctx.now = util::Clock::now();
  std::filesystem::path file;
  if (g.config) {
    file = *g.config;
  } else {
    auto found = config::find_config(std::filesystem::current_path());
    if (!found) {
      throw UsageError("no seedrun.yaml in this directory or any parent (use --config FILE; docs/config.md shows "
                       "an example)");
    }
    file = *found;
  }
  ctx.cfg = config::load_config(file);
  ctx.store = store::Store::open(ctx.cfg.paths.state);
  ctx.runner = exec::make_process_runner();
  if (ctx.cfg.executor == config::ExecutorKind::slurm) {
    ctx.executor = slurm::make_slurm_executor(ctx.cfg, *ctx.runner);
  } else {
    ctx.executor = std::make_unique<exec::LocalExecutor>(*ctx.runner, ctx.cfg.dir, ctx.cfg.parallel);
  }
  return ctx;
}

} // namespace seedrun::cli
