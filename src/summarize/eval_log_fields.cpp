// Interpreting the JSON of an inspect-ai log (header, results, sample records). Field paths
// follow inspect-ai's EvalLog model: eval.{task,model,created,model_args,task_args},
// results.{total_samples,completed_samples,scores[].{name,metrics.accuracy.value}}, error.message.
#include "seedrun/summarize/eval_log.hpp"
#include "seedrun/summarize/json_fields.hpp"

#include <limits>

namespace seedrun::summarize {
namespace {

using nlohmann::json;

// First `epoch_<N>` found in any string inside `value` (depth-first, in document order).
std::optional<int> epoch_in_json(const json& value) {
  if (value.is_string()) {
    return epoch_in_text(value.get<std::string>());
  }
  if (value.is_object() || value.is_array()) {
    for (const auto& item : value) {
      if (auto e = epoch_in_json(item)) {
        return e;
      }
    }
  }
  return std::nullopt;
}

// The score reporting accuracy (else the first score) of results.scores.
void read_results(const json& results, EvalLog& log) {
  log.samples = json_integer(results, "completed_samples");
  log.total_samples = json_integer(results, "total_samples");
  const json& scores = json_field(results, "scores");
  if (!scores.is_array()) {
    return;
  }
  for (const auto& score : scores) {
    const json& accuracy = json_field(json_field(score, "metrics"), "accuracy");
    if (auto value = json_number(accuracy, "value")) {
      log.accuracy = value;
      log.scorer = json_string(score, "name");
      return;
    }
  }
  if (!scores.empty()) {
    log.scorer = json_string(scores.front(), "name");
  }
}

// The score of `scorer` in a sample record ("scores" map, or the pre-2024 single "score").
const json& pick_score(const json& record, const std::string& scorer) {
  const json& scores = json_field(record, "scores");
  if (scores.is_object() && !scores.empty()) {
    auto it = scores.find(scorer);
    return it != scores.end() ? *it : scores.begin().value();
  }
  return json_field(record, "score");
}

SampleScore read_sample(const json& record, const std::string& scorer) {
  SampleScore s;
  s.id = json_scalar_text(json_field(record, "id"));
  const long long epoch = json_integer(record, "epoch").value_or(1);
  s.epoch = epoch >= 1 && epoch <= std::numeric_limits<int>::max() ? static_cast<int>(epoch) : 1; // not an int: 1
  s.target = json_field(record, "target");
  const json& score = pick_score(record, scorer);
  s.value = json_field(score, "value");
  s.answer = json_field(score, "answer");
  return s;
}

} // namespace

EvalLog eval_log_from_json(const std::filesystem::path& path, const json& header, const json& samples,
                           bool with_samples) {
  EvalLog log;
  log.path = path;
  const json& eval = json_field(header, "eval");
  if (!eval.is_object()) {
    log.message = path.string() + ": no 'eval' object: not an inspect-ai log";
    return log;
  }
  log.readable = true;
  log.status = json_string(header, "status");
  if (log.status.empty()) {
    log.status = "started";
  }
  log.task = json_string(eval, "task");
  log.model = json_string(eval, "model");
  log.created = json_string(eval, "created");
  log.checkpoint_epoch = epoch_in_json(json_field(eval, "model_args"));
  if (!log.checkpoint_epoch) {
    log.checkpoint_epoch = epoch_in_text(log.model);
  }
  if (!log.checkpoint_epoch) {
    log.checkpoint_epoch = epoch_in_json(json_field(eval, "task_args"));
  }
  log.message = json_string(json_field(header, "error"), "message");
  read_results(json_field(header, "results"), log);
  if (!log.samples && samples.is_array()) {
    log.samples = static_cast<long long>(samples.size());
  }
  if (with_samples && samples.is_array()) {
    for (const auto& record : samples) {
      if (record.is_object()) {
        log.sample_scores.push_back(read_sample(record, log.scorer));
      }
    }
    log.samples_loaded = true;
  }
  return log;
}

} // namespace seedrun::summarize
