#pragma once
// inspect-ai evaluation logs, read natively (no Python, no inspect-ai install).
//
// Two formats are understood, told apart by content rather than by file extension:
//  - `.eval`: a ZIP archive of JSON members. `header.json` holds status, eval spec and results;
//    `summaries.json` holds one condensed record (id, epoch, target, scores) per sample;
//    `samples/<id>_epoch_<n>.json` hold the full samples. A run that was interrupted has no
//    header.json, only `_journal/start.json` (the eval spec) and `_journal/summaries/<n>.json`;
//    such a log reads as status "started".
//  - the older single `.json` log: one object with status, eval, results and samples[].
//
// Reading never throws. A file that cannot be read (missing, not a ZIP and not JSON, bad JSON,
// no header and no journal) yields `readable == false`, `status == "error"` and a message.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::summarize {

// One sample's target and the primary scorer's score, as stored in the log. Values keep their
// JSON type (0, "0", true, "C" ...) so the binary metrics can interpret them (binary_metrics.hpp).
struct SampleScore {
  std::string id;        // sample id as text ("1", "default")
  int epoch = 1;         // inspect-ai's 1-based sample epoch (not the training epoch)
  nlohmann::json target; // string, number, bool or list of strings
  nlohmann::json value;  // the score value; null when the sample has no score
  nlohmann::json answer; // the score's extracted answer; null when absent
};

struct EvalLog {
  std::filesystem::path path;
  bool readable = false;
  // The log's own status: "success", "cancelled", "error" or "started" (interrupted run). It is
  // "error" as well when the file is unreadable; `readable` tells the two apart.
  std::string status = "error";
  std::string message;                    // why it is unreadable, or the eval's own error message
  std::string task;                       // eval.task
  std::string model;                      // eval.model
  std::string created;                    // eval.created (ISO 8601), for ordering re-runs
  std::string scorer;                     // the scorer whose accuracy is reported ("" when no results)
  std::optional<double> accuracy;         // results.scores[scorer].metrics.accuracy.value
  std::optional<long long> samples;       // results.completed_samples (else samples present)
  std::optional<long long> total_samples; // results.total_samples
  // Training epoch of the evaluated checkpoint, when the eval spec names one (an `epoch_<N>`
  // path component in the model, model_args or task_args). nullopt when it does not.
  std::optional<int> checkpoint_epoch;
  std::vector<SampleScore> sample_scores; // filled only when read with samples
  bool samples_loaded = false;            // true when sample_scores reflects the whole log
};

struct EvalReadOptions {
  bool with_samples = false; // also load per-sample target and score (for binary metrics)
};

// Limits: JSON nested at most util::k_max_json_depth (256) levels; a `.eval` member at most
// ZipArchive::k_default_max_member_bytes (256 MiB) and all members together 1 GiB; a single-file
// `.json` log at most k_max_json_log_bytes. Past a limit the log is unreadable with a message
// naming it; nothing larger than the limit is ever allocated.
inline constexpr unsigned long long k_max_json_log_bytes = 1ULL << 30;

EvalLog read_eval_log(const std::filesystem::path& path, const EvalReadOptions& options = {});

// Builds an EvalLog from already-parsed pieces; exposed for tests and for the single-file
// format. `header` is the header.json object (or the whole .json log); `samples` the array of
// sample or summary records (may be null).
EvalLog eval_log_from_json(const std::filesystem::path& path, const nlohmann::json& header,
                           const nlohmann::json& samples, bool with_samples);

// The number of a journal part (`_journal/summaries/12.json` → 12), read with std::from_chars:
// nullopt when the stem is not all digits or does not fit in 64 bits (a 20+ digit name is
// ordered after the numbered parts, never undefined behaviour).
std::optional<unsigned long long> journal_part_number(const std::string& member_name);

// The training epoch named by an `epoch_<N>` / `epoch-<N>` component of `text`, if any (the
// last one wins: ".../ck-out-r1/epoch_3" → 3).
std::optional<int> epoch_in_text(const std::string& text);

} // namespace seedrun::summarize
