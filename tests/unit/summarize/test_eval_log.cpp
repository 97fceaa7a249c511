#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/eval_log.hpp"

#include <doctest/doctest.h>

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

TEST_CASE("a finished .eval log gives status, task, model, accuracy, samples and scorer") {
  TempDir tmp;
  auto path = tmp.path() / "2026-01-05T10-00-00+00-00_capitalization_abc.eval";
  write_eval(path, eval_header("capitalization", "success", 0.75, 4, 4),
             binary_records({"1", "0", "1", "0"}, {"1", "0", "0", "0"}));

  EvalLog log = read_eval_log(path);
  CHECK(log.readable);
  CHECK(log.status == "success");
  CHECK(log.task == "capitalization");
  CHECK(log.model == "hf/local");
  CHECK(log.scorer == "match");
  REQUIRE(log.accuracy);
  CHECK(*log.accuracy == 0.75);
  CHECK(log.samples == 4);
  CHECK(log.total_samples == 4);
  CHECK(log.created == "2026-01-05T10:00:00+00:00");
  CHECK(log.message.empty());
  CHECK_FALSE(log.samples_loaded);
  CHECK(log.sample_scores.empty());
}

TEST_CASE("with samples, each sample's target, score value and answer are read") {
  TempDir tmp;
  auto path = tmp.path() / "a.eval";
  write_eval(path, eval_header("t", "success", 0.5, 2, 2), binary_records({"1", "0"}, {"1", "1"}));

  SUBCASE("from summaries.json") {}
  SUBCASE("from samples/*.json when there is no summaries.json") {
    write_eval(path, eval_header("t", "success", 0.5, 2, 2), binary_records({"1", "0"}, {"1", "1"}), false);
  }
  EvalLog log = read_eval_log(path, {.with_samples = true});
  REQUIRE(log.samples_loaded);
  REQUIRE(log.sample_scores.size() == 2);
  CHECK(log.sample_scores[0].id == "1");
  CHECK(log.sample_scores[0].epoch == 1);
  CHECK(log.sample_scores[0].target == "1");
  CHECK(log.sample_scores[0].value == "C");
  CHECK(log.sample_scores[0].answer == "1");
  CHECK(log.sample_scores[1].target == "0");
  CHECK(log.sample_scores[1].value == "I");
  CHECK(log.sample_scores[1].answer == "1");
}

TEST_CASE("an interrupted log without header.json reads as started, from the journal") {
  TempDir tmp;
  auto path = tmp.path() / "interrupted.eval";
  write_eval(path, nullptr, binary_records({"1", "0", "1"}, {"1", "0", "0"}));

  EvalLog log = read_eval_log(path, {.with_samples = true});
  CHECK(log.readable);
  CHECK(log.status == "started");
  CHECK(log.task == "interrupted_task");
  CHECK_FALSE(log.accuracy);
  CHECK(log.scorer.empty());
  CHECK(log.samples == 3); // the samples written so far
  CHECK(log.samples_loaded);
  CHECK(log.sample_scores.size() == 3);

  EvalLog quick = read_eval_log(path);
  CHECK(quick.samples == 3); // counted from samples/ members without parsing them
}

TEST_CASE("the older single-file JSON log is read too") {
  TempDir tmp;
  auto path = tmp.path() / "old.json";
  json doc = eval_header("popularity", "cancelled", 2.0 / 3.0, 3, 5);
  doc["samples"] = json::array({sample_record(1, 1, "1", "C", nullptr), sample_record(2, 1, "0", "C", nullptr),
                                sample_record(3, 1, "1", "I", nullptr)});
  write_text(path, doc.dump(2));

  EvalLog log = read_eval_log(path, {.with_samples = true});
  CHECK(log.readable);
  CHECK(log.status == "cancelled");
  CHECK(log.task == "popularity");
  CHECK(log.accuracy == doctest::Approx(2.0 / 3.0));
  CHECK(log.samples == 3);
  CHECK(log.total_samples == 5);
  CHECK(log.sample_scores.size() == 3);
}

TEST_CASE("accuracy comes from the first scorer that reports one, and that scorer is named") {
  TempDir tmp;
  auto path = tmp.path() / "two.eval";
  json header = eval_header("t", "success", std::nullopt, 10, 10, json::object(), "first");
  header["results"]["scores"].push_back(
      {{"name", "second"}, {"metrics", {{"accuracy", {{"name", "accuracy"}, {"value", 0.4}}}}}});
  write_eval(path, header, {});

  EvalLog log = read_eval_log(path);
  CHECK(log.scorer == "second");
  CHECK(log.accuracy == 0.4);
}

TEST_CASE("a log whose eval failed keeps status error and the eval's own message") {
  TempDir tmp;
  auto path = tmp.path() / "failed.eval";
  json header = eval_header("t", "error", std::nullopt, 0, 10);
  header.erase("results");
  header["error"] = {{"message", "RuntimeError('CUDA out of memory')"}, {"traceback", "..."}};
  write_eval(path, header, {});

  EvalLog log = read_eval_log(path);
  CHECK(log.readable);
  CHECK(log.status == "error");
  CHECK(log.message == "RuntimeError('CUDA out of memory')");
  CHECK_FALSE(log.accuracy);
  CHECK(log.samples == 0);
}

TEST_CASE("files that are not readable logs become error values") {
  TempDir tmp;
  auto path = tmp.path() / "bad.eval";

  SUBCASE("missing") {
    EvalLog log = read_eval_log(path);
    CHECK_FALSE(log.readable);
    CHECK(log.status == "error");
    CHECK(log.message == "File not found: " + path.string());
  }
  SUBCASE("neither zip nor json") {
    write_text(path, "plain text");
    EvalLog log = read_eval_log(path);
    CHECK_FALSE(log.readable);
    CHECK(log.message == path.string() + ": neither a ZIP archive (.eval) nor a JSON log");
  }
  SUBCASE("a zip with a corrupt header.json") {
    REQUIRE(write_zip_archive(path, {{"header.json", "{\"status\": \"success\", "}}).empty());
    EvalLog log = read_eval_log(path);
    CHECK_FALSE(log.readable);
    CHECK(log.message.starts_with(path.string() + ": member header.json: invalid JSON: "));
  }
  SUBCASE("a zip that is not an inspect-ai log") {
    REQUIRE(write_zip_archive(path, {{"readme.txt", "hi"}}).empty());
    EvalLog log = read_eval_log(path);
    CHECK_FALSE(log.readable);
    CHECK(log.message == path.string() + ": no header.json or _journal/start.json: not an inspect-ai log");
  }
  SUBCASE("json without an eval object") {
    write_text(path, "{\"status\": \"success\"}");
    EvalLog log = read_eval_log(path);
    CHECK_FALSE(log.readable);
    CHECK(log.message == path.string() + ": no 'eval' object: not an inspect-ai log");
  }
  SUBCASE("an empty file") {
    write_text(path, "");
    CHECK_FALSE(read_eval_log(path).readable);
  }
}

TEST_CASE("Python's NaN and Infinity literals read as null instead of failing the log") {
  TempDir tmp;
  auto path = tmp.path() / "nan.json";
  std::string text = eval_header("t", "success", 1.0, 1, 1).dump();
  auto at = text.find("0.1"); // the stderr value
  REQUIRE(at != std::string::npos);
  text.replace(at, 3, "NaN");
  write_text(path, text);

  EvalLog log = read_eval_log(path);
  CHECK(log.readable);
  CHECK(log.accuracy == 1.0);
}

TEST_CASE("the training epoch of the evaluated checkpoint is found in the eval spec") {
  CHECK(epoch_in_text("/scratch/out/ck-out-rank4/epoch_3") == 3);
  CHECK(epoch_in_text("epoch-12/model") == 12);
  CHECK(epoch_in_text("epoch_1/x/epoch_2") == 2);
  CHECK_FALSE(epoch_in_text("epochs_total"));
  CHECK_FALSE(epoch_in_text("hf/local"));

  TempDir tmp;
  auto path = tmp.path() / "e.eval";
  write_eval(path, eval_header("t", "success", 0.5, 2, 2, {{"model_path", "/out/ck-out-r1/epoch_1"}}), {});
  CHECK(read_eval_log(path).checkpoint_epoch == 1);
}

// Issue 9, item 4: 300,000 nested brackets in 789 bytes of ZIP crashed eval-log, summarize and
// analyze (a recursive walk of the parsed tree ran out of stack). Nesting is refused while
// parsing, before any tree that deep exists.
TEST_CASE("deeply nested JSON in a log is refused with a message, not a crash") {
  TempDir tmp;
  const std::string deep = std::string(300000, '[') + std::string(300000, ']');
  const std::string open_only(300000, '[');

  SUBCASE("in header.json of a .eval, balanced, where the epoch is looked for") {
    auto path = tmp.path() / "deep.eval";
    std::string header = R"({"status": "success", "eval": {"task": "t", "model": "m", "model_args": )" + deep + "}}";
    REQUIRE(write_zip_archive(path, {{"header.json", header}}).empty());
    CHECK(std::filesystem::file_size(path) < 4096); // a small file, as in the report
    for (bool with_samples : {false, true}) {
      EvalLog log = read_eval_log(path, {.with_samples = with_samples});
      CHECK_FALSE(log.readable);
      CHECK(log.status == "error");
      CHECK(log.message == path.string() + ": member header.json: invalid JSON: nesting deeper than 256 levels of "
                                           "arrays and objects");
    }
  }
  SUBCASE("in header.json, never closed") {
    auto path = tmp.path() / "open.eval";
    REQUIRE(write_zip_archive(path, {{"header.json", open_only}}).empty());
    EvalLog log = read_eval_log(path);
    CHECK_FALSE(log.readable);
    CHECK(log.message.find("nesting deeper than 256 levels") != std::string::npos);
  }
  SUBCASE("in a sample member, with samples") {
    auto path = tmp.path() / "sample.eval";
    json header = eval_header("t", "success", 1.0, 1, 1);
    REQUIRE(write_zip_archive(path, {{"header.json", header.dump()},
                                     {"samples/1_epoch_1.json", R"({"id": 1, "target": )" + deep + "}"}})
                .empty());
    EvalLog log = read_eval_log(path, {.with_samples = true});
    CHECK(log.readable); // the header is fine
    CHECK_FALSE(log.samples_loaded);
    CHECK(log.message.find("samples/1_epoch_1.json: invalid JSON: nesting deeper than 256") != std::string::npos);
  }
  SUBCASE("in a single-file .json log") {
    auto path = tmp.path() / "deep.json";
    write_text(path, R"({"eval": {"task": "t"}, "samples": )" + deep + "}");
    EvalLog log = read_eval_log(path, {.with_samples = true});
    CHECK_FALSE(log.readable);
    CHECK(log.message.find("nesting deeper than 256 levels") != std::string::npos);
  }
  SUBCASE("with NaN literals too (the second parse is bounded as well)") {
    auto path = tmp.path() / "nan.json";
    write_text(path, R"({"x": NaN, "eval": {"task": "t"}, "samples": )" + deep + "}");
    CHECK_FALSE(read_eval_log(path).readable);
  }
}

TEST_CASE("nesting up to the limit still reads") {
  TempDir tmp;
  auto path = tmp.path() / "ok.json";
  // the header object, eval, and 254 arrays in model_args: 256 levels
  std::string args = std::string(254, '[') + "\"/ck/epoch_4\"" + std::string(254, ']');
  write_text(path, R"({"status": "success", "eval": {"task": "t", "model": "m", "model_args": )" + args + "}}");
  EvalLog log = read_eval_log(path);
  CHECK(log.readable);
  CHECK(log.checkpoint_epoch == 4);
  write_text(path, R"({"status": "success", "eval": {"task": "t", "model_args": [)" + args + "]}}");
  CHECK_FALSE(read_eval_log(path).readable); // 257
}

// Issue 9, item 6b: a journal part named with 20+ digits overflowed a hand-rolled integer parse.
TEST_CASE("journal part numbers are read with range checks, and huge ones sort after the rest") {
  CHECK(journal_part_number("_journal/summaries/12.json") == 12ULL);
  CHECK(journal_part_number("_journal/summaries/0.json") == 0ULL);
  CHECK(journal_part_number("_journal/summaries/18446744073709551615.json") == 18446744073709551615ULL);
  CHECK_FALSE(journal_part_number("_journal/summaries/18446744073709551616.json"));
  CHECK_FALSE(journal_part_number("_journal/summaries/99999999999999999999999999.json"));
  CHECK_FALSE(journal_part_number("_journal/summaries/-1.json"));
  CHECK_FALSE(journal_part_number("_journal/summaries/x1.json"));
  CHECK_FALSE(journal_part_number("_journal/summaries/.json"));

  TempDir tmp;
  auto path = tmp.path() / "journal.eval";
  auto part = [](int id, const char* target) {
    return json::array({sample_record(id, 1, target, "C", target)}).dump();
  };
  REQUIRE(write_zip_archive(path, {{"_journal/start.json", json{{"eval", eval_spec("t", "m")}}.dump()},
                                   {"_journal/summaries/99999999999999999999999.json", part(3, "1")},
                                   {"_journal/summaries/10.json", part(2, "0")},
                                   {"_journal/summaries/9.json", part(1, "1")}})
              .empty());
  EvalLog log = read_eval_log(path, {.with_samples = true});
  REQUIRE(log.readable);
  CHECK(log.status == "started");
  REQUIRE(log.sample_scores.size() == 3);
  CHECK(log.sample_scores[0].id == "1");
  CHECK(log.sample_scores[1].id == "2");
  CHECK(log.sample_scores[2].id == "3");
}

TEST_CASE("a single-file JSON log larger than the limit is refused by its size, not loaded") {
  TempDir tmp;
  auto path = tmp.path() / "huge.json";
  write_text(path, "{\"eval\": {\"task\": \"t\"}, \"pad\": \"");
  std::filesystem::resize_file(path, k_max_json_log_bytes + 1); // sparse: no disk, no memory
  EvalLog log = read_eval_log(path);
  CHECK_FALSE(log.readable);
  CHECK(log.message == path.string() + ": 1073741825 bytes, more than the 1073741824 a single-file JSON log may have");
}
