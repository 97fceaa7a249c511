#include "seedrun/summarize/json_fields.hpp"

#include "seedrun/util/json.hpp"

#include <cmath>

namespace seedrun::summarize {

const nlohmann::json& json_field(const nlohmann::json& object, const char* key) {
  static const nlohmann::json k_null;
  if (!object.is_object()) {
    return k_null;
  }
  auto it = object.find(key);
  return it == object.end() ? k_null : *it;
}

std::string json_string(const nlohmann::json& object, const char* key) {
  const auto& v = json_field(object, key);
  return v.is_string() ? v.get<std::string>() : std::string();
}

std::optional<double> json_number(const nlohmann::json& object, const char* key) {
  const auto& v = json_field(object, key);
  if (!v.is_number()) {
    return std::nullopt;
  }
  double d = v.get<double>();
  if (!std::isfinite(d)) {
    return std::nullopt;
  }
  return d;
}

std::optional<long long> json_integer(const nlohmann::json& object, const char* key) {
  const auto& v = json_field(object, key);
  if (v.is_number_integer()) {
    return v.get<long long>();
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9e15) {
      return static_cast<long long>(d);
    }
  }
  return std::nullopt;
}

std::string json_scalar_text(const nlohmann::json& value) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_number() || value.is_boolean()) {
    return util::dump_json(value);
  }
  return {};
}

} // namespace seedrun::summarize
