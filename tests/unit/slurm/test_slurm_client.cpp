// The real SlurmClient against fake sbatch/sacct/squeue/scancel scripts written into a temp
// directory: each records its arguments (one per line) and prints what the test asks for.
#include "seedrun/slurm/slurm_client.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <random>

using namespace seedrun::slurm;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

class FakeSlurm {
public:
  FakeSlurm() {
    std::random_device rd;
    m_dir = fs::temp_directory_path() / ("seedrun-slurm-client-" + std::to_string(rd()));
    fs::create_directories(m_dir);
    m_runner = seedrun::exec::make_process_runner();
  }
  ~FakeSlurm() {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
  FakeSlurm(const FakeSlurm&) = delete;
  FakeSlurm& operator=(const FakeSlurm&) = delete;

  // Writes fake_<program>: records "$@" and the cwd, then runs `body` (sh).
  void program(const std::string& name, const std::string& body) {
    fs::path p = m_dir / ("fake_" + name);
    seedrun::util::write_file_atomic(p, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + (m_dir / (name + ".args")).string() +
                                            "'\npwd > '" + (m_dir / (name + ".cwd")).string() + "'\n" + body + "\n");
    fs::permissions(p, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec);
  }
  std::vector<std::string> args(const std::string& name) const {
    auto lines = seedrun::util::split(seedrun::util::read_file(m_dir / (name + ".args")), '\n');
    lines.pop_back(); // after the last newline
    return lines;
  }
  bool ran(const std::string& name) const { return fs::exists(m_dir / (name + ".args")); }
  std::string cwd(const std::string& name) const {
    return seedrun::util::trim(seedrun::util::read_file(m_dir / (name + ".cwd")));
  }
  const fs::path& dir() const { return m_dir; }

  std::unique_ptr<SlurmClient> client() {
    SlurmClientOptions o;
    o.sbatch = (m_dir / "fake_sbatch").string();
    o.sacct = (m_dir / "fake_sacct").string();
    o.squeue = (m_dir / "fake_squeue").string();
    o.scancel = (m_dir / "fake_scancel").string();
    o.timeout = 2s;
    return make_slurm_client(*m_runner, o);
  }

private:
  fs::path m_dir;
  std::unique_ptr<seedrun::exec::ProcessRunner> m_runner;
};

std::string fixture_path(const std::string& name) {
  return std::string(SEEDRUN_SOURCE_DIR) + "/tests/fixtures/slurm/" + name;
}

// Runs `fn`, which must throw seedrun::Error with slurm_unreachable; returns its message.
template <class Fn> std::string unreachable_message(Fn fn) {
  try {
    fn();
  } catch (const seedrun::Error& e) {
    CHECK(e.code() == seedrun::ExitCode::slurm_unreachable);
    return e.what();
  }
  FAIL("no seedrun::Error was thrown");
  return {};
}

} // namespace

TEST_CASE("submit passes every option as its own argument and returns the job id") {
  FakeSlurm fake;
  fake.program("sbatch", "echo '123;localcluster'");
  SubmitRequest req;
  req.script = fake.dir() / "job.sh";
  req.extra_args = {"--partition=debug", "--time=00:10:00"};
  req.job_name = "seedrun-my campaign-baseline";
  req.array = "0-4%1";
  req.output = "/logs/slurm-%A_%a.out";
  req.workdir = fake.dir();
  CHECK(fake.client()->submit(req) == "123");
  CHECK(fake.args("sbatch") == std::vector<std::string>{"--parsable", "--job-name=seedrun-my campaign-baseline",
                                                        "--array=0-4%1", "--output=/logs/slurm-%A_%a.out",
                                                        "--chdir=" + fake.dir().string(), "--partition=debug",
                                                        "--time=00:10:00", (fake.dir() / "job.sh").string()});
  CHECK(fs::equivalent(fake.cwd("sbatch"), fake.dir()));
}

TEST_CASE("a minimal submit passes only --parsable and the script") {
  FakeSlurm fake;
  fake.program("sbatch", "echo 7");
  SubmitRequest req;
  req.script = "run.sh";
  CHECK(fake.client()->submit(req) == "7");
  CHECK(fake.args("sbatch") == std::vector<std::string>{"--parsable", "run.sh"});
}

TEST_CASE("a rejected submission reports sbatch's stderr verbatim") {
  FakeSlurm fake;
  fake.program("sbatch", "cat '" + fixture_path("sbatch_invalid_partition.err") + "' >&2; exit 1");
  SubmitRequest req;
  req.script = "run.sh";
  auto msg = unreachable_message([&] { fake.client()->submit(req); });
  CHECK(msg == "sbatch: error: invalid partition specified: nosuch\n"
               "sbatch: error: Batch job submission failed: Invalid partition name specified");
}

TEST_CASE("submit fails clearly when sbatch prints no id, is silent, hangs or is missing") {
  FakeSlurm fake;
  SubmitRequest req;
  req.script = "run.sh";
  SUBCASE("no id") {
    fake.program("sbatch", "echo 'Submitted batch job 5'");
    CHECK(unreachable_message([&] { fake.client()->submit(req); }) ==
          "sbatch printed 'Submitted batch job 5' where a job id was expected");
  }
  SUBCASE("silent failure") {
    fake.program("sbatch", "exit 4");
    CHECK(unreachable_message([&] { fake.client()->submit(req); }) ==
          "sbatch failed (exit 4) and printed nothing on stderr");
  }
  SUBCASE("hang") {
    fake.program("sbatch", "sleep 20");
    CHECK(unreachable_message([&] { fake.client()->submit(req); }) ==
          "sbatch did not answer within 2 s; the job may have been submitted anyway (check squeue)");
  }
  SUBCASE("missing program") {
    auto msg = unreachable_message([&] { fake.client()->submit(req); });
    CHECK(msg.find("fake_sbatch") != std::string::npos);
  }
}

TEST_CASE("query makes one sacct call for all ids and parses its rows") {
  FakeSlurm fake;
  fake.program("sacct", "echo \"TIME_FORMAT=$SLURM_TIME_FORMAT\" >&2; cat '" + fixture_path("sacct_final.psv") + "'");
  auto since = *seedrun::util::parse_iso8601("2026-11-22T09:30:00");
  auto result = fake.client()->query({"5", "6", "7", "8"}, 2s, since);
  CHECK(fake.args("sacct") == std::vector<std::string>{"-X", "--parsable2", "--noheader",
                                                       "--format=JobIDRaw,JobID,JobName,State,ExitCode,Elapsed,"
                                                       "Start,End,NodeList",
                                                       "--starttime=2026-11-22T09:30:00", "-j", "5,6,7,8"});
  CHECK_FALSE(result.accounting_disabled);
  CHECK(result.unreadable_lines == 0);
  REQUIRE(result.rows.size() == 8);
  CHECK(result.rows[1].signal == 9);
}

TEST_CASE("query without a start time still bounds sacct's search: one year back") {
  FakeSlurm fake;
  fake.program("sacct", "true");
  fake.client()->query({"1"}, 2s);
  auto args = fake.args("sacct");
  REQUIRE(args.size() == 7);
  REQUIRE(args[4].starts_with("--starttime="));
  auto since = seedrun::util::parse_iso8601(args[4].substr(12));
  REQUIRE(since);
  auto days = std::chrono::duration_cast<std::chrono::hours>(seedrun::util::Clock::now() - *since).count() / 24;
  CHECK(days >= 364);
  CHECK(days <= 367);
}

TEST_CASE("MaxArraySize is read from scontrol show config; anything else means no known limit") {
  CHECK(parse_max_array_size("MaxArraySize            = 1001\nMaxJobCount             = 10000\n") == 1001);
  CHECK(parse_max_array_size("AccountingStorageType = accounting_storage/slurmdbd\nMaxArraySize = 4\n") == 4);
  CHECK_FALSE(parse_max_array_size("MaxJobCount = 10000\n"));
  CHECK_FALSE(parse_max_array_size("MaxArraySize = lots\n"));
  CHECK_FALSE(parse_max_array_size("MaxArraySize = 0\n"));
  FakeSlurm fake;
  SlurmClientOptions o;
  o.scontrol = (fake.dir() / "fake_scontrol").string();
  auto runner = seedrun::exec::make_process_runner();
  fake.program("scontrol", "echo 'MaxArraySize            = 7'");
  CHECK(make_slurm_client(*runner, o)->max_array_size() == 7);
  CHECK(fake.args("scontrol") == std::vector<std::string>{"show", "config"});
  fake.program("scontrol", "echo 'slurm_load_ctl_conf error: Unable to contact slurm controller' >&2; exit 1");
  CHECK_FALSE(make_slurm_client(*runner, o)->max_array_size());
  o.scontrol = (fake.dir() / "no_such_scontrol").string();
  CHECK_FALSE(make_slurm_client(*runner, o)->max_array_size());
}

TEST_CASE("query forces ISO times whatever the caller's environment says") {
  FakeSlurm fake;
  fake.program("sacct", "echo \"$SLURM_TIME_FORMAT\" > '" + (fake.dir() / "env").string() + "'");
  fake.client()->query({"1"}, 2s);
  CHECK(seedrun::util::trim(seedrun::util::read_file(fake.dir() / "env")) == "standard");
}

TEST_CASE("query with no ids does not call sacct") {
  FakeSlurm fake;
  fake.program("sacct", "exit 1");
  auto result = fake.client()->query({}, 2s);
  CHECK(result.rows.empty());
  CHECK_FALSE(fake.ran("sacct"));
}

TEST_CASE("disabled accounting is a flag, not an error") {
  FakeSlurm fake;
  fake.program("sacct", "echo 'Slurm accounting storage is disabled' >&2; exit 1");
  auto result = fake.client()->query({"1"}, 2s);
  CHECK(result.accounting_disabled);
  CHECK(result.rows.empty());
}

TEST_CASE("sacct failing, hanging or printing garbage makes Slurm unreachable") {
  FakeSlurm fake;
  SUBCASE("failure carries sacct's message") {
    fake.program("sacct", "echo 'sacct: error: Problem talking to the database: Connection refused' >&2; exit 1");
    CHECK(unreachable_message([&] { fake.client()->query({"1"}, 2s); }) ==
          "sacct failed (exit 1: sacct: error: Problem talking to the database: Connection refused)");
  }
  SUBCASE("hang") {
    fake.program("sacct", "sleep 20");
    CHECK(unreachable_message([&] { fake.client()->query({"1"}, 300ms); }) == "sacct did not answer within 0.3 s");
  }
  SUBCASE("garbage") {
    fake.program("sacct", "echo '<html>proxy error</html>'");
    CHECK(unreachable_message([&] { fake.client()->query({"1"}, 2s); }) ==
          "sacct printed output seedrun cannot read (line 1: 1 fields, expected 9: <html>proxy error</html>)");
  }
  SUBCASE("killed") {
    fake.program("sacct", "kill -9 $$");
    CHECK(unreachable_message([&] { fake.client()->query({"1"}, 2s); }) == "sacct failed (killed by signal 9)");
  }
}

TEST_CASE("some unreadable lines among good ones are counted, not fatal") {
  FakeSlurm fake;
  fake.program("sacct", "echo 'junk'; cat '" + fixture_path("sacct_placeholder.psv") + "'");
  auto result = fake.client()->query({"14"}, 2s);
  REQUIRE(result.rows.size() == 1);
  CHECK(result.rows[0].placeholder);
  CHECK(result.unreadable_lines == 1);
  CHECK(result.first_unreadable == "line 1: 1 fields, expected 9: junk");
}

TEST_CASE("query_by_name filters by names and a local start time") {
  FakeSlurm fake;
  fake.program("sacct", "true");
  auto start = *seedrun::util::parse_iso8601("2026-11-23T10:00:00");
  auto result = fake.client()->query_by_name({"eval-a-b-ep0", "eval-a-b-ep1"}, start);
  CHECK(result.rows.empty());
  auto args = fake.args("sacct");
  REQUIRE(args.size() == 6);
  CHECK(args[4] == "--name=eval-a-b-ep0,eval-a-b-ep1");
  CHECK(args[5] == "--starttime=2026-11-23T10:00:00");
}

TEST_CASE("squeue asks for all states of the given ids") {
  FakeSlurm fake;
  fake.program("squeue", "cat '" + fixture_path("squeue_array.txt") + "'");
  auto p = fake.client()->squeue({"13", "14"});
  CHECK(fake.args("squeue") == std::vector<std::string>{"-h", "--states=all", "-o", "%i|%j|%T", "-j", "13,14"});
  REQUIRE(p.rows.size() == 3);
  CHECK(p.rows[2].state == JobState::running);
}

TEST_CASE("squeue not knowing any of the ids means no rows; other failures are errors") {
  FakeSlurm fake;
  SUBCASE("unknown ids") {
    fake.program("squeue", "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1");
    CHECK(fake.client()->squeue({"99999"}).rows.empty());
  }
  SUBCASE("controller down") {
    fake.program("squeue", "echo 'slurm_load_jobs error: Unable to contact slurm controller (connect failure)' >&2; "
                           "exit 1");
    CHECK(unreachable_message([&] { fake.client()->squeue({"1"}); }) ==
          "squeue failed (exit 1: slurm_load_jobs error: Unable to contact slurm controller (connect failure))");
  }
}

TEST_CASE("cancel passes each id as an argument and reports failures") {
  FakeSlurm fake;
  fake.program("scancel", "true");
  fake.client()->cancel({"5", "6_2"});
  CHECK(fake.args("scancel") == std::vector<std::string>{"5", "6_2"});
  fake.program("scancel", "echo 'scancel: error: Kill job error on job id 5: Access/permission denied' >&2; exit 1");
  CHECK(unreachable_message([&] { fake.client()->cancel({"5"}); }) ==
        "scancel failed (exit 1: scancel: error: Kill job error on job id 5: Access/permission denied)");
}

TEST_CASE("cancel with no ids does not call scancel") {
  FakeSlurm fake;
  fake.client()->cancel({});
  CHECK_FALSE(fake.ran("scancel"));
}
