#include "seedrun/track/metric_source.hpp"

#include "seedrun/util/json.hpp"
#include "source_file.hpp"

namespace seedrun::track {
namespace {

constexpr size_t k_max_cursor_files = 4096;

} // namespace

std::string SourceCursor::encode() const {
  nlohmann::json j = nlohmann::json::object();
  auto files_json = nlohmann::json::array();
  for (const auto& f : files) {
    files_json.push_back({{"name", f.name},
                          {"identity", f.identity},
                          {"offset", f.offset},
                          {"size", f.size},
                          {"mtime_ns", f.mtime_ns},
                          {"skipping", f.skipping},
                          {"broken", f.broken}});
  }
  j["v"] = 1;
  j["files"] = std::move(files_json);
  if (last_step) {
    j["last_step"] = *last_step;
  }
  return util::dump_json(j);
}

std::optional<SourceCursor> SourceCursor::decode(std::string_view text) {
  std::string error;
  auto j = util::parse_json_bounded(text, error, 4);
  if (!j || !j->is_object() || j->value("v", 0) != 1) {
    return std::nullopt;
  }
  SourceCursor c;
  try {
    const auto& files = j->at("files");
    if (!files.is_array() || files.size() > k_max_cursor_files) {
      return std::nullopt;
    }
    for (const auto& f : files) {
      FileCursor fc;
      fc.name = f.at("name").get<std::string>();
      fc.identity = f.at("identity").get<std::string>();
      fc.offset = f.at("offset").get<long long>();
      fc.size = f.at("size").get<long long>();
      fc.mtime_ns = f.at("mtime_ns").get<long long>();
      fc.skipping = f.at("skipping").get<bool>();
      fc.broken = f.at("broken").get<bool>();
      if (fc.offset < 0) {
        return std::nullopt;
      }
      c.files.push_back(std::move(fc));
    }
    if (j->contains("last_step")) {
      c.last_step = j->at("last_step").get<long long>();
    }
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
  return c;
}

namespace {

// A "." or ".." component, or two separators in a row.
bool needs_normalizing(std::string_view path) {
  for (size_t i = 0; i < path.size(); ++i) {
    bool at_start = i == 0 || path[i - 1] == '/';
    if (!at_start) {
      continue;
    }
    auto rest = path.substr(i);
    if (rest.starts_with('/') && i > 0) {
      return true;
    }
    if (rest == "." || rest.starts_with("./") || rest == ".." || rest.starts_with("../")) {
      return true;
    }
  }
  return false;
}

} // namespace

std::filesystem::path resolve_source_path(const std::string& name, const SourceContext& context) {
  std::string out;
  for (size_t i = 0; i < name.size();) {
    if (name.compare(i, 12, "{output_dir}") == 0) {
      out += context.output_dir.string();
      i += 12;
    } else if (name.compare(i, 6, "{seed}") == 0) {
      out += std::to_string(context.seed);
      i += 6;
    } else {
      out += name[i++];
    }
  }
  if (!out.starts_with('/') && !context.output_dir.empty()) {
    out = context.output_dir.string() + "/" + out;
  }
  // lexically_normal only when there is something to normalise: it costs more than the rest
  // (a refresh resolves two paths per running run).
  return needs_normalizing(out) ? std::filesystem::path(out).lexically_normal() : std::filesystem::path(out);
}

std::unique_ptr<MetricSource> make_metric_source(const config::MetricSpec& spec, const SourceContext& context) {
  switch (spec.source) {
  case config::MetricSourceKind::jsonl: return detail::make_jsonl_source(spec, context);
  case config::MetricSourceKind::hf_trainer_state: return detail::make_trainer_state_source(spec, context);
  case config::MetricSourceKind::tensorboard: return detail::make_tensorboard_source(spec, context);
  case config::MetricSourceKind::pattern: break;
  }
  return nullptr;
}

} // namespace seedrun::track
