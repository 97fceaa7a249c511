#include "seedrun/summarize/binary_metrics.hpp"

#include <doctest/doctest.h>

using namespace seedrun::summarize;
using nlohmann::json;

namespace {

SampleScore sample(const json& target, const json& value, const json& answer = nullptr) {
  SampleScore s;
  s.target = target;
  s.value = value;
  s.answer = answer;
  return s;
}

} // namespace

TEST_CASE("binary labels are 0/1, \"0\"/\"1\", true/false in their usual spellings") {
  CHECK(binary_label(0) == 0);
  CHECK(binary_label(1) == 1);
  CHECK(binary_label(1.0) == 1);
  CHECK(binary_label("0") == 0);
  CHECK(binary_label(" 1\n") == 1);
  CHECK(binary_label(true) == 1);
  CHECK(binary_label(false) == 0);
  CHECK(binary_label("True") == 1);
  CHECK(binary_label("false") == 0);
  CHECK(binary_label(json::array({"1"})) == 1);
  CHECK_FALSE(binary_label(2));
  CHECK_FALSE(binary_label(0.5));
  CHECK_FALSE(binary_label("A"));
  CHECK_FALSE(binary_label("C"));
  CHECK_FALSE(binary_label(nullptr));
  CHECK_FALSE(binary_label(json::array({"0", "1"})));
}

TEST_CASE("the prediction is the binary answer, else target or its opposite by correctness") {
  CHECK(predicted_label(sample("1", "I", "0")) == 0);
  CHECK(predicted_label(sample("0", "C", "1")) == 1); // the answer wins over a disagreeing value
  CHECK(predicted_label(sample("1", "C", "The answer is 1")) == 1);
  CHECK(predicted_label(sample("1", "I")) == 0);
  CHECK(predicted_label(sample("0", "I")) == 1);
  CHECK(predicted_label(sample(0, 1)) == 0);
  CHECK(predicted_label(sample(1, false)) == 0);
  CHECK(predicted_label(sample(true, "1")) == 1);
  CHECK(predicted_label(sample("1", "I", "")) == 0);
  CHECK_FALSE(predicted_label(sample("1", "I", "maybe"))); // said something, but not the other class
  CHECK_FALSE(predicted_label(sample("1", "P")));
  CHECK_FALSE(predicted_label(sample("1", "N")));
  CHECK_FALSE(predicted_label(sample("1", nullptr)));
  CHECK_FALSE(predicted_label(sample("A", "C")));
}

TEST_CASE("a task is binary when every target is a binary label") {
  CHECK(is_binary_task({sample("0", "C"), sample(1, "I"), sample(true, "C")}));
  CHECK_FALSE(is_binary_task({sample("0", "C"), sample("A", "C")}));
  CHECK_FALSE(is_binary_task({}));
}

TEST_CASE("confusion matrix and metrics match hand-computed values") {
  // targets:     1 1 1 1 0 0 0 0 0 1
  // predictions: 1 1 1 0 0 0 0 1 ? 1   (? = partial credit, no prediction)
  std::vector<SampleScore> s = {sample("1", "C"), sample("1", "C"), sample("1", "C"), sample("1", "I"),
                                sample("0", "C"), sample("0", "C"), sample("0", "C"), sample("0", "I"),
                                sample("0", "P"), sample("1", "C")};
  auto m = binary_metrics(s);
  CHECK(m.confusion == ConfusionMatrix{4, 3, 1, 1, 1});
  CHECK(m.samples == 10);
  CHECK(*m.accuracy == doctest::Approx(0.7));
  CHECK(*m.precision_1 == doctest::Approx(0.8));
  CHECK(*m.recall_1 == doctest::Approx(0.8));
  CHECK(*m.recall_0 == doctest::Approx(0.75));
  CHECK(*m.balanced_accuracy == doctest::Approx(0.775));
  CHECK(*m.f1 == doctest::Approx(0.8));
}

TEST_CASE("undefined metrics are nullopt, never NaN") {
  SUBCASE("no samples") {
    auto m = binary_metrics(std::vector<SampleScore>{});
    CHECK_FALSE(m.accuracy);
    CHECK_FALSE(m.balanced_accuracy);
    CHECK_FALSE(m.f1);
    CHECK_FALSE(m.precision_1);
    CHECK_FALSE(m.recall_1);
    CHECK_FALSE(m.recall_0);
  }
  SUBCASE("only negatives, all predicted negative") {
    auto m = binary_metrics(ConfusionMatrix{0, 5, 0, 0, 0});
    CHECK(*m.accuracy == 1.0);
    CHECK(*m.recall_0 == 1.0);
    CHECK_FALSE(m.recall_1);          // no positive targets
    CHECK_FALSE(m.precision_1);       // nothing predicted positive
    CHECK_FALSE(m.balanced_accuracy); // needs both classes
    CHECK_FALSE(m.f1);                // 0/0
  }
  SUBCASE("positives never predicted") {
    auto m = binary_metrics(ConfusionMatrix{0, 3, 0, 2, 0});
    CHECK(*m.recall_1 == 0.0);
    CHECK_FALSE(m.precision_1);
    CHECK(*m.f1 == 0.0);
    CHECK(*m.balanced_accuracy == doctest::Approx(0.5));
  }
}
