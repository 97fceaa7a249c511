#include <doctest/doctest.h>

#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/eval_log_json.hpp"

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

TEST_CASE("eval_log_json gives parse_eval_log.py's fields") {
  TempDir tmp;
  auto path = tmp.path() / "cap.eval";
  write_eval(path, eval_header("capitalization", "success", 0.85, 100, 100), {});

  json expected = {{"status", "success"}, {"task", "capitalization"}, {"accuracy", 0.85}, {"samples", 100},
                   {"scorer", "match"},   {"model", "hf/local"},        {"path", path.string()}};
  CHECK(eval_log_json(path, false) == expected);
}

TEST_CASE("eval_log_json reports a log without accuracy with null accuracy and scorer") {
  TempDir tmp;
  auto path = tmp.path() / "started.eval";
  write_eval(path, nullptr, {});
  auto j = eval_log_json(path, false);
  CHECK(j["status"] == "started");
  CHECK(j["accuracy"].is_null());
  CHECK(j["scorer"].is_null());
  CHECK(j["samples"] == 0);
}

TEST_CASE("eval_log_json with binary gives summary_binary.py's fields, rounded to 4 decimals") {
  TempDir tmp;
  auto path = tmp.path() / "bin.eval";
  // tp=2 (1,1) fn=1 (1->0) tn=2 fp=1 (0->1) other=1 (1->"maybe")
  write_eval(path, eval_header("bin", "success", 4.0 / 7.0, 7, 7),
             binary_records({"1", "1", "1", "0", "0", "0", "1"}, {"1", "1", "0", "0", "0", "1", "maybe"}));

  json expected = {{"status", "success"},
                   {"path", path.string()},
                   {"samples", 7},
                   {"accuracy", 0.5714},
                   {"balanced_accuracy", 0.6667},
                   {"f1", 0.6667},
                   {"precision_1", 0.6667},
                   {"recall_1", 0.6667},
                   {"recall_0", 0.6667},
                   {"confusion_matrix", {{"tp", 2}, {"tn", 2}, {"fp", 1}, {"fn", 1}, {"other", 1}}}};
  CHECK(eval_log_json(path, true) == expected);
}

TEST_CASE("eval_log_json with binary reports undefined metrics as null") {
  TempDir tmp;
  auto path = tmp.path() / "neg.eval";
  write_eval(path, eval_header("neg", "success", 1.0, 2, 2), binary_records({"0", "0"}, {"0", "0"}));
  auto j = eval_log_json(path, true);
  CHECK(j["accuracy"] == 1.0);
  CHECK(j["recall_0"] == 1.0);
  CHECK(j["balanced_accuracy"].is_null());
  CHECK(j["f1"].is_null());
  CHECK(j["precision_1"].is_null());
  CHECK(j["recall_1"].is_null());
}

TEST_CASE("eval_log_json returns status error with a message for what it cannot read") {
  TempDir tmp;
  auto path = tmp.path() / "junk.eval";
  write_text(path, "junk");
  json expected = {{"status", "error"},
                   {"message", path.string() + ": neither a ZIP archive (.eval) nor a JSON log"},
                   {"path", path.string()}};
  CHECK(eval_log_json(path, false) == expected);
  CHECK(eval_log_json(path, true) == expected);

  auto empty = tmp.path() / "empty.eval";
  write_eval(empty, eval_header("t", "success", 1.0, 0, 0), {});
  auto j = eval_log_json(empty, true);
  CHECK(j["status"] == "error");
  CHECK(j["message"] == "No samples in " + empty.string());
}
