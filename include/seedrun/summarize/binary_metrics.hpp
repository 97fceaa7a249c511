#pragma once
// Binary-classification metrics over an inspect-ai log's samples (what the seed's
// summary_binary.py computes), with undefined values as nullopt (JSON null), never NaN.
//
// Labels. A target or answer is a binary label when it is 0/1 (integer or 0.0/1.0), "0"/"1"
// (surrounding whitespace ignored), true/false, or "true"/"false" (any case); a one-element list
// holding such a value counts too. True is 1.
//
// Prediction of a sample, first rule that applies:
//  1. the score's `answer` is a binary label: that label is the prediction (what the model said);
//  2. the score's `value` says correct or incorrect: "C" / "I" (inspect-ai's CORRECT/INCORRECT),
//     or 1/0, "1"/"0", true/false — read as correct/incorrect, as inspect-ai's accuracy metric
//     reads them. Correct: the prediction is the target. Incorrect: the other class, unless the
//     score has a non-empty answer that is not a label ("maybe"), which predicts nothing;
//  3. otherwise (no score, "P" partial, "N" no answer, non-binary value) there is no prediction.
// A sample whose target or prediction is not a binary label counts in `other`, and in the
// sample total, but in none of tp/tn/fp/fn.
#include "seedrun/summarize/eval_log.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace seedrun::summarize {

struct ConfusionMatrix {
  long long tp = 0; // target 1, predicted 1
  long long tn = 0; // target 0, predicted 0
  long long fp = 0; // target 0, predicted 1
  long long fn = 0; // target 1, predicted 0
  long long other = 0;
  bool operator==(const ConfusionMatrix&) const = default;
};

struct BinaryMetrics {
  long long samples = 0;
  ConfusionMatrix confusion;
  std::optional<double> accuracy;          // (tp+tn)/samples
  std::optional<double> balanced_accuracy; // (recall_0+recall_1)/2, needs both classes present
  std::optional<double> f1;                // 2tp/(2tp+fp+fn)
  std::optional<double> precision_1;       // tp/(tp+fp)
  std::optional<double> recall_1;          // tp/(tp+fn)
  std::optional<double> recall_0;          // tn/(tn+fp)
};

// 0 or 1 when `value` is a binary label (rules above), nullopt otherwise.
std::optional<int> binary_label(const nlohmann::json& value);

// The predicted label of one sample (rules above), nullopt when there is none.
std::optional<int> predicted_label(const SampleScore& sample);

// True when there is at least one sample and every target is a binary label.
bool is_binary_task(const std::vector<SampleScore>& samples);

ConfusionMatrix confusion_matrix(const std::vector<SampleScore>& samples);

// Metrics from counts; `samples` is the denominator of accuracy (tp+tn+fp+fn+other).
BinaryMetrics binary_metrics(const ConfusionMatrix& confusion);

BinaryMetrics binary_metrics(const std::vector<SampleScore>& samples);

} // namespace seedrun::summarize
