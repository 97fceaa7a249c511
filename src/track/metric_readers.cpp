// JSON lines and trainer_state.json, read with nlohmann through util::parse_json_bounded (no
// nesting deeper than k_max_json_depth is built, nothing throws out of here).
#include "seedrun/track/metric_readers.hpp"

#include "seedrun/track/log_scanner.hpp"
#include "seedrun/util/json.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <fmt/format.h>

namespace seedrun::track {
namespace {

constexpr size_t k_max_json_line_depth = 64;

bool is_word_byte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// A number out of a JSON value: numbers as they are, strings as training scripts print numbers
// ("nan", "2.5"); nullopt for anything else (bool is not a number here).
std::optional<double> number_of(const nlohmann::json& v) {
  if (v.is_number()) {
    return v.get<double>();
  }
  if (v.is_string()) {
    return parse_metric_number(util::trim(v.get_ref<const std::string&>()));
  }
  return std::nullopt;
}

// A whole step out of a JSON value (a number, or a string of digits); nullopt otherwise.
std::optional<long long> step_of(const nlohmann::json& v) {
  if (v.is_number_integer()) {
    return v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(LLONG_MAX)
               ? std::nullopt
               : std::optional<long long>(v.get<long long>());
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18) {
      return static_cast<long long>(d);
    }
    return std::nullopt;
  }
  if (v.is_string()) {
    return util::parse_int(util::trim(v.get_ref<const std::string&>()));
  }
  return std::nullopt;
}

// `key` as a member of `object`, else as a dotted path ("train.loss"); nullptr when absent.
const nlohmann::json* member(const nlohmann::json& object, const std::string& key) {
  if (!object.is_object()) {
    return nullptr;
  }
  if (auto it = object.find(key); it != object.end()) {
    return &*it;
  }
  const nlohmann::json* at = &object;
  size_t from = 0;
  while (from <= key.size()) {
    size_t dot = key.find('.', from);
    auto part = key.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
    if (!at->is_object()) {
      return nullptr;
    }
    auto it = at->find(part);
    if (it == at->end()) {
      return nullptr;
    }
    at = &*it;
    if (dot == std::string::npos) {
      return at;
    }
    from = dot + 1;
  }
  return nullptr;
}

} // namespace

std::string quote_python_nonfinite(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    bool boundary = i == 0 || !is_word_byte(text[i - 1]);
    for (std::string_view word : {"-Infinity", "Infinity", "NaN"}) {
      if (boundary && text.substr(i).starts_with(word) &&
          (i + word.size() == text.size() || !is_word_byte(text[i + word.size()]))) {
        out += '"';
        out += word;
        out += '"';
        i += word.size() - 1;
        c = '\0';
        break;
      }
    }
    if (c != '\0') {
      out += c;
    }
  }
  return out;
}

JsonLineValue read_json_line(std::string_view line, const std::string& key, const std::string& step_key) {
  JsonLineValue out;
  auto first = line.find_first_not_of(" \t\r\f\v");
  if (first == std::string_view::npos || line[first] != '{') {
    out.kind = JsonLineValue::Kind::unreadable;
    out.problem = "not a JSON object";
    return out;
  }
  // A line without the key's text cannot hold it: passed over unparsed (a file of many metrics
  // is mostly other rows). Only for keys a writer never escapes (plain ASCII, no '"', '\\', '/').
  auto last = std::string_view(key).substr(key.rfind('.') == std::string::npos ? 0 : key.rfind('.') + 1);
  bool plain = std::all_of(key.begin(), key.end(),
                           [](char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '/'; });
  if (plain && line.find(last) == std::string_view::npos) {
    return out;
  }
  std::string error;
  auto parsed = util::parse_json_bounded(quote_python_nonfinite(line), error, k_max_json_line_depth);
  if (!parsed) {
    out.kind = JsonLineValue::Kind::unreadable;
    out.problem = "not JSON: " + util::abbreviate(error, 120);
    return out;
  }
  if (!parsed->is_object()) {
    out.kind = JsonLineValue::Kind::unreadable;
    out.problem = "not a JSON object";
    return out;
  }
  const auto* v = member(*parsed, key);
  if (v == nullptr || v->is_null()) {
    return out; // absent: a line of other metrics (train and eval rows in one file)
  }
  auto number = number_of(*v);
  if (!number) {
    out.kind = JsonLineValue::Kind::unreadable;
    out.problem = fmt::format("'{}' is not a number", util::abbreviate(key));
    return out;
  }
  out.kind = JsonLineValue::Kind::value;
  out.value = *number;
  if (const auto* s = step_key.empty() ? nullptr : member(*parsed, step_key)) {
    out.step = step_of(*s);
  }
  return out;
}

TrainerState read_trainer_state(std::string_view text, const std::string& key) {
  TrainerState out;
  std::string error;
  auto parsed = util::parse_json_bounded(quote_python_nonfinite(text), error);
  if (!parsed) {
    out.problem = "not JSON: " + util::abbreviate(error, 120);
    return out;
  }
  const nlohmann::json* history = parsed->is_object() ? member(*parsed, "log_history") : nullptr;
  if (history == nullptr || !history->is_array()) {
    out.problem = "no log_history list (is this a Hugging Face trainer_state.json?)";
    return out;
  }
  for (const auto& entry : *history) {
    if (!entry.is_object()) {
      continue;
    }
    auto it = entry.find(key);
    if (it == entry.end() || it->is_null()) {
      continue;
    }
    auto value = number_of(*it);
    auto step_it = entry.find("step");
    auto step = step_it == entry.end() ? std::nullopt : step_of(*step_it);
    if (!value || !step) {
      ++out.unreadable;
      continue;
    }
    out.entries.push_back({*step, *value});
  }
  return out;
}

} // namespace seedrun::track
