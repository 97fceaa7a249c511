#pragma once
// Single sacct field values that need more than copying: durations and exit codes.
#include <optional>
#include <string_view>

namespace seedrun::slurm {

// Elapsed/TotalCPU values: "MM:SS", "MM:SS.mmm", "HH:MM:SS", "HH:MM:SS.mmm", "D-HH:MM:SS",
// in seconds. nullopt for anything else ("INVALID", "", "1:2:3:4").
std::optional<double> parse_slurm_duration(std::string_view text);

// ExitCode "3:0" -> {3, 0}; the first number may be negative ("-2:0"). nullopt otherwise.
struct ExitCodeSignal {
  int exit_code = 0;
  int signal = 0;
};
std::optional<ExitCodeSignal> parse_exit_code(std::string_view text);

} // namespace seedrun::slurm
