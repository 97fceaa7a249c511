#pragma once
// Type-tolerant field access for JSON written by other tools. nlohmann's `value()` throws when a
// field has an unexpected type; these return "absent" instead, so one odd field in an inspect-ai
// log never makes the whole log unreadable.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace seedrun::summarize {

// The member `key` of `object`, or a null json when `object` is not an object or lacks `key`.
const nlohmann::json& json_field(const nlohmann::json& object, const char* key);

// A string field; "" when absent or not a string.
std::string json_string(const nlohmann::json& object, const char* key);

// A finite number field (JSON number, not bool); nullopt otherwise.
std::optional<double> json_number(const nlohmann::json& object, const char* key);

// An integral number field; nullopt when absent, not a number, or not whole.
std::optional<long long> json_integer(const nlohmann::json& object, const char* key);

// Scalars as text: strings as is, numbers and bools as JSON writes them, "" for the rest.
std::string json_scalar_text(const nlohmann::json& value);

} // namespace seedrun::summarize
