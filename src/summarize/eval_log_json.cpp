#include "seedrun/summarize/eval_log_json.hpp"

#include "seedrun/summarize/binary_metrics.hpp"
#include "seedrun/summarize/eval_log.hpp"
#include "seedrun/util/json.hpp"

#include <cmath>
#include <fmt/format.h>

namespace seedrun::summarize {
namespace {

using nlohmann::json;

using util::json_or_null;

// Four decimals, as the seed prints binary metrics; missing or not finite: null.
json rounded(const std::optional<double>& value) {
  return json_or_null(value ? std::optional<double>(std::round(*value * 10000.0) / 10000.0) : std::nullopt);
}

json error_json(const std::string& message, const std::filesystem::path& path) {
  return json{{"status", "error"}, {"message", message}, {"path", path.string()}};
}

// Targets that are not 0/1 labels (multiple choice "A".."D", free text): binary metrics would be
// meaningless, so the answer says so instead of an accuracy of 0 with "success".
json not_binary_json(const EvalLog& log) {
  long long other = 0;
  const SampleScore* first = nullptr;
  for (const auto& s : log.sample_scores) {
    if (!binary_label(s.target)) {
      ++other;
      first = first == nullptr ? &s : first;
    }
  }
  std::string example =
      first == nullptr ? "" : fmt::format(", e.g. {} (sample {})", util::dump_json(first->target), first->id);
  return json{
      {"status", "not_binary"},
      {"path", log.path.string()},
      {"task", log.task},
      {"samples", static_cast<long long>(log.sample_scores.size())},
      {"non_binary_targets", other},
      {"message", fmt::format("{}: task '{}' is not binary: {} of {} targets are not 0/1 labels{}; use eval-log "
                              "without --binary",
                              log.path.string(), log.task, other, log.sample_scores.size(), example)}};
}

json binary_json(const EvalLog& log) {
  if (!log.samples_loaded) {
    return error_json(log.message.empty() ? "cannot read the samples of " + log.path.string() : log.message, log.path);
  }
  if (log.sample_scores.empty()) {
    return error_json("No samples in " + log.path.string(), log.path);
  }
  if (!is_binary_task(log.sample_scores)) {
    return not_binary_json(log);
  }
  BinaryMetrics m = binary_metrics(log.sample_scores);
  const auto& c = m.confusion;
  return json{{"status", "success"},
              {"path", log.path.string()},
              {"samples", m.samples},
              {"accuracy", rounded(m.accuracy)},
              {"balanced_accuracy", rounded(m.balanced_accuracy)},
              {"f1", rounded(m.f1)},
              {"precision_1", rounded(m.precision_1)},
              {"recall_1", rounded(m.recall_1)},
              {"recall_0", rounded(m.recall_0)},
              {"confusion_matrix", {{"tp", c.tp}, {"tn", c.tn}, {"fp", c.fp}, {"fn", c.fn}, {"other", c.other}}}};
}

} // namespace

json eval_log_json(const std::filesystem::path& path, bool binary) {
  try {
    EvalLog log = read_eval_log(path, EvalReadOptions{.with_samples = binary});
    if (!log.readable) {
      return error_json(log.message, path);
    }
    if (binary) {
      return binary_json(log);
    }
    json out{{"status", log.status},
             {"task", log.task},
             {"accuracy", json_or_null(log.accuracy)},
             {"samples", json_or_null(log.samples)},
             {"scorer", log.scorer.empty() ? json(nullptr) : json(log.scorer)},
             {"model", log.model},
             {"path", path.string()}};
    if (!log.message.empty()) {
      out["message"] = log.message;
    }
    return out;
  } catch (const std::exception& e) { // bad_alloc or a bug: still a value, as the contract says
    return error_json(e.what(), path);
  }
}

} // namespace seedrun::summarize
