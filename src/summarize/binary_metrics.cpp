#include "seedrun/summarize/binary_metrics.hpp"

#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>

namespace seedrun::summarize {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// Correct (true) / incorrect (false) per inspect-ai's value_to_float reading of a score value.
std::optional<bool> correctness(const nlohmann::json& value) {
  if (value.is_string()) {
    auto text = util::trim(value.get<std::string>());
    if (text == "C") {
      return true;
    }
    if (text == "I") {
      return false;
    }
  }
  if (auto label = binary_label(value)) {
    return *label == 1;
  }
  return std::nullopt;
}

std::optional<double> ratio(long long num, long long den) {
  if (den <= 0) {
    return std::nullopt;
  }
  return static_cast<double>(num) / static_cast<double>(den);
}

} // namespace

std::optional<int> binary_label(const nlohmann::json& value) {
  if (value.is_boolean()) {
    return value.get<bool>() ? 1 : 0;
  }
  if (value.is_number()) {
    double d = value.get<double>();
    if (d == 0.0 || d == 1.0) {
      return static_cast<int>(d);
    }
    return std::nullopt;
  }
  if (value.is_string()) {
    auto text = lower(util::trim(value.get<std::string>()));
    if (text == "0" || text == "false") {
      return 0;
    }
    if (text == "1" || text == "true") {
      return 1;
    }
    return std::nullopt;
  }
  if (value.is_array() && value.size() == 1) {
    return binary_label(value.front());
  }
  return std::nullopt;
}

std::optional<int> predicted_label(const SampleScore& sample) {
  if (auto answer = binary_label(sample.answer)) {
    return answer;
  }
  auto target = binary_label(sample.target);
  auto correct = correctness(sample.value);
  if (!target || !correct) {
    return std::nullopt;
  }
  if (*correct) {
    return *target;
  }
  // Wrong, and the answer is text that is no label ("maybe"): it did not say the other class.
  if (!sample.answer.is_null() &&
      !(sample.answer.is_string() && util::trim(sample.answer.get<std::string>()).empty())) {
    return std::nullopt;
  }
  return 1 - *target;
}

bool is_binary_task(const std::vector<SampleScore>& samples) {
  return !samples.empty() &&
         std::all_of(samples.begin(), samples.end(), [](const SampleScore& s) { return binary_label(s.target); });
}

ConfusionMatrix confusion_matrix(const std::vector<SampleScore>& samples) {
  ConfusionMatrix m;
  for (const auto& s : samples) {
    auto target = binary_label(s.target);
    auto predicted = predicted_label(s);
    if (!target || !predicted) {
      ++m.other;
    } else if (*target == 1) {
      ++(*predicted == 1 ? m.tp : m.fn);
    } else {
      ++(*predicted == 0 ? m.tn : m.fp);
    }
  }
  return m;
}

BinaryMetrics binary_metrics(const ConfusionMatrix& c) {
  BinaryMetrics m;
  m.confusion = c;
  m.samples = c.tp + c.tn + c.fp + c.fn + c.other;
  m.accuracy = ratio(c.tp + c.tn, m.samples);
  m.precision_1 = ratio(c.tp, c.tp + c.fp);
  m.recall_1 = ratio(c.tp, c.tp + c.fn);
  m.recall_0 = ratio(c.tn, c.tn + c.fp);
  if (m.recall_0 && m.recall_1) {
    m.balanced_accuracy = (*m.recall_0 + *m.recall_1) / 2.0;
  }
  m.f1 = ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn);
  return m;
}

BinaryMetrics binary_metrics(const std::vector<SampleScore>& samples) {
  return binary_metrics(confusion_matrix(samples));
}

} // namespace seedrun::summarize
