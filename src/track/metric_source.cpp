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
  std::filesystem::path p(out);
  return (p.is_absolute() ? p : context.output_dir / p).lexically_normal();
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
