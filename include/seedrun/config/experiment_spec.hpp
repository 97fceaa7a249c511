#pragma once
// experiment_summary.yaml, the design file of a fine-tune-and-evaluate experiment (schema:
// schemas/experiment_summary.schema.json; keys: docs/summarize.md). Only what summarizing needs
// is read; every other key is left alone, since other tools own this file.
//
//   experiment: {name}                       name defaults to the directory's name
//   output: {output_dir_base}                also accepted: output.base_directory,
//                                            output.output_dir, top-level output_dir_base;
//                                            relative paths are resolved against the file's
//                                            directory; absent: the experiment directory
//   runs: [{name, type, model, parameters}]  type: fine-tuned | control
//   evaluation: {matrix: [{run, tasks, epochs}]}   epochs: list of ints, or null (control)
//
// Loading throws seedrun::UsageError with `file:line:col: message` for a file that is missing,
// not YAML, or lacks a valid `runs` list. It lives in config, beside seedrun.yaml's parser,
// because yaml-cpp is used under src/config only; summarize reads the values.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace seedrun::config {

enum class RunType { fine_tuned, control };

struct RunSpec {
  std::string name;
  RunType type = RunType::fine_tuned;
  std::string model;
  std::map<std::string, std::string> parameters; // scalars as written; nested values as flow YAML
};

struct MatrixEntry {
  std::string run;
  std::vector<std::string> tasks;
  std::optional<std::vector<int>> epochs; // nullopt: null / absent (control runs)
};

struct ExperimentSpec {
  std::filesystem::path file;
  std::filesystem::path dir; // the experiment directory (the file's directory)
  std::string name;
  std::filesystem::path output_base; // absolute
  std::string output_base_key;       // the key it came from ("" when defaulted)
  std::vector<RunSpec> runs;
  std::vector<MatrixEntry> matrix;
  std::vector<std::string> warnings; // non-fatal oddities, for the process log

  // The evaluation.matrix entry of `run`, or nullptr when the matrix does not name it.
  const MatrixEntry* matrix_entry(const std::string& run) const;
};

// "fine-tuned"/"Fine-tuned" and "control"/"Control" for tables.
std::string run_type_label(RunType type);

ExperimentSpec parse_experiment_spec(const std::string& yaml_text, const std::filesystem::path& origin);
ExperimentSpec load_experiment_spec(const std::filesystem::path& file);

} // namespace seedrun::config
