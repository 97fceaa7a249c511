// Reading a baseline back from its report's JSON twin when the store does not have it (the
// state directory was deleted, the project was copied without it). The twin is a file seedrun
// wrote once but anyone may have edited since: it is size- and depth-limited, every field is
// type-checked, and anything unexpected leaves it untouched and unused, with a note saying why.
#include "seedrun/track/campaigns.hpp"
#include "seedrun/util/sha256.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

namespace seedrun::track {
namespace {

namespace fs = std::filesystem;

constexpr unsigned long long k_max_twin_bytes = 16ULL << 20;
constexpr int k_max_twin_depth = 64;
constexpr const char* k_schema = "seedrun.baseline_report/1";

struct TwinSeed {
  long long seed = 0;
  std::string state;
  std::optional<double> metric;
  std::optional<double> wall_time;
  bool counted = false;
  std::string reason;
};

struct Twin {
  fs::path path;
  std::string key; // the campaign key its file name belongs to
  std::optional<BaselineIdentity> identity;
  std::vector<std::string> command;
  std::string goal;
  std::string text;
  std::vector<TwinSeed> seeds;
};

std::optional<double> number_or_null(const nlohmann::json& j, const std::string& field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    return std::nullopt;
  }
  if (!it->is_number()) {
    throw std::invalid_argument(fmt::format("'{}' is not a number", field));
  }
  return it->get<double>();
}

std::vector<TwinSeed> read_seeds(const nlohmann::json& j, const std::string& metric) {
  std::vector<TwinSeed> out;
  const auto& seeds = j.at("seeds");
  if (!seeds.is_array()) {
    throw std::invalid_argument("'seeds' is not an array");
  }
  std::set<long long> seen;
  for (const auto& s : seeds) {
    if (!s.is_object() || !s.at("seed").is_number_integer() || !s.at("state").is_string()) {
      throw std::invalid_argument("a seed entry lacks an integer 'seed' or a 'state'");
    }
    TwinSeed t;
    t.seed = s.at("seed").get<long long>();
    t.state = s.at("state").get<std::string>();
    t.metric = number_or_null(s, metric);
    t.wall_time = number_or_null(s, "wall_time");
    t.counted = s.value("counted", false) && t.metric && std::isfinite(*t.metric);
    if (s.contains("reason") && s.at("reason").is_string()) {
      t.reason = s.at("reason").get<std::string>();
    }
    if (seen.insert(t.seed).second) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

// The twin at `path` when it is a complete seedrun baseline of this scale and metric (and of
// `id`'s code unless `accept_other_code`); otherwise a note in `notes` and nullopt.
std::optional<Twin> read_twin(const fs::path& path, const config::Config& cfg, const BaselineIdentity& id,
                              bool accept_other_code, std::vector<std::string>& notes) {
  auto text = read_report_twin(path);
  if (!text) {
    notes.push_back(fmt::format("{}: not read back (not a regular file, or larger than 16 MiB)", path.string()));
    return std::nullopt;
  }
  std::string error;
  auto j = parse_report_twin(*text, error);
  if (!j || !j->is_object() || j->value("schema", std::string()) != k_schema) {
    notes.push_back(fmt::format("{}: kept but not read back: not a seedrun baseline report{}", path.string(),
                                error.empty() ? "" : " (" + error + ")"));
    return std::nullopt;
  }
  Twin t;
  t.path = path;
  t.text = *text;
  try {
    if (j->at("train_tokens").get<long long>() != cfg.train_tokens ||
        j->at("metric").at("name").get<std::string>() != cfg.metric.name) {
      notes.push_back(fmt::format("{}: kept but not read back: another scale or metric", path.string()));
      return std::nullopt;
    }
    t.command = j->at("command").get<std::vector<std::string>>();
    t.goal = j->at("metric").value("goal", std::string("minimize"));
    if (j->contains("identity") && !j->at("identity").is_null()) {
      t.identity = identity_from_json(j->at("identity"));
    }
    t.seeds = read_seeds(*j, cfg.metric.name);
  } catch (const std::exception& e) { // nlohmann type/out-of-range errors and ours
    notes.push_back(fmt::format("{}: kept but not read back: {}", path.string(), e.what()));
    return std::nullopt;
  }
  if (!accept_other_code && !t.identity) {
    notes.push_back(fmt::format("{}: kept but not read back: it records no code identity (an older seedrun wrote "
                                "it); --reuse-baseline reads it back anyway",
                                path.string()));
    return std::nullopt;
  }
  if (!accept_other_code && t.identity->key != id.key) {
    notes.push_back(fmt::format("{}: kept, not overwritten: it holds a baseline of other code ({}); "
                                "--reuse-baseline reads it back anyway",
                                path.string(), util::join(identity_differences(*t.identity, id), "; ")));
    return std::nullopt;
  }
  size_t counted = 0;
  for (auto seed : cfg.seeds.baseline) {
    counted += std::any_of(t.seeds.begin(), t.seeds.end(),
                           [&](const TwinSeed& s) { return s.seed == static_cast<long long>(seed) && s.counted; })
                   ? 1
                   : 0;
  }
  if (counted < cfg.seeds.baseline.size()) {
    notes.push_back(fmt::format("{}: not read back: {} of the {} baseline seeds have a value", path.string(), counted,
                                cfg.seeds.baseline.size()));
    return std::nullopt;
  }
  std::string stem = path.stem().string();
  std::string prefix = "baseline_variance_" + config::scale_label(cfg.train_tokens);
  t.key = plain_baseline_key(cfg.train_tokens) + stem.substr(prefix.size());
  return t;
}

store::Campaign insert_twin(const config::Config& cfg, store::Store& store, const Twin& t, util::TimePoint now) {
  store::Campaign c;
  c.key = t.key;
  c.name = "baseline";
  c.kind = "baseline";
  c.command = t.command;
  c.command_key = t.identity ? t.identity->key : "imported-" + util::sha256_hex(t.text).substr(0, 16);
  if (t.identity) {
    c.identity_key = t.identity->key;
    c.identity = t.identity->to_json_text();
  }
  c.train_tokens = cfg.train_tokens;
  c.metric = cfg.metric.name;
  c.goal = store::parse_goal(t.goal).value_or(store::Goal::minimize);
  c.executor = t.identity ? t.identity->executor : "unknown";
  c.state = store::CampaignState::done; // created finished: its numbers are the report's
  c.config_path = cfg.file.string();
  c.created_at = std::chrono::floor<std::chrono::seconds>(now);
  c.updated_at = c.created_at;
  c.origin = "imported:" + t.path.string();
  store.transaction([&] {
    c.id = store.insert_campaign(c);
    for (const auto& s : t.seeds) {
      store::Run r;
      r.campaign_id = c.id;
      r.arm = "baseline";
      r.seed = s.seed;
      r.phase = "initial";
      r.state = s.counted ? store::RunState::completed : store::RunState::failed;
      r.id = store.insert_run(r);
      r.wall_time = s.wall_time;
      r.log_done = true;
      r.checkpoint_cleaned = true;
      if (!s.counted) {
        r.reason =
            fmt::format("imported from the report: {}{}", s.state, s.reason.empty() ? "" : " (" + s.reason + ")");
      }
      store.update_run(r);
      if (s.metric) {
        store.append_metrics(r.id, {store::MetricPoint{std::nullopt, c.metric, *s.metric}}, 0, std::nullopt);
      }
    }
  });
  return c;
}

} // namespace

std::optional<std::string> read_report_twin(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::status(file, ec)) || ec) {
    return std::nullopt;
  }
  auto size = fs::file_size(file, ec);
  if (ec || size > k_max_twin_bytes) {
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string text(static_cast<size_t>(size), '\0');
  in.read(text.data(), static_cast<std::streamsize>(size));
  text.resize(static_cast<size_t>(in.gcount()));
  return text;
}

std::optional<nlohmann::json> parse_report_twin(const std::string& text, std::string& error) {
  struct TooDeep {};
  using Event = nlohmann::json::parse_event_t;
  auto guard = [](int depth, Event event, nlohmann::json&) {
    if ((event == Event::object_start || event == Event::array_start) && depth >= k_max_twin_depth) {
      throw TooDeep{};
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text, guard);
  } catch (const TooDeep&) {
    error = fmt::format("nested deeper than {} levels", k_max_twin_depth);
  } catch (const nlohmann::json::exception& e) {
    error = e.what();
  }
  return std::nullopt;
}

std::optional<BaselineIdentity> identity_from_report_text(const std::string& text) {
  std::string error;
  auto j = parse_report_twin(text, error);
  if (!j || !j->is_object()) {
    return std::nullopt;
  }
  auto it = j->find("identity");
  return it == j->end() ? std::nullopt : identity_from_json(*it);
}

std::optional<store::Campaign> import_baseline_twin(const config::Config& cfg, store::Store& store,
                                                    const BaselineIdentity& identity, bool accept_other_code,
                                                    std::vector<std::string>& notes, util::TimePoint now) {
  std::string prefix = "baseline_variance_" + config::scale_label(cfg.train_tokens);
  std::vector<fs::path> twins;
  std::error_code ec;
  for (fs::directory_iterator it(cfg.paths.reports, ec), end; !ec && it != end; it.increment(ec)) {
    auto stem = it->path().stem().string();
    if (it->path().extension() == ".json" && (stem == prefix || util::starts_with(stem, prefix + "_"))) {
      twins.push_back(it->path());
    }
  }
  std::sort(twins.begin(), twins.end()); // the seed-003 name first, then suffixed ones
  std::vector<std::string> skipped;      // said only when nothing was read back
  for (const auto& path : twins) {
    std::vector<std::string> twin_notes;
    auto t = read_twin(path, cfg, identity, accept_other_code, twin_notes);
    if (t && store.find_campaign(t->key)) {
      continue; // the store already has a campaign of that name: this file is its report
    }
    if (!t) {
      // A twin of a campaign the store knows is that campaign's own report: nothing to say.
      std::string stem = path.stem().string();
      if (!store.find_campaign(plain_baseline_key(cfg.train_tokens) + stem.substr(prefix.size()))) {
        skipped.insert(skipped.end(), twin_notes.begin(), twin_notes.end());
      }
      continue;
    }
    return insert_twin(cfg, store, *t, now);
  }
  notes.insert(notes.end(), skipped.begin(), skipped.end());
  return std::nullopt;
}

} // namespace seedrun::track
