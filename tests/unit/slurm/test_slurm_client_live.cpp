// The real SlurmClient against the real local Slurm of scripts/slurm-local.sh. Runs only when
// SEEDRUN_TEST_LIVE_SLURM=1, which the CTest test `test_slurm_client_live` (label slurm, run by
// scripts/test.sh after it started the cluster) sets; then a cluster that does not answer is a
// failure, never a skip. Inside the plain unit_slurm run it says it skipped.
#include "seedrun/slurm/job_names.hpp"
#include "seedrun/slurm/slurm_client.hpp"
#include "seedrun/util/atomic_file.hpp"
#include "seedrun/util/error.hpp"

#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

using namespace seedrun::slurm;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

bool live_enabled() {
  const char* v = std::getenv("SEEDRUN_TEST_LIVE_SLURM");
  if (v == nullptr || std::string(v) != "1") {
    MESSAGE("skipped: set SEEDRUN_TEST_LIVE_SLURM=1 with scripts/slurm-local.sh started to run against real Slurm");
    return false;
  }
  return true;
}

// Polls until every job id in `want` has a final, non-placeholder row (or 60 s pass).
std::map<std::string, SacctRow> wait_final(SlurmClient& client, const std::vector<std::string>& ids,
                                           const std::vector<std::string>& want) {
  std::map<std::string, SacctRow> rows;
  for (int i = 0; i < 120; ++i) {
    rows.clear();
    for (auto& r : client.query(ids, 10s).rows) {
      rows[r.job_id] = r;
    }
    bool done = true;
    for (const auto& id : want) {
      auto it = rows.find(id);
      done = done && it != rows.end() && !it->second.placeholder && is_final(it->second.state);
    }
    if (done) {
      break;
    }
    std::this_thread::sleep_for(500ms);
  }
  return rows;
}

} // namespace

TEST_CASE("submit, query, squeue and cancel work against a real Slurm") {
  if (!live_enabled()) {
    return;
  }
  std::random_device rd;
  fs::path dir = fs::temp_directory_path() / ("seedrun-slurm-live-" + std::to_string(rd()));
  fs::create_directories(dir);
  seedrun::util::write_file_atomic(dir / "job.sh", "#!/bin/sh\necho \"task $SLURM_ARRAY_TASK_ID\"\n"
                                                   "[ \"$SLURM_ARRAY_TASK_ID\" = 1 ] && exit 3\nexit 0\n");
  seedrun::util::write_file_atomic(dir / "sleep.sh", "#!/bin/sh\nsleep 300\n");
  auto runner = seedrun::exec::make_process_runner();
  seedrun::exec::ProcessRequest ping;
  ping.argv = {"sinfo", "-h"};
  ping.timeout = 10s;
  seedrun::exec::ProcessResult answer;
  try {
    answer = runner->run(ping);
  } catch (const seedrun::Error& e) {
    answer.err = e.what();
  }
  REQUIRE_MESSAGE(answer.ok(),
                  "no Slurm cluster answers `sinfo` (start it with scripts/slurm-local.sh start): ", answer.err);
  auto client = make_slurm_client(*runner);

  SubmitRequest req;
  req.script = dir / "job.sh";
  req.job_name = format_job_name("seedrun-{project}-{campaign}-{arm}", "live", "live-test", "baseline");
  req.array = "0-2%1";
  req.output = (dir / "slurm-%A_%a.out").string();
  req.workdir = dir;
  const std::string array_id = client->submit(req);

  SubmitRequest sleeper;
  sleeper.script = dir / "sleep.sh";
  sleeper.job_name = "eval-general_eval-lowlr-ep3";
  sleeper.workdir = dir;
  const std::string sleep_id = client->submit(sleeper);

  auto queued = client->squeue({array_id, sleep_id});
  CHECK(queued.unreadable_lines == 0);
  CHECK_FALSE(queued.rows.empty());
  client->cancel({sleep_id});

  auto rows = wait_final(*client, {array_id, sleep_id}, {array_id + "_0", array_id + "_1", array_id + "_2", sleep_id});
  REQUIRE(rows.count(array_id + "_2") == 1);
  CHECK(rows[array_id + "_0"].state == JobState::completed);
  CHECK(rows[array_id + "_1"].state == JobState::failed);
  CHECK(rows[array_id + "_1"].exit_code == 3);
  CHECK(rows[array_id + "_2"].state == JobState::completed);
  CHECK(rows[array_id + "_2"].job_id_raw == array_id);                    // the last task reuses the array's id
  CHECK(rows[array_id + "_0"].name == "seedrun-live-live-test-baseline"); // never truncated with --parsable2
  CHECK(rows[sleep_id].state == JobState::cancelled);
  CHECK(rows[sleep_id].name == "eval-general_eval-lowlr-ep3");
  CHECK(seedrun::util::read_file(dir / ("slurm-" + array_id + "_1.out")) == "task 1\n");

  auto by_name = client->query_by_name({"eval-general_eval-lowlr-ep3"}, seedrun::util::Clock::now() - 1h);
  bool found = false;
  for (const auto& r : by_name.rows) {
    found = found || r.job_id == sleep_id;
  }
  CHECK(found);
  fs::remove_all(dir);
}
