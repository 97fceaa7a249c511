// Conformance: the readers against real files written by real tools (inspect-ai logs from public
// repositories, SLURM outputs of real training jobs) in SEEDRUN_REALDATA_DIR, which the
// repository does not contain. Every expectation is derived from the file itself, through a
// different path than the reader under test (plain nlohmann parsing, std::regex).
#include "../../fixtures/summarize/eval_fixture.hpp"
#include "seedrun/summarize/eval_log.hpp"
#include "seedrun/summarize/eval_log_json.hpp"
#include "seedrun/summarize/training_log.hpp"
#include "seedrun/summarize/zip_archive.hpp"

#include <doctest/doctest.h>
#include <regex>

using namespace seedrun::summarize;
using namespace seedrun::summarize::testing;

namespace {

std::vector<std::filesystem::path> realdata_files(const std::string& folder) {
  std::vector<std::filesystem::path> files;
  std::filesystem::path dir = std::filesystem::path(SEEDRUN_REALDATA_DIR) / folder;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().filename() != "SOURCE.txt") {
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The header JSON of a log, read without the reader under test's JSON logic.
json own_header(const std::filesystem::path& path) {
  if (path.extension() == ".json") {
    return json::parse(read_text(path));
  }
  std::string error;
  auto zip = ZipArchive::open(path, error);
  REQUIRE_MESSAGE(zip, error);
  auto member = zip->read("header.json");
  REQUIRE_MESSAGE(member.data, member.error);
  return json::parse(*member.data);
}

// True when every sample target in the log is 0/1, "0"/"1" or true/false, judged on the log's
// own sample records (summaries.json, or samples[] of a .json log) with plain nlohmann parsing.
bool own_targets_binary(const std::filesystem::path& path) {
  json records;
  if (path.extension() == ".json") {
    records = json::parse(read_text(path))["samples"];
  } else {
    std::string error;
    auto zip = ZipArchive::open(path, error);
    REQUIRE_MESSAGE(zip, error);
    auto member = zip->read("summaries.json");
    REQUIRE_MESSAGE(member.data, member.error);
    records = json::parse(*member.data);
  }
  REQUIRE(records.is_array());
  for (const auto& r : records) {
    const json& t = r["target"];
    bool label = t.is_boolean() || (t.is_number() && (t == 0 || t == 1)) ||
                 (t.is_string() && (t == "0" || t == "1" || t == "true" || t == "false"));
    if (!label) {
      return false;
    }
  }
  return !records.empty();
}

} // namespace

TEST_CASE("conformance: real inspect-ai logs read with the accuracy and samples they state") {
  auto files = realdata_files("inspect");
  if (files.empty()) {
    MESSAGE("skipped: no inspect-ai logs in " SEEDRUN_REALDATA_DIR "/inspect");
    return;
  }
  for (const auto& path : files) {
    CAPTURE(path);
    json header = own_header(path);
    const json& score = header["results"]["scores"][0];
    EvalLog log = read_eval_log(path, {.with_samples = true});
    CHECK(log.readable);
    CHECK(log.status == header["status"].get<std::string>());
    CHECK(log.task == header["eval"]["task"].get<std::string>());
    CHECK(log.model == header["eval"]["model"].get<std::string>());
    CHECK(log.scorer == score["name"].get<std::string>());
    CHECK(log.accuracy == score["metrics"]["accuracy"]["value"].get<double>());
    CHECK(log.samples == header["results"]["completed_samples"].get<long long>());
    CHECK(log.samples_loaded);
    CHECK(static_cast<long long>(log.sample_scores.size()) == header["results"]["completed_samples"].get<long long>());

    json j = eval_log_json(path, false);
    CHECK(j["accuracy"] == score["metrics"]["accuracy"]["value"]);
    CHECK(j["samples"] == header["results"]["completed_samples"]);
    // --binary: metrics when every target is a 0/1 label, otherwise "not_binary" (never a
    // "success" with accuracy 0 for "A".."D" or " Yes"/" No" targets)
    json b = eval_log_json(path, true);
    CHECK(b["status"] == (own_targets_binary(path) ? "success" : "not_binary"));
  }
}

TEST_CASE("conformance: real SLURM outputs parse without surprises") {
  auto files = realdata_files("slurm");
  if (files.empty()) {
    MESSAGE("skipped: no SLURM outputs in " SEEDRUN_REALDATA_DIR "/slurm");
    return;
  }
  const std::regex loss(R"((\d+)\|(\d+)\|Loss: ([0-9.]+))");
  for (const auto& path : files) {
    CAPTURE(path);
    std::string text = read_text(path);
    std::string error;
    auto log = read_training_log(path, error);
    REQUIRE(log);
    CHECK(log->cancelled == (text.find("CANCELLED AT") != std::string::npos));
    CHECK(log->time_limit == (text.find("DUE TO TIME LIMIT") != std::string::npos));
    CHECK(log->traceback == (text.find("Traceback (most recent call last):") != std::string::npos));

    std::optional<LossPoint> last;
    for (std::sregex_iterator it(text.begin(), text.end(), loss), end; it != end; ++it) {
      last = LossPoint{std::stoll((*it)[1]), std::stoll((*it)[2]), std::stod((*it)[3])};
    }
    CHECK(log->last == last);
  }
}
