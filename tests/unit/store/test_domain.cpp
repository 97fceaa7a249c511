// The typed words of the store: every name round-trips, unknown text is refused, JSON and fmt
// write the text (never a number), and the v4 migration gives old CANCELLED rows their cause.
#include "seedrun/store/domain.hpp"
#include "seedrun/store/store.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace fs = std::filesystem;
using namespace seedrun::store;

TEST_CASE("every run state, campaign state, goal and cause round-trips through its text") {
  for (auto s : {RunState::planned, RunState::submitting, RunState::pending, RunState::running, RunState::requeued,
                 RunState::suspended, RunState::completed, RunState::failed, RunState::cancelled, RunState::timeout,
                 RunState::out_of_memory, RunState::node_fail, RunState::preempted, RunState::boot_fail,
                 RunState::deadline, RunState::revoked, RunState::special_exit}) {
    CHECK(parse_run_state(to_string(s)) == s);
  }
  for (auto s : {CampaignState::active, CampaignState::done, CampaignState::cancelled}) {
    CHECK(parse_campaign_state(to_string(s)) == s);
  }
  CHECK(parse_goal("maximize") == Goal::maximize);
  CHECK(parse_goal("minimize") == Goal::minimize);
  for (auto c : {CancelCause::user_cancel, CancelCause::signal, CancelCause::orphaned, CancelCause::fail_fast,
                 CancelCause::external}) {
    CHECK(parse_cancel_cause(to_string(c)) == c);
  }
}

TEST_CASE("the database's words are the ones seedrun always wrote") {
  CHECK(to_string(RunState::completed) == "COMPLETED");
  CHECK(to_string(RunState::out_of_memory) == "OUT_OF_MEMORY");
  CHECK(to_string(CampaignState::active) == "ACTIVE");
  CHECK(to_string(Goal::minimize) == "minimize");
}

TEST_CASE("unknown or differently spelled text is refused, not guessed") {
  CHECK_FALSE(parse_run_state("completed"));
  CHECK_FALSE(parse_run_state("CANCELLED by 0")); // Slurm's text is slurm/job_state's to read
  CHECK_FALSE(parse_run_state(""));
  CHECK_FALSE(parse_campaign_state("FINISHED"));
  CHECK_FALSE(parse_goal("max"));
}

TEST_CASE("final states are exactly those a run does not leave by itself") {
  CHECK_FALSE(is_final(RunState::planned));
  CHECK_FALSE(is_final(RunState::submitting));
  CHECK_FALSE(is_final(RunState::pending));
  CHECK_FALSE(is_final(RunState::running));
  CHECK_FALSE(is_final(RunState::requeued));
  CHECK_FALSE(is_final(RunState::suspended));
  CHECK(is_final(RunState::completed));
  CHECK(is_final(RunState::cancelled));
  CHECK(is_final(RunState::node_fail));
}

TEST_CASE("an interruption is a signal or a gone process; a user's cancel is not") {
  CHECK(is_interruption(CancelCause::signal));
  CHECK(is_interruption(CancelCause::orphaned));
  CHECK_FALSE(is_interruption(CancelCause::user_cancel));
  CHECK_FALSE(is_interruption(CancelCause::fail_fast));
  CHECK_FALSE(is_interruption(CancelCause::external));
}

TEST_CASE("JSON and fmt write the text") {
  nlohmann::json j = {{"state", RunState::failed}, {"campaign", CampaignState::done}, {"goal", Goal::maximize}};
  CHECK(j.dump() == R"({"campaign":"DONE","goal":"maximize","state":"FAILED"})");
  CHECK(fmt::format("[{:<10}]", RunState::running) == "[RUNNING   ]");
  CHECK(fmt::format("{}", CampaignState::cancelled) == "CANCELLED");
}

TEST_CASE("a store of schema v3 migrates: old CANCELLED runs get their cause from their reason, once") {
  auto dir =
      fs::temp_directory_path() / ("seedrun-domain-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  fs::remove_all(dir);
  std::vector<long long> ids;
  {
    auto s = Store::open(dir);
    Campaign c;
    c.key = "baseline_1M";
    c.name = c.kind = "baseline";
    c.metric = "val_loss";
    c.id = s->insert_campaign(c);
    for (const char* reason :
         {"interrupted (Ctrl-C)", "interrupted: the seedrun process running it stopped",
          "cancelled by seedrun cancel (before it started)", "not run: fail_fast: seed 1 failed", "CANCELLED by 0"}) {
      Run r;
      r.campaign_id = c.id;
      r.seed = static_cast<long long>(ids.size());
      r.id = s->insert_run(r);
      ids.push_back(r.id);
      s->db().exec(fmt::format("UPDATE runs SET state = 'CANCELLED', reason = '{}' WHERE id = {}", reason, r.id));
    }
    s->db().exec("ALTER TABLE runs DROP COLUMN cancel_cause");
    s->db().set_user_version(3);
  }
  auto s = Store::open(dir);
  CHECK(s->run(ids[0])->cancel_cause == CancelCause::signal);
  CHECK(s->run(ids[1])->cancel_cause == CancelCause::orphaned);
  CHECK(s->run(ids[2])->cancel_cause == CancelCause::user_cancel);
  CHECK(s->run(ids[3])->cancel_cause == CancelCause::fail_fast);
  CHECK(s->run(ids[4])->cancel_cause == CancelCause::external);
  fs::remove_all(dir);
}

TEST_CASE("a run state the store does not know is an error that names it") {
  auto dir =
      fs::temp_directory_path() / ("seedrun-domain-" + std::to_string(::getpid()) + "-" + std::to_string(rand()));
  fs::remove_all(dir);
  auto s = Store::open(dir);
  Campaign c;
  c.key = "baseline_1M";
  c.name = c.kind = "baseline";
  c.metric = "val_loss";
  c.id = s->insert_campaign(c);
  Run r;
  r.campaign_id = c.id;
  r.id = s->insert_run(r);
  s->db().exec(fmt::format("UPDATE runs SET state = 'HIBERNATING' WHERE id = {}", r.id));
  CHECK_THROWS_WITH_AS(s->run(r.id), doctest::Contains("'HIBERNATING'"), seedrun::Error);
  fs::remove_all(dir);
}
