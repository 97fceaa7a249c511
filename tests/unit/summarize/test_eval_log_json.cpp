#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/eval_log_json.hpp"
#include "seedrun/util/json.hpp"

#include <doctest/doctest.h>

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

TEST_CASE("eval_log_json gives parse_eval_log.py's fields") {
  TempDir tmp;
  auto path = tmp.path() / "cap.eval";
  write_eval(path, eval_header("capitalization", "success", 0.85, 100, 100), {});

  json expected = {{"status", "success"}, {"task", "capitalization"}, {"accuracy", 0.85},     {"samples", 100},
                   {"scorer", "match"},   {"model", "hf/local"},      {"path", path.string()}};
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

// Issue 10, item 8: multiple-choice targets ("A".."D") gave accuracy 0.0 with "success".
TEST_CASE("eval_log_json with binary on a task whose targets are not 0/1 says it is not binary") {
  TempDir tmp;
  auto path = tmp.path() / "mc.eval";
  write_eval(path, eval_header("inspect_evals/mmlu_0_shot", "success", 0.5, 2, 2),
             {sample_record(1, 1, "A", "C", "A"), sample_record(2, 1, "C", "I", "B")});
  json j = eval_log_json(path, true);
  CHECK(j["status"] == "not_binary");
  CHECK(j["non_binary_targets"] == 2);
  CHECK(j["samples"] == 2);
  CHECK_FALSE(j.contains("accuracy"));
  CHECK(j["message"] == path.string() +
                            ": task 'inspect_evals/mmlu_0_shot' is not binary: 2 of 2 targets are not 0/1 labels, e.g. "
                            "\"A\" (sample 1); use eval-log without --binary");

  SUBCASE("one non-label target among labels is enough") {
    write_eval(path, eval_header("t", "success", 0.5, 3, 3),
               {sample_record(1, 1, "1", "C", "1"), sample_record(2, 1, "0", "C", "0"),
                sample_record(3, 1, "maybe", "I", "1")});
    json k = eval_log_json(path, true);
    CHECK(k["status"] == "not_binary");
    CHECK(k["non_binary_targets"] == 1);
  }
  SUBCASE("without --binary the same log is a success with its accuracy") {
    json k = eval_log_json(path, false);
    CHECK(k["status"] == "success");
    CHECK(k["accuracy"] == 0.5);
  }
}

// Issue 9, item 5: invalid UTF-8 in a file name or a cut log made the JSON unprintable
// (nlohmann's dump throws type_error.316); util::dump_json replaces it with U+FFFD.
TEST_CASE("eval-log JSON prints for a Latin-1 file name and for a log cut mid-character") {
  TempDir tmp;
  const std::string replacement = "\xef\xbf\xbd";

  SUBCASE("a Latin-1 file name") {
    auto path = tmp.path() / "caf\xe9.eval";
    write_eval(path, eval_header("t", "success", 1.0, 1, 1), binary_records({"1"}, {"1"}));
    for (bool binary : {false, true}) {
      json j = eval_log_json(path, binary);
      CHECK(j["status"] == "success");
      CHECK_THROWS_AS((void)j.dump(), json::type_error); // what `eval-log --json` printed before: nothing
      std::string text = seedrun::util::dump_json(j, 2);
      CHECK(text.find("caf" + replacement + ".eval") != std::string::npos);
      CHECK(json::parse(text)["status"] == "success");
    }
  }
  SUBCASE("a JSON log cut in the middle of a two-byte character") {
    auto path = tmp.path() / "cut.json";
    std::string text = eval_header("caf\xc3\xa9", "success", 1.0, 1, 1).dump();
    text = text.substr(0, text.find("\xc3\xa9") + 1); // ends after the first byte of é
    write_text(path, text);
    json j = eval_log_json(path, false);
    CHECK(j["status"] == "error");
    std::string printed = seedrun::util::dump_json(j, 2);
    CHECK(json::parse(printed)["status"] == "error");
  }
  SUBCASE("a string member with invalid UTF-8 inside a .eval") {
    auto path = tmp.path() / "bad.eval";
    std::string header = eval_header("t", "success", 1.0, 1, 1).dump();
    header.replace(header.find("\"hf/local\""), 10, "\"hf/\xff\xfe\"");
    REQUIRE(write_zip_archive(path, {{"header.json", header}}).empty());
    json j = eval_log_json(path, false);
    CHECK(j["status"] == "error");
    CHECK(json::parse(seedrun::util::dump_json(j))["status"] == "error");
  }
}
