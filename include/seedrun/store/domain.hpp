#pragma once
// The typed words of the store: run state, campaign state, metric goal and why a run was
// cancelled. The database keeps the same text as ever ("COMPLETED", "ACTIVE", "minimize"); the
// text is read and written here only, once at the store boundary (store.cpp). A text this
// binary does not know is an error naming it (a newer seedrun wrote it), never a guess.
#include <fmt/format.h>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::store {

// A run's state. PLANNED and SUBMITTING are seedrun's own; the others are also Slurm job states
// (slurm/job_state.cpp maps Slurm's words onto them), and a local run uses the same names.
// Final states never change again except through an explicit retry (a new attempt).
enum class RunState {
  planned,    // known, not yet started/submitted
  submitting, // sbatch intent stored, outcome unknown
  pending,
  running,
  requeued,  // Slurm put it back in the queue
  suspended, // Slurm paused it
  completed,
  failed,
  cancelled,
  timeout,
  out_of_memory,
  node_fail,
  preempted,
  boot_fail,
  deadline,
  revoked,
  special_exit,
};

std::string_view to_string(RunState state);
std::optional<RunState> parse_run_state(std::string_view text);
// Everything but PLANNED, SUBMITTING, PENDING, RUNNING, REQUEUED and SUSPENDED.
bool is_final(RunState state);
// Every run state, in declaration order (for SQL lists derived from the predicates here, so
// they keep one owner).
const std::vector<RunState>& all_run_states();

// A campaign's state: ACTIVE while runs are wanted, DONE when its reports are written, CANCELLED
// by `seedrun cancel` (running its command again reopens it).
enum class CampaignState { active, done, cancelled };

std::string_view to_string(CampaignState state);
std::optional<CampaignState> parse_campaign_state(std::string_view text);

// Which direction of the campaign's metric is better.
enum class Goal { minimize, maximize };

std::string_view to_string(Goal goal);
// "minimize" | "maximize" exactly (the store's and the reports' JSON words).
std::optional<Goal> parse_goal(std::string_view text);

// Why a CANCELLED run was cancelled. An interruption (the seedrun process driving it was
// stopped or is gone) leaves its campaign waiting to be resumed; the others end it.
enum class CancelCause {
  user_cancel, // seedrun cancel
  signal,      // Ctrl-C / SIGTERM of the seedrun running it
  orphaned,    // its seedrun process is gone (found by refresh or the next run)
  fail_fast,   // another seed of its arm failed quickly (fail_fast)
  external,    // cancelled outside seedrun (scancel by hand: sacct says CANCELLED)
};

std::string_view to_string(CancelCause cause);
std::optional<CancelCause> parse_cancel_cause(std::string_view text);
// signal or orphaned: the run is resumed as a new attempt by the next baseline/experiment.
bool is_interruption(CancelCause cause);
const std::vector<CancelCause>& all_cancel_causes(); // every cause, in declaration order

// Lets nlohmann::json write these as their text (never as a number); found by ADL.
template <class Json> void to_json(Json& j, RunState s) {
  j = std::string(to_string(s));
}
template <class Json> void to_json(Json& j, CampaignState s) {
  j = std::string(to_string(s));
}
template <class Json> void to_json(Json& j, Goal g) {
  j = std::string(to_string(g));
}
template <class Json> void to_json(Json& j, CancelCause c) {
  j = std::string(to_string(c));
}

} // namespace seedrun::store

// fmt prints them as their text.
template <> struct fmt::formatter<seedrun::store::RunState> : fmt::formatter<std::string_view> {
  template <class Ctx> auto format(seedrun::store::RunState s, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(seedrun::store::to_string(s), ctx);
  }
};
template <> struct fmt::formatter<seedrun::store::CampaignState> : fmt::formatter<std::string_view> {
  template <class Ctx> auto format(seedrun::store::CampaignState s, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(seedrun::store::to_string(s), ctx);
  }
};
template <> struct fmt::formatter<seedrun::store::Goal> : fmt::formatter<std::string_view> {
  template <class Ctx> auto format(seedrun::store::Goal g, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(seedrun::store::to_string(g), ctx);
  }
};
