#pragma once
// Reads one inspect-ai log file every way seedrun does: the EvalLog with and without samples,
// and the JSON of `seedrun eval-log --json` with and without --binary, printed as the CLI
// prints JSON (util::dump_json: invalid UTF-8 replaced by U+FFFD, never type_error.316).
#include "fuzz_support.hpp"
#include "seedrun/summarize/eval_log.hpp"
#include "seedrun/summarize/eval_log_json.hpp"

#include <spdlog/spdlog.h>

namespace seedrun::fuzz {

inline void read_every_way(const std::filesystem::path& file) {
  using namespace seedrun::summarize;
  for (bool with_samples : {false, true}) {
    EvalLog log = read_eval_log(file, EvalReadOptions{with_samples});
    if (!log.readable) {
      SEEDRUN_FUZZ_CHECK(log.status == "error");
      SEEDRUN_FUZZ_CHECK(!log.message.empty());
    }
    if (log.accuracy) {
      (void)log.scorer.size();
    }
  }
  for (bool binary : {false, true}) {
    nlohmann::json j = eval_log_json(file, binary);
    SEEDRUN_FUZZ_CHECK(j.is_object() && j.contains("status"));
    std::string printed = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
    SEEDRUN_FUZZ_CHECK(!printed.empty());
  }
}

inline void quiet_logs() {
  static const bool done = [] {
    spdlog::set_level(spdlog::level::off);
    return true;
  }();
  (void)done;
}

} // namespace seedrun::fuzz
