#pragma once
// Which code a baseline ran (docs/method.md "Baseline identity"). Two baselines are
// interchangeable only when their identities are equal: the same command template, scale,
// metric and executor, the same content of every file the command names inside the project,
// and, in a git work tree, the same content of every tracked file (seedrun's own outputs and
// seedrun.yaml excepted). The git commit and dirty state are recorded and shown; the identity
// uses the tracked files' content rather than the commit, so committing a report, or
// committing an edit already made, does not invalidate a baseline while any edit to a tracked
// file does.
//
// The JSON document (stored in campaigns.identity and in every report) is:
//   {"key": 16 hex, "command": [...], "command_key": legacy hash of command/scale/metric,
//    "train_tokens": n, "metric": name, "executor": "local"|"slurm",
//    "files": [{"path": relative to the project, "sha256": hex, "size": n, "sampled": bool}],
//    "code_hash": sha256 over the files,
//    "git": null | {"commit": hex or "", "dirty": bool, "dirty_files": [...], "tree_hash": hex}}
#include "seedrun/config/config.hpp"
#include "seedrun/exec/process_runner.hpp"

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::track {

struct NamedFile {
  std::string path; // relative to the project directory
  std::string sha256;
  unsigned long long size = 0;
  bool sampled = false; // large file: hashed by size, first and last 8 MiB
};

struct GitState {
  std::string commit; // empty when the repository has no commit yet
  bool dirty = false; // tracked files differ from HEAD (seedrun's own outputs excepted)
  std::vector<std::string> dirty_files;
  std::string tree_hash; // sha256 over (path, blob) of every tracked file, as on disk
};

struct BaselineIdentity {
  std::string key; // 16 hex digits over everything below
  std::vector<std::string> command;
  std::string command_key; // config::command_key: command text, scale, metric (pre-identity stores)
  long long train_tokens = 0;
  std::string metric;
  std::string executor;
  std::vector<NamedFile> files;
  std::string code_hash; // sha256 over the named files (path and content hash)
  std::optional<GitState> git;

  std::string short_key() const { return key.substr(0, 6); }
  std::string to_json_text() const;
};

// The identity of the configured command now. `runner` runs git (argv, never a shell); with
// nullptr, or when git is missing or the directory is not a work tree, there is no git part.
// Unreadable named files, and a work tree whose state git cannot list, throw seedrun::Error.
BaselineIdentity compute_identity(const config::Config& cfg, exec::ProcessRunner* runner);

// Parses the JSON document; nullopt when it is not an identity (missing or mistyped fields).
std::optional<BaselineIdentity> identity_from_json(const nlohmann::json& j);
std::optional<BaselineIdentity> identity_from_text(const std::string& text);

// What differs from `before` to `now`, in words, e.g. "train_llm.py changed (sha256 1a2b3c4d →
// 9f8e7d6c)", "executor changed (local → slurm)". Empty when the keys are equal.
std::vector<std::string> identity_differences(const BaselineIdentity& before, const BaselineIdentity& now);

// Reading back a report's JSON twin (a file that may have been edited or replaced): the text
// when it is a regular file of at most 16 MiB, and the JSON parsed with nesting limited to 64
// levels (nullopt, with `error` saying why, otherwise). Never throws for any content.
std::optional<std::string> read_report_twin(const std::filesystem::path& file);
std::optional<nlohmann::json> parse_report_twin(const std::string& text, std::string& error);
// The identity recorded in a seedrun-written report twin, if any.
std::optional<BaselineIdentity> identity_from_report_text(const std::string& text);

// One line for messages and reports: "code 1a2b3c4d (train_llm.py), git 0badc0de (+dirty), executor local".
std::string identity_summary(const BaselineIdentity& id);

} // namespace seedrun::track
