#pragma once
// The reader of MATCHES.jsonl, the game results `seedrun ratings` fits (docs/health.md). One
// JSON object per line:
//   {"players": ["ckpt_200", "base_model"], "outcome": "win", "step": 200}
// outcome is from the first player's side: "win", "loss" or "draw" (or the score 1, 0, 0.5);
// step is the training step of the checkpoint (an integer; optional: a game without one counts
// at every step); other fields are ignored.
//
// Bounded and total: a line it cannot use (not JSON, wrong types, a line longer than
// k_max_match_line, invalid UTF-8, a player against itself, ...) is skipped, counted and
// described as "NAME:LINE: why"; no input makes it throw or crash. Limits that would make the
// fit meaningless or unbounded in time (more than k_max_players players, more than
// k_max_games games) stop the reading with `fatal` set.
#include "seedrun/stats/ratings.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace seedrun::stats {

inline constexpr size_t k_max_match_line = size_t{64} << 10; // bytes
inline constexpr size_t k_max_player_name = 200;             // bytes
inline constexpr size_t k_max_players = 1000;                // the fit is O(players³) per step
inline constexpr size_t k_max_games = 5'000'000;
inline constexpr size_t k_max_problems = 20; // described; all are counted

struct MatchesData {
  std::vector<std::string> players{}; // in order of first appearance
  std::vector<Game> games{};
  size_t lines = 0;                    // non-blank lines
  size_t unreadable = 0;               // of those, skipped
  std::vector<std::string> problems{}; // the first k_max_problems, "NAME:LINE: why"
  std::optional<std::string> fatal{};  // a limit was hit; reading stopped there
};

// Reads lines one at a time; `name` prefixes the messages (the file's path).
class MatchesParser {
public:
  explicit MatchesParser(std::string name) : m_name(std::move(name)) {}
  // One line without its newline; blank lines are ignored.
  void add_line(std::string_view line, size_t line_no);
  // A line that was longer than k_max_match_line and not kept.
  void add_overlong_line(size_t line_no, size_t bytes);
  bool stopped() const { return m_data.fatal.has_value(); }
  MatchesData take() { return std::move(m_data); }

private:
  void problem(size_t line_no, const std::string& why);
  std::optional<int> player_index(const std::string& name, size_t line_no);

  std::string m_name;
  MatchesData m_data;
};

// The lines of `text` (a file's whole content), with `name` in the messages. Never throws.
MatchesData parse_matches(std::string_view text, const std::string& name);

// The file at `path`, read in blocks so that a huge line costs no more than k_max_match_line
// of memory. Throws seedrun::Error when it is not a regular file or cannot be read.
MatchesData read_matches(const std::filesystem::path& path);

} // namespace seedrun::stats
