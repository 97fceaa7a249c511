#pragma once
// The JSON behind `seedrun eval-log FILE [--binary] --json`, field for field the output of the
// seed's tools/inspect/parse_eval_log.py and, with `binary`, of summary_binary.py --json.
//
// Without binary: {"status", "task", "accuracy", "samples", "scorer", "model", "path"} where
// status is the log's own status ("success", "cancelled", "error", "started"), accuracy is null
// when the log reports none, and a log whose eval failed also carries "message".
// With binary: {"status":"success", "path", "samples", "accuracy", "balanced_accuracy", "f1",
// "precision_1", "recall_1", "recall_0", "confusion_matrix":{"tp","tn","fp","fn","other"}},
// ratios rounded to 4 decimals as summary_binary.py does, undefined ones null.
// A file that cannot be read, or (binary) has no samples:
// {"status":"error", "message":..., "path":...}.
// Never throws. Keys come out in nlohmann::json's (sorted) order.
#include <filesystem>

#include <nlohmann/json.hpp>

namespace seedrun::summarize {

nlohmann::json eval_log_json(const std::filesystem::path& path, bool binary);

} // namespace seedrun::summarize
