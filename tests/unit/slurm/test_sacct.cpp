#include "seedrun/slurm/sacct.hpp"
#include "seedrun/util/atomic_file.hpp"

#include <chrono>
#include <doctest/doctest.h>

using namespace seedrun::slurm;
using seedrun::util::parse_iso8601;

namespace {

std::string fixture(const std::string& name) {
  return seedrun::util::read_file(std::string(SEEDRUN_SOURCE_DIR) + "/tests/fixtures/slurm/" + name);
}

const SacctRow& row_with_id(const SacctParse& p, const std::string& job_id) {
  for (const auto& r : p.rows) {
    if (r.job_id == job_id) {
      return r;
    }
  }
  FAIL("no row with JobID " << job_id);
  throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("a finished job's row is read field by field") {
  auto p = parse_sacct("6|6|eval-general_eval-lowlr-ep3|FAILED|3:0|00:00:01|"
                       "2026-11-23T10:24:09|2026-11-23T10:24:10|vm\n");
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 1);
  const auto& r = p.rows[0];
  CHECK(r.job_id_raw == "6");
  CHECK(r.job_id == "6");
  CHECK(r.array_job_id.empty());
  CHECK_FALSE(r.array_task);
  CHECK(r.name == "eval-general_eval-lowlr-ep3");
  CHECK(r.state == JobState::failed);
  CHECK(r.state_text == "FAILED");
  CHECK(r.exit_code == 3);
  CHECK(r.signal == 0);
  CHECK(r.elapsed_seconds == 1.0);
  REQUIRE(r.start);
  REQUIRE(r.end);
  CHECK(*r.start == *parse_iso8601("2026-11-23T10:24:09"));
  CHECK(*r.end - *r.start == std::chrono::seconds(1));
  CHECK(r.nodelist == "vm");
  CHECK_FALSE(r.placeholder);
}

TEST_CASE("the allocation placeholder is flagged and its state is not trusted as final") {
  auto p = parse_sacct(fixture("sacct_placeholder.psv"));
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].placeholder);
  CHECK(p.rows[0].name == "allocation");
  CHECK(p.rows[0].state == JobState::pending);
  CHECK_FALSE(p.rows[0].end);
}

TEST_CASE("unstarted array tasks come as one row with the task list") {
  auto p = parse_sacct(fixture("sacct_array_pending.psv"));
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 3);
  const auto& pending = row_with_id(p, "13_[1-3%1]");
  CHECK(pending.job_id_raw == "13");
  CHECK(pending.array_job_id == "13");
  CHECK_FALSE(pending.array_task);
  CHECK(pending.pending_tasks == std::vector<int>{1, 2, 3});
  CHECK(pending.state == JobState::pending);
  CHECK(pending.nodelist.empty());
  CHECK_FALSE(pending.start);
  const auto& first = row_with_id(p, "13_0");
  CHECK(first.job_id_raw == "15");
  CHECK(first.array_task == 0);
  CHECK(first.state == JobState::completed);
  CHECK(first.elapsed_seconds == 3.0);
  const auto& running = row_with_id(p, "14");
  CHECK(running.state == JobState::running);
  CHECK(running.start);
  CHECK_FALSE(running.end);
}

TEST_CASE("captured states: cancelled before start, running last task reusing the array id") {
  auto p = parse_sacct(fixture("sacct_mixed_states.psv"));
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 6);
  const auto& cancelled = row_with_id(p, "8");
  CHECK(cancelled.state == JobState::cancelled);
  CHECK(cancelled.state_text == "CANCELLED by 0");
  CHECK_FALSE(cancelled.start); // "None"
  CHECK(cancelled.end);
  const auto& last = row_with_id(p, "5_4");
  CHECK(last.job_id_raw == "5");
  CHECK(last.array_job_id == "5");
  CHECK(last.array_task == 4);
  CHECK(last.state == JobState::running);
  CHECK(row_with_id(p, "7").state == JobState::pending);
  CHECK(row_with_id(p, "6").exit_code == 3);
}

TEST_CASE("a job killed by a signal reports the signal") {
  auto p = parse_sacct(fixture("sacct_final.psv"));
  REQUIRE(p.rows.size() == 8);
  const auto& killed = row_with_id(p, "7");
  CHECK(killed.state == JobState::failed);
  CHECK(killed.exit_code == 0);
  CHECK(killed.signal == 9);
  int completed = 0;
  for (const auto& r : p.rows) {
    completed += r.state == JobState::completed ? 1 : 0;
  }
  CHECK(completed == 5);
}

TEST_CASE("a '|' inside a job name stays in the name") {
  auto p = parse_sacct("9|9|a|b|c|COMPLETED|0:0|00:00:02|2026-11-23T10:24:03|2026-11-23T10:24:05|vm\n");
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].name == "a|b|c");
  CHECK(p.rows[0].state == JobState::completed);
}

TEST_CASE("unreadable lines are skipped and counted, the rest is kept") {
  std::string text = "garbage\n"
                     "\n"
                     "9|9|x|COMPLETED|0:0|00:00:02|Unknown|Unknown|vm\r\n"
                     "abc|abc|x|COMPLETED|0:0|00:00:02|Unknown|Unknown|vm\n"
                     "10|10|x|COMPLETED|zero|00:00:02|Unknown|Unknown|vm\n"
                     "11|11|x|COMPLETED|0:0|soon|Unknown|Unknown|vm\n"
                     "12|12|x|SOMETHING_NEW|0:0|00:00:02|Unknown|Unknown|vm";
  auto p = parse_sacct(text);
  CHECK(p.unreadable_lines == 4);
  CHECK(p.first_unreadable == "line 1: 1 fields, expected 9: garbage");
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].job_id == "9");
  CHECK(p.rows[0].nodelist == "vm");
  CHECK(p.rows[1].state == JobState::unknown);
  CHECK(p.rows[1].state_text == "SOMETHING_NEW");
}

TEST_CASE("empty output has no rows and nothing unreadable") {
  auto p = parse_sacct("");
  CHECK(p.rows.empty());
  CHECK(p.unreadable_lines == 0);
  CHECK(parse_sacct("\n\n").rows.empty());
}

TEST_CASE("with a header, the column names decide the fields") {
  auto p = parse_sacct_with_header(fixture("sacct_with_header.psv"));
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 6);
  const auto& last = row_with_id(p, "13_3");
  CHECK(last.job_id_raw == "13");
  CHECK(last.array_task == 3);
  CHECK(last.name == "seedrun-cap-lr-warmup");
  CHECK(last.elapsed_seconds == 3.0);
  CHECK(row_with_id(p, "8").state == JobState::cancelled);
}

TEST_CASE("header columns may come in any order and unknown ones are kept") {
  auto p = parse_sacct_with_header("State|NCPUS|JobID\nTIMEOUT|16|42\n");
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].job_id == "42");
  CHECK(p.rows[0].job_id_raw.empty());
  CHECK(p.rows[0].state == JobState::timeout);
  CHECK(p.rows[0].other.at("ncpus") == "16");
  CHECK(p.rows[0].exit_code == 0);
}

TEST_CASE("a first line that is not a header makes every line unreadable") {
  auto p = parse_sacct_with_header("1|COMPLETED\n2|FAILED\n");
  CHECK(p.rows.empty());
  CHECK(p.unreadable_lines == 2);
}

TEST_CASE("output without a job id column cannot be read") {
  auto p = parse_sacct_with_header("State|NCPUS\nTIMEOUT|16\n");
  CHECK(p.rows.empty());
  CHECK(p.unreadable_lines == 1);
}

TEST_CASE("explicit columns read --parsable output with its trailing '|'") {
  auto p = parse_sacct_columns("123|0:15|CANCELLED|\n123|0:15|CANCELLED|x|\n", {"jobid", "exitcode", "state"});
  REQUIRE(p.rows.size() == 1);
  CHECK(p.rows[0].signal == 15);
  CHECK(p.unreadable_lines == 1);
}

TEST_CASE("a cancelled array's unstarted tasks end as one final row") {
  auto p = parse_sacct(fixture("sacct_cancelled_array.psv"));
  CHECK(p.unreadable_lines == 0);
  REQUIRE(p.rows.size() == 2);
  CHECK(p.rows[0].array_task == 0);
  CHECK(p.rows[0].state == JobState::cancelled);
  CHECK(p.rows[0].signal == 15);
  CHECK(p.rows[1].pending_tasks == std::vector<int>{1, 2, 3});
  CHECK(p.rows[1].state == JobState::cancelled);
  CHECK(is_final(p.rows[1].state));
  CHECK(p.rows[1].nodelist.empty());
}
