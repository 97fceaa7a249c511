// experiment_summary.yaml: parse_experiment_spec returns a spec or throws seedrun::Error;
// anything else escaping is a finding.
#include "fuzz_support.hpp"
#include "seedrun/config/experiment_spec.hpp"
#include "seedrun/util/error.hpp"

#include <spdlog/spdlog.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool quiet = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)quiet;
  std::string text = seedrun::fuzz::expand({reinterpret_cast<const char*>(data), size});
  try {
    auto spec = seedrun::config::parse_experiment_spec(text, "/nonexistent/fuzz/experiment_summary.yaml");
    for (const auto& run : spec.runs) {
      (void)spec.matrix_entry(run.name);
      (void)seedrun::config::run_type_label(run.type);
    }
  } catch (const seedrun::Error&) {
  }
  return 0;
}
