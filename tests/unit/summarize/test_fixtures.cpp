// The reader against logs written by Python's zipfile/json (tests/fixtures/summarize, made by
// make_fixtures.py), a writer independent of the libzip one the other tests use.
#include "seedrun/summarize/eval_log.hpp"
#include "seedrun/summarize/eval_log_json.hpp"

#include <doctest/doctest.h>

using namespace seedrun::summarize;
using nlohmann::json;

namespace {

std::filesystem::path fixture(const std::string& name) {
  return std::filesystem::path(SEEDRUN_SOURCE_DIR) / "tests/fixtures/summarize" / name;
}

} // namespace

TEST_CASE("a Python-written .eval reads with its results, samples and checkpoint epoch") {
  EvalLog log = read_eval_log(fixture("python_binary.eval"), {.with_samples = true});
  CHECK(log.readable);
  CHECK(log.status == "success");
  CHECK(log.task == "py_task");
  CHECK(log.accuracy == 0.5);
  CHECK(log.samples == 6);
  CHECK(log.checkpoint_epoch == 2);
  CHECK(log.sample_scores.size() == 6);
}

TEST_CASE("binary metrics of the Python-written log, with numeric score values and list targets") {
  auto path = fixture("python_binary.eval");
  json expected = {{"status", "success"},
                   {"path", path.string()},
                   {"samples", 6},
                   {"accuracy", 0.5},
                   {"balanced_accuracy", 0.5833},
                   {"f1", 0.5},
                   {"precision_1", 0.5},
                   {"recall_1", 0.5},
                   {"recall_0", 0.6667},
                   {"confusion_matrix", {{"tp", 1}, {"tn", 2}, {"fp", 1}, {"fn", 1}, {"other", 1}}}};
  CHECK(eval_log_json(path, true) == expected);
}

TEST_CASE("a Python-written interrupted log reads from its journal") {
  EvalLog log = read_eval_log(fixture("python_interrupted.eval"), {.with_samples = true});
  CHECK(log.readable);
  CHECK(log.status == "started");
  CHECK_FALSE(log.accuracy);
  CHECK(log.samples == 4);
  CHECK(log.sample_scores.size() == 4); // two journal parts, in order
  CHECK(log.sample_scores[2].id == "3");
}

TEST_CASE("a Python json.dumps log with a bare NaN reads, keeping the eval's error") {
  auto j = eval_log_json(fixture("python_single.json"), false);
  CHECK(j["status"] == "error");
  CHECK(j["message"] == "KeyboardInterrupt");
  CHECK(j["accuracy"] == 0.5);
  CHECK(j["samples"] == 6);
  CHECK(j["task"] == "py_single");
}

TEST_CASE("truncated archives and foreign zips are error values") {
  auto truncated = eval_log_json(fixture("truncated.eval"), false);
  CHECK(truncated["status"] == "error");
  CHECK(truncated["message"].get<std::string>().starts_with("cannot open " + fixture("truncated.eval").string()));
  auto foreign = eval_log_json(fixture("not_a_log.eval"), true);
  CHECK(foreign["message"] ==
        fixture("not_a_log.eval").string() + ": no header.json or _journal/start.json: not an inspect-ai log");
}
