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
// With binary, a task whose targets are not all 0/1 labels (binary_metrics.hpp; e.g. multiple
// choice "A".."D"): {"status":"not_binary", "message", "path", "task", "samples",
// "non_binary_targets"}, never an accuracy of 0 with "success".
// A file that cannot be read, or (binary) has no samples:
// {"status":"error", "message":..., "path":...}.
// Strings keep the bytes they came with; print with util::dump_json (invalid UTF-8 → U+FFFD).
// Never throws. Keys come out in nlohmann::json's (sorted) order.
#include <filesystem>
#include <nlohmann/json.hpp>

namespace seedrun::summarize {

nlohmann::json eval_log_json(const std::filesystem::path& path, bool binary);

} // namespace seedrun::summarize
