// MATCHES.jsonl: one game per line, read with bounds on every size (stats/matches.hpp).
#include "seedrun/stats/matches.hpp"

#include "seedrun/util/error.hpp"
#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <fmt/format.h>
#include <fstream>

namespace seedrun::stats {
namespace {

// One JSON line nests two levels (the object and "players"); extra fields may nest a little.
constexpr size_t k_max_line_depth = 32;

std::string json_kind(const nlohmann::json& j) {
  return j.is_number()    ? "a number"
         : j.is_string()  ? "a string"
         : j.is_null()    ? "null"
         : j.is_boolean() ? "a boolean"
         : j.is_array()   ? "an array"
                          : "an object";
}

// The deepest nesting of arrays and objects in valid JSON text (brackets inside strings skipped).
size_t nesting_depth(std::string_view text) {
  size_t depth = 0;
  size_t deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

// nlohmann's message without its "[json.exception.parse_error.101] " tag, shortened.
std::string parse_message(const std::string& what) {
  auto at = what.find("] ");
  std::string_view msg = at == std::string::npos ? std::string_view(what) : std::string_view(what).substr(at + 2);
  return util::abbreviate(msg, 160);
}

// The score of the first player, or an explanation.
std::optional<double> read_outcome(const nlohmann::json& v, std::string& why) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    if (s == "win") {
      return 1.0;
    }
    if (s == "loss") {
      return 0.0;
    }
    if (s == "draw") {
      return 0.5;
    }
    why = fmt::format("\"outcome\" is \"{}\"; use \"win\", \"loss\" or \"draw\" (the first player's result)",
                      util::abbreviate(s, 40));
    return std::nullopt;
  }
  if (v.is_number()) {
    double d = v.get<double>();
    if (d == 0.0 || d == 0.5 || d == 1.0) {
      return d;
    }
  }
  why = fmt::format("\"outcome\" must be \"win\", \"loss\", \"draw\" or the score 1, 0.5, 0; got {}", json_kind(v));
  return std::nullopt;
}

// The step: an integer (a float holding an integer is accepted), null or absent = none.
bool read_step(const nlohmann::json& obj, std::optional<long long>& step, std::string& why) {
  auto it = obj.find("step");
  if (it == obj.end() || it->is_null()) {
    return true;
  }
  if (it->is_number_integer()) {
    if (it->is_number_unsigned() && it->get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX)) {
      why = "\"step\" is too large";
      return false;
    }
    step = it->get<long long>();
    return true;
  }
  if (it->is_number_float()) {
    double d = it->get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9e15) {
      step = static_cast<long long>(d);
      return true;
    }
  }
  why = fmt::format("\"step\" must be an integer (the checkpoint's training step); got {}", json_kind(*it));
  return false;
}

} // namespace

void MatchesParser::problem(size_t line_no, const std::string& why) {
  ++m_data.unreadable;
  if (m_data.problems.size() < k_max_problems) {
    m_data.problems.push_back(fmt::format("{}:{}: {}", m_name, line_no, why));
  }
}

std::optional<int> MatchesParser::player_index(const std::string& name, size_t line_no) {
  for (size_t i = 0; i < m_data.players.size(); ++i) { // ≤ k_max_players names
    if (m_data.players[i] == name) {
      return static_cast<int>(i);
    }
  }
  if (m_data.players.size() >= k_max_players) {
    m_data.fatal = fmt::format("{}:{}: more than {} players; seedrun ratings fits at most {} (the fit grows with "
                               "the cube of the number of players)",
                               m_name, line_no, k_max_players, k_max_players);
    return std::nullopt;
  }
  m_data.players.push_back(name);
  return static_cast<int>(m_data.players.size() - 1);
}

void MatchesParser::add_overlong_line(size_t line_no, size_t bytes) {
  if (stopped()) {
    return;
  }
  ++m_data.lines;
  problem(line_no,
          fmt::format("line of {} bytes is longer than the limit of {} bytes; skipped", bytes, k_max_match_line));
}

void MatchesParser::add_line(std::string_view line, size_t line_no) {
  if (stopped() || util::trim(line).empty()) {
    return;
  }
  ++m_data.lines;
  if (line.size() > k_max_match_line) {
    add_overlong_line(line_no, line.size());
    --m_data.lines; // add_overlong_line counted it
    return;
  }
  // Exceptions are slow (and the message is kept for the first problems only): lines that
  // cannot be a JSON object, are not JSON or nest too deep are told apart without throwing.
  if (line.find_first_not_of(" \t\r") == std::string_view::npos || line[line.find_first_not_of(" \t\r")] != '{') {
    problem(line_no, "not a JSON object (a line must start with '{')");
    return;
  }
  const bool describe = m_data.problems.size() < k_max_problems;
  if (!nlohmann::json::accept(line)) {
    std::string error;
    if (describe) {
      util::parse_json_bounded(line, error, k_max_line_depth);
    }
    problem(line_no, describe ? "not JSON: " + parse_message(error) : "not JSON");
    return;
  }
  if (nesting_depth(line) > k_max_line_depth) {
    problem(line_no, fmt::format("nesting deeper than {} levels of arrays and objects", k_max_line_depth));
    return;
  }
  std::string error;
  auto parsed = util::parse_json_bounded(line, error, k_max_line_depth);
  if (!parsed) {
    problem(line_no, "not JSON: " + parse_message(error));
    return;
  }
  if (!parsed->is_object()) {
    problem(line_no, fmt::format("expected a JSON object, got {}", json_kind(*parsed)));
    return;
  }
  const auto& obj = *parsed;
  auto players = obj.find("players");
  if (players == obj.end() || !players->is_array() || players->size() != 2 || !(*players)[0].is_string() ||
      !(*players)[1].is_string()) {
    problem(line_no, "\"players\" must be an array of two names, e.g. [\"ckpt_200\", \"base_model\"]");
    return;
  }
  const auto& a = (*players)[0].get_ref<const std::string&>();
  const auto& b = (*players)[1].get_ref<const std::string&>();
  if (a.empty() || b.empty() || a.size() > k_max_player_name || b.size() > k_max_player_name) {
    problem(line_no, fmt::format("a player name must have 1 to {} bytes", k_max_player_name));
    return;
  }
  if (a == b) {
    problem(line_no, fmt::format("\"{}\" plays itself", util::abbreviate(a, 40)));
    return;
  }
  auto outcome = obj.find("outcome");
  if (outcome == obj.end()) {
    problem(line_no, "no \"outcome\" (\"win\", \"loss\" or \"draw\", from the first player's side)");
    return;
  }
  std::string why;
  auto score = read_outcome(*outcome, why);
  Game g;
  if (!score || !read_step(obj, g.step, why)) {
    problem(line_no, why);
    return;
  }
  if (m_data.games.size() >= k_max_games) {
    m_data.fatal =
        fmt::format("{}:{}: more than {} games; split the file or drop old games", m_name, line_no, k_max_games);
    return;
  }
  auto ia = player_index(a, line_no);
  auto ib = ia ? player_index(b, line_no) : std::nullopt;
  if (!ia || !ib) {
    return; // fatal is set
  }
  g.a = *ia;
  g.b = *ib;
  g.score_a = *score;
  m_data.games.push_back(g);
}

MatchesData parse_matches(std::string_view text, const std::string& name) {
  MatchesParser parser(name);
  size_t line_no = 0;
  size_t start = 0;
  while (start < text.size() && !parser.stopped()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) {
      end = text.size();
    }
    parser.add_line(text.substr(start, end - start), ++line_no);
    start = end + 1;
  }
  return parser.take();
}

MatchesData read_matches(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error(std::filesystem::exists(path, ec)
                    ? fmt::format("{} is not a regular file; pass a MATCHES.jsonl file", path.string())
                    : fmt::format("{}: no such file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(fmt::format("cannot open {} for reading", path.string()));
  }
  MatchesParser parser(path.string());
  std::string line;
  size_t line_no = 1;
  size_t overlong = 0; // bytes of the current line once it passed the limit
  std::vector<char> block(size_t{1} << 16);
  while (!parser.stopped() && in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    std::string_view chunk(block.data(), static_cast<size_t>(in.gcount()));
    while (!chunk.empty()) {
      size_t nl = chunk.find('\n');
      std::string_view piece = chunk.substr(0, nl);
      if (overlong > 0 || line.size() + piece.size() > k_max_match_line) {
        overlong = (overlong > 0 ? overlong : line.size()) + piece.size();
        line.clear();
      } else {
        line.append(piece);
      }
      if (nl == std::string_view::npos) {
        break;
      }
      if (overlong > 0) {
        parser.add_overlong_line(line_no, overlong);
      } else {
        parser.add_line(line, line_no);
      }
      line.clear();
      overlong = 0;
      ++line_no;
      chunk.remove_prefix(nl + 1);
    }
  }
  if (in.bad()) {
    throw Error(fmt::format("cannot read {}", path.string()));
  }
  if (overlong > 0) {
    parser.add_overlong_line(line_no, overlong);
  } else if (!line.empty()) {
    parser.add_line(line, line_no);
  }
  return parser.take();
}

} // namespace seedrun::stats
