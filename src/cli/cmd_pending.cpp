// Subcommands whose components are still being built. Each says so and fails; none pretends.
#include "seedrun/cli/commands.hpp"
#include "seedrun/util/error.hpp"

namespace seedrun::cli {

int run_analyze(const GlobalOptions&, const DirOptions&) { throw Error("seedrun analyze is not implemented yet"); }

} // namespace seedrun::cli
