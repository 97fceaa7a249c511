// The identity lines of the reports: which command, code, git state and executor a campaign
// ran (the document track/baseline_identity.hpp describes), read from the store's JSON.
#include "seedrun/report/reports.hpp"
#include "seedrun/util/json.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

namespace seedrun::report {
namespace {

nlohmann::json stored_identity(const store::Campaign& c) {
  if (!c.identity) {
    return nullptr;
  }
  auto j = nlohmann::json::parse(*c.identity, nullptr, false);
  return j.is_object() ? j : nlohmann::json(nullptr);
}

std::string text_of(const nlohmann::json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

} // namespace

nlohmann::json identity_json(const store::Campaign& campaign) {
  auto j = stored_identity(campaign);
  if (j.is_null() && !campaign.origin) {
    return nullptr;
  }
  if (j.is_null()) {
    j = nlohmann::json::object();
  }
  j["origin"] = util::json_or_null(campaign.origin);
  return j;
}

std::string identity_line(const store::Campaign& campaign) {
  auto j = stored_identity(campaign);
  std::string origin =
      campaign.origin ? fmt::format(" · read back from `{}`", campaign.origin->substr(campaign.origin->find(':') + 1))
                      : std::string();
  if (j.is_null()) {
    return fmt::format("recorded before seedrun kept code identities · executor `{}`{}", campaign.executor, origin);
  }
  std::vector<std::string> files;
  if (auto it = j.find("files"); it != j.end() && it->is_array()) {
    for (const auto& f : *it) {
      if (f.is_object()) {
        files.push_back(text_of(f, "path"));
      }
    }
  }
  std::string code = files.empty() ? std::string("no project file named by the command")
                                   : fmt::format("code sha256 `{}` ({})", text_of(j, "code_hash").substr(0, 8),
                                                 fmt::join(files, ", "));
  std::string git = "not a git work tree";
  if (auto g = j.find("git"); g != j.end() && g->is_object()) {
    std::string commit = text_of(*g, "commit");
    git = fmt::format("git `{}`", commit.empty() ? std::string("no commit") : commit.substr(0, 10));
    if (g->value("dirty", false)) {
      std::vector<std::string> dirty;
      if (auto d = g->find("dirty_files"); d != g->end() && d->is_array()) {
        for (const auto& f : *d) {
          if (f.is_string() && dirty.size() < 5) {
            dirty.push_back(f.get<std::string>());
          }
        }
      }
      git += fmt::format(" (+dirty: {})", fmt::join(dirty, ", "));
    }
  }
  return fmt::format("`{}` · {} · {} · executor `{}`{}", text_of(j, "key").substr(0, 6), code, git,
                     text_of(j, "executor"), origin);
}

std::string identity_lines(const store::Campaign& experiment, const store::Campaign* baseline) {
  std::string md = fmt::format("**Identity:** {}\n\n", identity_line(experiment));
  if (baseline) {
    std::string file = baseline_report_filename(*baseline);
    md += fmt::format("**Baseline:** [`{}`]({}) (campaign `{}`): {}\n\n", file, file, baseline->key,
                      identity_line(*baseline));
    if (experiment.identity_key && baseline->identity_key != experiment.identity_key) {
      md += "> The baseline ran other code than this experiment (judged against it with --reuse-baseline, or "
            "recorded before seedrun kept code identities): differences may come from the code, not the flags.\n\n";
    }
  }
  return md;
}

} // namespace seedrun::report
