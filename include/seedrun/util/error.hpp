#pragma once
// The two ways seedrun fails. `Error` is a failure the user can act on; it carries the exit
// code the command line returns. Everything else that escapes is a bug and exits 1 with its
// what(). Messages are complete sentences without the "seedrun: error: " prefix, which the
// top-level handler adds.
#include <stdexcept>
#include <string>

namespace seedrun {

// Documented exit codes (docs/cli.md). Keep in sync with the README.
enum class ExitCode : int {
  ok = 0,
  failure = 1,
  usage = 2,             // bad command line or bad configuration
  slurm_unreachable = 3, // sacct/sbatch failed, hung or printed garbage
  interrupted = 130,
};

class Error : public std::runtime_error {
public:
  explicit Error(const std::string& message, ExitCode code = ExitCode::failure)
      : std::runtime_error(message), m_code(code) {}
  ExitCode code() const noexcept { return m_code; }

private:
  ExitCode m_code;
};

// Configuration and usage problems: exit code 2.
class UsageError : public Error {
public:
  explicit UsageError(const std::string& message) : Error(message, ExitCode::usage) {}
};

} // namespace seedrun
