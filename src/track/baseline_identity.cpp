#include "seedrun/track/baseline_identity.hpp"

#include "seedrun/util/error.hpp"
#include "seedrun/util/paths.hpp"
#include "seedrun/util/sha256.hpp"
#include "seedrun/util/strings.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <spdlog/spdlog.h>

namespace seedrun::track {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string trim_newline(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) {
    s.pop_back();
  }
  return s;
}

std::vector<std::string> split_nul(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    size_t end = s.find('\0', start);
    if (end == std::string::npos) {
      end = s.size();
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// git with an argument vector (never a shell); nullopt when git is missing or fails.
std::optional<std::string> git(exec::ProcessRunner& runner, const fs::path& cwd, std::vector<std::string> args) {
  exec::ProcessRequest req;
  req.argv = {"git"};
  req.argv.insert(req.argv.end(), args.begin(), args.end());
  req.cwd = cwd;
  req.env["GIT_OPTIONAL_LOCKS"] = "0"; // status must not rewrite the index of the user's repository
  req.env["GIT_TERMINAL_PROMPT"] = "0";
  req.env["LC_ALL"] = "C";
  req.timeout = 30s;
  try {
    auto r = runner.run(req);
    if (!r.ok()) {
      spdlog::debug("git {} in {}: {}", fmt::join(args, " "), cwd.string(), trim_newline(r.err));
      return std::nullopt;
    }
    return r.out;
  } catch (const Error& e) {
    spdlog::debug("git not run: {}", e.what());
    return std::nullopt;
  }
}

fs::path canonical_or_self(const fs::path& p) {
  std::error_code ec;
  auto c = fs::weakly_canonical(p, ec);
  return ec ? p : c;
}

std::vector<NamedFile> named_files(const config::Config& cfg) {
  fs::path dir = canonical_or_self(cfg.dir);
  fs::path config_file = cfg.file.empty() ? fs::path() : canonical_or_self(cfg.file);
  std::set<std::string> seen;
  std::vector<NamedFile> out;
  for (const auto& arg : cfg.command) {
    if (arg.find('{') != std::string::npos || arg.empty()) {
      continue; // a placeholder: its value changes per run and is not code
    }
    std::vector<std::string> candidates{arg};
    auto eq = arg.find('=');
    if (arg[0] == '-' && eq != std::string::npos) {
      candidates.push_back(arg.substr(eq + 1)); // --config=foo.yaml
    }
    for (const auto& c : candidates) {
      if (c.empty() || c.size() > 4096) {
        continue;
      }
      fs::path p = fs::path(c).is_absolute() ? fs::path(c) : cfg.dir / c;
      std::error_code ec;
      if (!fs::is_regular_file(p, ec)) {
        continue;
      }
      auto canon = canonical_or_self(p);
      if (!util::is_strictly_inside(dir, canon) || canon == config_file) {
        continue; // the interpreter, system files; seedrun.yaml's relevant keys are in the identity
      }
      std::string rel = canon.lexically_relative(dir).generic_string();
      if (!seen.insert(rel).second) {
        continue;
      }
      auto h = util::sha256_file(canon);
      out.push_back({rel, h.hex, h.size, h.sampled});
    }
  }
  return out;
}

// Paths (relative to the repository top, '/'-separated) whose changes are not code changes.
std::vector<std::string> excluded_paths(const config::Config& cfg, const fs::path& top) {
  std::vector<std::string> out;
  for (const auto& p : {cfg.paths.state, cfg.paths.reports, cfg.paths.checkpoints, cfg.file}) {
    if (p.empty()) {
      continue;
    }
    auto rel = canonical_or_self(p).lexically_relative(top).generic_string();
    if (!rel.empty() && rel != "." && !util::starts_with(rel, "..")) {
      out.push_back(rel);
    }
  }
  return out;
}

bool is_excluded(const std::string& path, const std::vector<std::string>& excluded) {
  for (const auto& e : excluded) {
    if (path == e || (path.size() > e.size() && util::starts_with(path, e) && path[e.size()] == '/')) {
      return true;
    }
  }
  return false;
}

std::optional<GitState> git_state(const config::Config& cfg, exec::ProcessRunner& runner) {
  auto top_out = git(runner, cfg.dir, {"rev-parse", "--show-toplevel"});
  if (!top_out) {
    return std::nullopt;
  }
  fs::path top = canonical_or_self(trim_newline(*top_out));
  GitState g;
  if (auto head = git(runner, top, {"rev-parse", "--verify", "-q", "HEAD"})) {
    g.commit = trim_newline(*head);
  }
  // Inside a work tree, a git that fails now must not silently drop the git part: the identity
  // would change and a new baseline would be asked for nothing.
  auto unreadable = [&](const char* what) {
    return Error(fmt::format("cannot read the git state of {} ({} failed; `seedrun --verbose` shows git's message): "
                             "the baseline identity needs it",
                             top.string(), what));
  };
  auto ls = git(runner, top, {"ls-files", "-s", "-z"});
  if (!ls) {
    throw unreadable("git ls-files");
  }
  auto status = git(runner, top, {"status", "--porcelain=v1", "-z", "--untracked-files=no"});
  if (!status) {
    throw unreadable("git status");
  }
  auto excluded = excluded_paths(cfg, top);
  std::map<std::string, std::string> blobs; // path → blob id of its content on disk
  for (const auto& entry : split_nul(*ls)) {
    auto tab = entry.find('\t');
    auto sp = entry.find(' ');
    if (tab == std::string::npos || sp == std::string::npos || sp > tab) {
      continue;
    }
    std::string path = entry.substr(tab + 1);
    if (!is_excluded(path, excluded)) {
      blobs[path] = entry.substr(sp + 1, entry.find(' ', sp + 1) - sp - 1);
    }
  }
  std::vector<std::string> modified_on_disk;
  auto entries = split_nul(*status);
  for (size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    if (e.size() < 4) {
      continue;
    }
    char x = e[0];
    char y = e[1];
    std::string path = e.substr(3);
    if (x == 'R' || x == 'C') {
      ++i; // the next entry is the original path
    }
    if (is_excluded(path, excluded)) {
      continue;
    }
    g.dirty_files.push_back(path);
    if (y != ' ') {
      modified_on_disk.push_back(path);
    }
  }
  g.dirty = !g.dirty_files.empty();
  // Blob ids of the edited files as they are on disk, so that committing an edit later leaves
  // the tree hash unchanged.
  std::vector<std::string> present;
  for (const auto& p : modified_on_disk) {
    std::error_code ec;
    if (fs::is_regular_file(top / p, ec)) {
      present.push_back(p);
    } else {
      blobs[p] = "deleted";
    }
  }
  for (size_t start = 0; start < present.size(); start += 200) {
    std::vector<std::string> args{"hash-object", "--"};
    size_t end = std::min(present.size(), start + 200);
    args.insert(args.end(), present.begin() + static_cast<long>(start), present.begin() + static_cast<long>(end));
    auto out = git(runner, top, args);
    if (!out) {
      throw unreadable("git hash-object");
    }
    auto lines = util::split(trim_newline(*out), '\n');
    for (size_t i = start; i < end && i - start < lines.size(); ++i) {
      blobs[present[i]] = lines[i - start];
    }
  }
  util::Sha256 tree;
  for (const auto& [path, blob] : blobs) {
    tree.update(path);
    tree.update(std::string_view("\0", 1));
    tree.update(blob);
    tree.update("\n");
  }
  g.tree_hash = tree.hex();
  return g;
}

std::string key_of(const BaselineIdentity& id) {
  util::Sha256 s;
  s.update("seedrun-identity/1\n");
  s.update(util::join(id.command, std::string(1, '\0')));
  s.update(fmt::format("\n{}\n{}\n{}\n{}\n", id.train_tokens, id.metric, id.executor, id.code_hash));
  s.update(id.git ? "git " + id.git->tree_hash : std::string("no-git"));
  return s.hex().substr(0, 16);
}

std::string short_hash(const std::string& h, size_t n = 8) {
  return h.substr(0, n);
}

std::string git_words(const GitState& g) {
  std::string commit = g.commit.empty() ? "no commit" : short_hash(g.commit, 10);
  if (!g.dirty) {
    return commit;
  }
  std::vector<std::string> shown(g.dirty_files.begin(),
                                 g.dirty_files.begin() + std::min<long>(3, static_cast<long>(g.dirty_files.size())));
  return fmt::format("{} (+dirty: {}{})", commit, fmt::join(shown, ", "), g.dirty_files.size() > 3 ? ", ..." : "");
}

} // namespace

std::string BaselineIdentity::to_json_text() const {
  nlohmann::json files_j = nlohmann::json::array();
  for (const auto& f : files) {
    files_j.push_back({{"path", f.path}, {"sha256", f.sha256}, {"size", f.size}, {"sampled", f.sampled}});
  }
  nlohmann::json j = {
      {"key", key},       {"command", command},   {"command_key", command_key}, {"train_tokens", train_tokens},
      {"metric", metric}, {"executor", executor}, {"files", files_j},           {"code_hash", code_hash},
      {"git", nullptr}};
  if (git) {
    j["git"] = {{"commit", git->commit},
                {"dirty", git->dirty},
                {"dirty_files", git->dirty_files},
                {"tree_hash", git->tree_hash}};
  }
  return j.dump();
}

BaselineIdentity compute_identity(const config::Config& cfg, exec::ProcessRunner* runner) {
  BaselineIdentity id;
  id.command = cfg.command;
  id.command_key = config::command_key(cfg);
  id.train_tokens = cfg.train_tokens;
  id.metric = cfg.metric.name;
  id.executor = cfg.executor == config::ExecutorKind::slurm ? "slurm" : "local";
  id.files = named_files(cfg);
  util::Sha256 code;
  for (const auto& f : id.files) {
    code.update(fmt::format("{}\n{}\n", f.path, f.sha256));
  }
  id.code_hash = code.hex();
  if (runner) {
    id.git = git_state(cfg, *runner);
  }
  id.key = key_of(id);
  return id;
}

std::optional<BaselineIdentity> identity_from_json(const nlohmann::json& j) {
  try {
    if (!j.is_object()) {
      return std::nullopt;
    }
    BaselineIdentity id;
    id.key = j.at("key").get<std::string>();
    id.command = j.at("command").get<std::vector<std::string>>();
    id.command_key = j.at("command_key").get<std::string>();
    id.train_tokens = j.at("train_tokens").get<long long>();
    id.metric = j.at("metric").get<std::string>();
    id.executor = j.at("executor").get<std::string>();
    id.code_hash = j.at("code_hash").get<std::string>();
    for (const auto& f : j.at("files")) {
      id.files.push_back({f.at("path").get<std::string>(), f.at("sha256").get<std::string>(),
                          f.at("size").get<unsigned long long>(), f.value("sampled", false)});
    }
    const auto& g = j.at("git");
    if (!g.is_null()) {
      GitState gs;
      gs.commit = g.at("commit").get<std::string>();
      gs.dirty = g.at("dirty").get<bool>();
      gs.dirty_files = g.at("dirty_files").get<std::vector<std::string>>();
      gs.tree_hash = g.at("tree_hash").get<std::string>();
      id.git = gs;
    }
    if (id.key.size() != 16) {
      return std::nullopt;
    }
    return id;
  } catch (const nlohmann::json::exception& e) {
    spdlog::debug("not a baseline identity: {}", e.what());
    return std::nullopt;
  }
}

std::optional<BaselineIdentity> identity_from_text(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    return std::nullopt;
  }
  return identity_from_json(j);
}

std::vector<std::string> identity_differences(const BaselineIdentity& before, const BaselineIdentity& now) {
  std::vector<std::string> out;
  if (before.key == now.key) {
    return out;
  }
  if (before.command != now.command) {
    out.push_back(
        fmt::format("the command changed (`{}` → `{}`)", fmt::join(before.command, " "), fmt::join(now.command, " ")));
  }
  if (before.train_tokens != now.train_tokens || before.metric != now.metric) {
    out.push_back(fmt::format("the scale or metric changed ({} {} → {} {})", before.train_tokens, before.metric,
                              now.train_tokens, now.metric));
  }
  if (before.executor != now.executor) {
    out.push_back(fmt::format("the executor changed ({} → {})", before.executor, now.executor));
  }
  std::map<std::string, const NamedFile*> old_files;
  for (const auto& f : before.files) {
    old_files[f.path] = &f;
  }
  for (const auto& f : now.files) {
    auto it = old_files.find(f.path);
    if (it == old_files.end()) {
      out.push_back(fmt::format("{} is new to the command (sha256 {})", f.path, short_hash(f.sha256)));
      continue;
    }
    if (it->second->sha256 != f.sha256) {
      out.push_back(
          fmt::format("{} changed (sha256 {} → {})", f.path, short_hash(it->second->sha256), short_hash(f.sha256)));
    }
    old_files.erase(it);
  }
  for (const auto& [path, f] : old_files) {
    out.push_back(fmt::format("{} is no longer named by the command or no longer exists", path));
  }
  if (before.git && now.git && before.git->tree_hash != now.git->tree_hash) {
    out.push_back(
        fmt::format("tracked files in git changed (commit {} → {})", git_words(*before.git), git_words(*now.git)));
  } else if (before.git && !now.git) {
    out.push_back(fmt::format("the project is no longer a git work tree (was at commit {})", git_words(*before.git)));
  } else if (!before.git && now.git) {
    out.push_back(fmt::format("the project is now a git work tree (commit {})", git_words(*now.git)));
  }
  if (out.empty()) {
    out.push_back(fmt::format("the identity changed ({} → {})", before.short_key(), now.short_key()));
  }
  return out;
}

std::string identity_summary(const BaselineIdentity& id) {
  std::vector<std::string> names;
  for (const auto& f : id.files) {
    names.push_back(f.path);
  }
  std::string code = names.empty() ? std::string("no project file named by the command")
                                   : fmt::format("code {} ({})", short_hash(id.code_hash), fmt::join(names, ", "));
  std::string git_part = id.git ? fmt::format("git {}", git_words(*id.git)) : std::string("not a git work tree");
  return fmt::format("{}, {}, executor {}", code, git_part, id.executor);
}

} // namespace seedrun::track
