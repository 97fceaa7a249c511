// Conformance: sacct output captured by other Slurm tools' test suites
// (SEEDRUN_REALDATA_DIR/sacct, see its SOURCE.txt) must parse without a single unreadable line,
// with the states and exit codes the files say. Skipped, with a message, when the folder is absent.
#include "seedrun/slurm/sacct.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/strings.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <fmt/format.h>

using namespace seedrun::slurm;
namespace fs = std::filesystem;

namespace {

const fs::path k_dir = fs::path(SEEDRUN_REALDATA_DIR) / "sacct";

// Column lists of the files captured without a header, from SOURCE.txt.
const std::vector<std::string> k_gc3pie_columns{"jobid",  "exitcode", "state", "ncpus",  "elapsed",  "totalcpu",
                                                "submit", "start",    "end",   "maxrss", "maxvmsize"};
const std::vector<std::string> k_snakemake_columns{"JobID",  "JobName", "Comment", "Elapsed", "TotalCPU",
                                                   "NNodes", "NCPUS",   "MaxRSS",  "ReqMem"};

bool realdata_present() {
  if (!fs::is_directory(k_dir)) {
    MESSAGE("skipped: " << k_dir.string() << " is absent");
    return false;
  }
  return true;
}

std::string read(const std::string& name) {
  return seedrun::util::read_file(k_dir / name);
}

SacctParse parse_file(const fs::path& file) {
  const std::string name = file.filename().string();
  const std::string text = seedrun::util::read_file(file);
  if (name.starts_with("gc3pie__")) {
    return parse_sacct_columns(text, k_gc3pie_columns);
  }
  if (name.starts_with("snakemake__")) {
    return parse_sacct_columns(text, k_snakemake_columns);
  }
  return parse_sacct_with_header(text);
}

std::vector<std::string> data_lines(const fs::path& file) {
  std::vector<std::string> out;
  for (const auto& line : seedrun::util::split(seedrun::util::read_file(file), '\n')) {
    if (!seedrun::util::trim(line).empty()) {
      out.push_back(line);
    }
  }
  if (file.filename().string().starts_with("submitit__")) {
    out.erase(out.begin()); // header
  }
  return out;
}

} // namespace

TEST_CASE("every captured sacct file parses completely, with the states and exit codes it holds") {
  if (!realdata_present()) {
    return;
  }
  int files = 0;
  for (const auto& entry : fs::directory_iterator(k_dir)) {
    if (entry.path().extension() != ".psv") {
      continue;
    }
    ++files;
    CAPTURE(entry.path().filename().string());
    const std::string name = entry.path().filename().string();
    const bool known =
        name.starts_with("gc3pie__") || name.starts_with("snakemake__") || name.starts_with("submitit__");
    CHECK_MESSAGE(known, "no column list known for this file: add it to the test");
    auto parsed = parse_file(entry.path());
    auto lines = data_lines(entry.path());
    CHECK(parsed.unreadable_lines == 0);
    REQUIRE(parsed.rows.size() == lines.size());
    for (size_t i = 0; i < lines.size(); ++i) {
      auto fields = seedrun::util::split(lines[i], '|');
      const auto& row = parsed.rows[i];
      CHECK(row.job_id == fields[0]);
      if (name.starts_with("gc3pie__")) {
        CHECK(fmt::format("{}:{}", row.exit_code, row.signal) == fields[1]);
        CHECK(row.state_text == fields[2]);
        CHECK(fmt::format("{}", row.elapsed_seconds) == fmt::format("{}", *parse_slurm_duration(fields[4])));
      } else if (name.starts_with("submitit__")) {
        CHECK(row.state_text == fields[1]);
      }
    }
  }
  CHECK(files == 14);
}

TEST_CASE("gc3pie captures: cancelled, node failure, timeout and fractional CPU times") {
  if (!realdata_present()) {
    return;
  }
  auto cancelled = parse_sacct_columns(read("gc3pie__sacct_done_cancelled.psv"), k_gc3pie_columns);
  REQUIRE(cancelled.rows.size() == 2);
  CHECK(cancelled.rows[0].state == JobState::cancelled);
  CHECK(cancelled.rows[0].state_text == "CANCELLED by 1000");
  CHECK(cancelled.rows[1].step == "batch");
  CHECK(cancelled.rows[1].signal == 15);

  auto node_fail = parse_sacct_columns(read("gc3pie__sacct_done_node_fail.psv"), k_gc3pie_columns);
  REQUIRE(node_fail.rows.size() == 2);
  CHECK(node_fail.rows[0].state == JobState::node_fail);
  CHECK(node_fail.rows[0].exit_code == 1);
  CHECK(node_fail.rows[0].elapsed_seconds == 4907.0);
  CHECK(node_fail.rows[1].exit_code == -2);
  CHECK(node_fail.rows[1].step == "0");

  auto timeout = parse_sacct_columns(read("gc3pie__sacct_done_timeout.psv"), k_gc3pie_columns);
  REQUIRE(timeout.rows.size() == 2);
  CHECK(timeout.rows[0].state == JobState::timeout);
  CHECK(timeout.rows[0].signal == 1);
  CHECK(timeout.rows[0].elapsed_seconds == 71.0);

  auto running = parse_sacct_columns(read("gc3pie__sacct_almost_done.psv"), k_gc3pie_columns);
  REQUIRE(running.rows.size() == 2);
  CHECK(running.rows[0].state == JobState::running);
  CHECK(running.rows[0].start);
  CHECK_FALSE(running.rows[0].end);

  auto rusage = parse_sacct_columns(read("gc3pie__sacct_done_fractional_rusage.psv"), k_gc3pie_columns);
  REQUIRE(rusage.rows.size() == 12);
  CHECK(rusage.rows[0].other.at("totalcpu") == "58:10.420");
  CHECK(parse_slurm_duration(rusage.rows[0].other.at("totalcpu")) == doctest::Approx(3490.42));
  CHECK(rusage.rows[11].job_id == "123.9");
  CHECK(rusage.rows[11].other.at("maxrss") == "72.50M");
  CHECK(rusage.rows[0].elapsed_seconds == 449.0);

  auto relative = parse_sacct_columns(read("gc3pie__sacct_done_relative_timestamps.psv"), k_gc3pie_columns);
  REQUIRE(relative.rows.size() == 2);
  CHECK_FALSE(relative.rows[0].start); // "4 Sep 11:18" has no year: not a time we can place
  CHECK(relative.rows[0].state == JobState::completed);
}

TEST_CASE("snakemake capture: names, comments and elapsed without state columns") {
  if (!realdata_present()) {
    return;
  }
  auto p = parse_sacct_columns(read("snakemake__test_parse_sacct_data.psv"), k_snakemake_columns);
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 6);
  CHECK(p.rows[0].job_id == "10294159");
  CHECK(p.rows[0].name == "b10191d0-6985-4c3a-8ccb-aa7d23ebffc7");
  CHECK(p.rows[0].other.at("comment") == "rule_bam_bwa_mem_mosdepth_simulate_reads");
  CHECK(p.rows[0].elapsed_seconds == 91.0);
  CHECK(p.rows[0].state == JobState::unknown);
  CHECK(p.rows[0].state_text.empty());
  CHECK(p.rows[2].step == "0");
  CHECK(p.rows[2].name == "python3.12");
  CHECK(p.rows[3].job_id == "10294160");
  CHECK(p.rows[3].elapsed_seconds == 90.0);
}

TEST_CASE("submitit captures: pending array ranges, truncated steps and misspelt states") {
  if (!realdata_present()) {
    return;
  }
  auto info = parse_sacct_with_header(read("submitit__test_read_info.psv"));
  CHECK(info.unreadable_lines == 0);
  REQUIRE(info.rows.size() == 5);
  CHECK(info.rows[0].state == JobState::running);
  CHECK(info.rows[1].step == "ext+");
  CHECK(info.rows[2].state == JobState::unknown);
  CHECK(info.rows[2].state_text == "RUNING");
  CHECK(info.rows[3].array_job_id == "20956421");
  CHECK(info.rows[3].array_task == 0);
  CHECK(info.rows[4].pending_tasks == std::vector<int>{2, 3, 4});
  CHECK(info.rows[4].state == JobState::pending);

  auto array = parse_sacct_with_header(read("submitit__test_read_info_array.psv"));
  CHECK(array.unreadable_lines == 0);
  REQUIRE(array.rows.size() == 2);
  CHECK(array.rows[0].array_task == 0);
  CHECK(array.rows[0].state_text == "R");
  CHECK(array.rows[1].pending_tasks == std::vector<int>{2, 4, 5, 6, 7, 8, 9, 10, 11, 12});
  CHECK(array.rows[1].state == JobState::unknown);
}
