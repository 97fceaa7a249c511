#pragma once
// What most subcommands need loaded: the configuration, the store, the executor, and the time
// of invocation (read once, passed down).
#include "seedrun/cli/commands.hpp"
#include "seedrun/config/config.hpp"
#include "seedrun/exec/executor.hpp"
#include "seedrun/exec/process_runner.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/util/time.hpp"

#include <memory>

namespace seedrun::cli {

struct Context {
  config::Config cfg;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<exec::ProcessRunner> runner;
  std::unique_ptr<exec::Executor> executor;
  util::TimePoint now;
};

// Finds and loads seedrun.yaml (--config or the nearest one upwards) and opens the store.
Context load_context(const GlobalOptions& g);

} // namespace seedrun::cli
