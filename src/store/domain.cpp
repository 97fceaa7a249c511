#include "seedrun/store/domain.hpp"

#include <array>
#include <utility>

namespace seedrun::store {
namespace {

template <class E, size_t N> using Names = std::array<std::pair<E, std::string_view>, N>;

constexpr Names<RunState, 17> k_run_states{{
    {RunState::planned, "PLANNED"},
    {RunState::submitting, "SUBMITTING"},
    {RunState::pending, "PENDING"},
    {RunState::running, "RUNNING"},
    {RunState::requeued, "REQUEUED"},
    {RunState::suspended, "SUSPENDED"},
    {RunState::completed, "COMPLETED"},
    {RunState::failed, "FAILED"},
    {RunState::cancelled, "CANCELLED"},
    {RunState::timeout, "TIMEOUT"},
    {RunState::out_of_memory, "OUT_OF_MEMORY"},
    {RunState::node_fail, "NODE_FAIL"},
    {RunState::preempted, "PREEMPTED"},
    {RunState::boot_fail, "BOOT_FAIL"},
    {RunState::deadline, "DEADLINE"},
    {RunState::revoked, "REVOKED"},
    {RunState::special_exit, "SPECIAL_EXIT"},
}};

constexpr Names<CampaignState, 3> k_campaign_states{{
    {CampaignState::active, "ACTIVE"},
    {CampaignState::done, "DONE"},
    {CampaignState::cancelled, "CANCELLED"},
}};

constexpr Names<Goal, 2> k_goals{{{Goal::minimize, "minimize"}, {Goal::maximize, "maximize"}}};

constexpr Names<CancelCause, 5> k_causes{{
    {CancelCause::user_cancel, "user_cancel"},
    {CancelCause::signal, "signal"},
    {CancelCause::orphaned, "orphaned"},
    {CancelCause::fail_fast, "fail_fast"},
    {CancelCause::external, "external"},
}};

template <class E, size_t N> std::string_view name_of(const Names<E, N>& names, E value) {
  for (const auto& [v, name] : names) {
    if (v == value) {
      return name;
    }
  }
  return "?"; // unreachable: every enumerator is listed
}

template <class E, size_t N> std::optional<E> value_of(const Names<E, N>& names, std::string_view text) {
  for (const auto& [v, name] : names) {
    if (name == text) {
      return v;
    }
  }
  return std::nullopt;
}

} // namespace

std::string_view to_string(RunState state) {
  return name_of(k_run_states, state);
}
std::optional<RunState> parse_run_state(std::string_view text) {
  return value_of(k_run_states, text);
}

const std::vector<RunState>& all_run_states() {
  static const std::vector<RunState> all = [] {
    std::vector<RunState> v;
    for (const auto& [state, name] : k_run_states) {
      v.push_back(state);
    }
    return v;
  }();
  return all;
}

const std::vector<CancelCause>& all_cancel_causes() {
  static const std::vector<CancelCause> all = [] {
    std::vector<CancelCause> v;
    for (const auto& [cause, name] : k_causes) {
      v.push_back(cause);
    }
    return v;
  }();
  return all;
}

bool is_final(RunState state) {
  switch (state) {
  case RunState::planned:
  case RunState::submitting:
  case RunState::pending:
  case RunState::running:
  case RunState::requeued:
  case RunState::suspended: return false;
  default: return true;
  }
}

std::string_view to_string(CampaignState state) {
  return name_of(k_campaign_states, state);
}
std::optional<CampaignState> parse_campaign_state(std::string_view text) {
  return value_of(k_campaign_states, text);
}

std::string_view to_string(Goal goal) {
  return name_of(k_goals, goal);
}
std::optional<Goal> parse_goal(std::string_view text) {
  return value_of(k_goals, text);
}

std::string_view to_string(CancelCause cause) {
  return name_of(k_causes, cause);
}
std::optional<CancelCause> parse_cancel_cause(std::string_view text) {
  return value_of(k_causes, text);
}

bool is_interruption(CancelCause cause) {
  return cause == CancelCause::signal || cause == CancelCause::orphaned;
}

} // namespace seedrun::store
