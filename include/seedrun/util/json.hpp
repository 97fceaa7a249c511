#pragma once
// JSON at the edges of the program, header-only (nlohmann is header-only too):
//  - what we print or write goes through dump_json(), which replaces invalid UTF-8 in strings
//    with U+FFFD instead of throwing type_error.316 (file names, flags and log text are bytes,
//    not necessarily UTF-8);
//  - what we read from files we did not write goes through parse_json_bounded(), which refuses
//    nesting deeper than k_max_json_depth before building it, so no later recursive walk (dump,
//    copy, our own readers) can run out of stack on a hostile file;
//  - an optional value goes in through json_or_null(), the one rule for what is missing.
#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace seedrun::util {

// Deepest nesting of arrays and objects accepted from outside files. inspect-ai logs nest about
// 10 deep; 256 leaves room for any real document and keeps recursive walks far from the stack
// limit, also under AddressSanitizer.
inline constexpr std::size_t k_max_json_depth = 256;

// `j` as text; indent -1: one line. Invalid UTF-8 becomes U+FFFD. Never throws for content.
inline std::string dump_json(const nlohmann::json& j, int indent = -1) {
  return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

// The one rule for values that may be missing, in every JSON file seedrun writes (the report
// twins, `summarize --json`): an absent value is null, and so is a number that is not finite,
// since JSON has no NaN or infinity (nlohmann prints null for a non-finite number node too; this
// makes the node itself null, so code inspecting it sees what the file says). `seedrun status --json` is the one
// deliberate exception: it spells a seed's non-finite metric "nan"/"inf", because there why a seed has no number is the
// answer.
template <typename T> nlohmann::json json_or_null(const std::optional<T>& v) {
  if constexpr (std::is_floating_point_v<T>) {
    if (v && !std::isfinite(*v)) {
      return nullptr;
    }
  }
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

// Parses `text`; on failure returns nullopt and sets `error` to nlohmann's message (with the
// byte position) or "nesting deeper than N levels at byte B". Never throws for any input.
inline std::optional<nlohmann::json> parse_json_bounded(std::string_view text, std::string& error,
                                                        std::size_t max_depth = k_max_json_depth) {
  struct TooDeep {
    std::size_t depth;
  };
  using Event = nlohmann::json::parse_event_t;
  // depth is the number of enclosing containers of the one that starts
  auto guard = [max_depth](int depth, Event event, nlohmann::json&) {
    if ((event == Event::object_start || event == Event::array_start) && static_cast<std::size_t>(depth) >= max_depth) {
      throw TooDeep{static_cast<std::size_t>(depth) + 1};
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text, guard);
  } catch (const TooDeep&) {
    error = "nesting deeper than " + std::to_string(max_depth) + " levels of arrays and objects";
  } catch (const nlohmann::json::exception& e) {
    error = e.what();
  }
  return std::nullopt;
}

} // namespace seedrun::util
