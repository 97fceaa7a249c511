// experiment_summary.yaml → ExperimentSpec, with yaml-cpp like config_parser.cpp (the two files
// that include it); its exceptions become UsageErrors with `file:line:col`.
#include "seedrun/config/experiment_spec.hpp"

#include "seedrun/util/error.hpp"
#include "seedrun/util/strings.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <yaml-cpp/yaml.h>

namespace seedrun::config {
namespace {

// The output-directory keys, most preferred first: {section or "" for top level, key}.
const std::vector<std::pair<std::string, std::string>> k_output_keys = {
    {"output", "output_dir_base"}, {"output", "base_directory"}, {"output", "output_dir"}, {"", "output_dir_base"}};

class Reader {
public:
  explicit Reader(std::filesystem::path origin) : m_origin(std::move(origin)) {}

  [[noreturn]] void fail(const YAML::Node& node, const std::string& msg) const {
    const auto mark = node.Mark();
    if (mark.line >= 0) {
      throw UsageError(fmt::format("{}:{}:{}: {}", m_origin.string(), mark.line + 1, mark.column + 1, msg));
    }
    throw UsageError(fmt::format("{}: {}", m_origin.string(), msg));
  }

  std::string scalar(const YAML::Node& node, const std::string& what) const {
    if (!node.IsScalar()) {
      fail(node, fmt::format("'{}' must be a string", what));
    }
    return node.Scalar();
  }

  // A list of scalars; a single scalar counts as a one-element list.
  std::vector<std::string> scalars(const YAML::Node& node, const std::string& what) const {
    std::vector<std::string> out;
    if (node.IsScalar()) {
      out.push_back(node.Scalar());
      return out;
    }
    if (!node.IsSequence()) {
      fail(node, fmt::format("'{}' must be a list", what));
    }
    for (const auto& item : node) {
      out.push_back(scalar(item, what));
    }
    return out;
  }

  RunType run_type(const YAML::Node& node) const {
    std::string text = scalar(node, "type");
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (text == "fine-tuned" || text == "fine_tuned" || text == "finetuned") {
      return RunType::fine_tuned;
    }
    if (text == "control" || text == "base") {
      return RunType::control;
    }
    fail(node, fmt::format("run type '{}' is neither 'fine-tuned' nor 'control'", node.Scalar()));
  }

  RunSpec run(const YAML::Node& node, size_t index) const {
    if (!node.IsMap()) {
      fail(node, fmt::format("runs[{}] must be a mapping", index));
    }
    RunSpec spec;
    if (!node["name"]) {
      fail(node, fmt::format("runs[{}] has no 'name'", index));
    }
    spec.name = scalar(node["name"], "name");
    if (!node["type"]) {
      fail(node, fmt::format("run '{}' has no 'type' (fine-tuned or control)", spec.name));
    }
    spec.type = run_type(node["type"]);
    if (node["model"]) {
      spec.model = scalar(node["model"], "model");
    }
    const YAML::Node params = node["parameters"];
    if (params && params.IsMap()) {
      for (auto it = params.begin(); it != params.end(); ++it) {
        YAML::Emitter out;
        out << YAML::Flow << it->second;
        spec.parameters[it->first.as<std::string>()] = it->second.IsScalar() ? it->second.Scalar() : out.c_str();
      }
    } else if (params && !params.IsNull()) {
      fail(params, fmt::format("'parameters' of run '{}' must be a mapping", spec.name));
    }
    return spec;
  }

  MatrixEntry matrix_entry(const YAML::Node& node) const {
    if (!node.IsMap() || !node["run"]) {
      fail(node, "each evaluation.matrix entry needs a 'run'");
    }
    MatrixEntry entry;
    entry.run = scalar(node["run"], "run");
    if (node["tasks"]) {
      entry.tasks = scalars(node["tasks"], "tasks");
    }
    const YAML::Node epochs = node["epochs"];
    if (epochs && !epochs.IsNull()) {
      std::vector<int> values;
      for (const auto& text : scalars(epochs, "epochs")) {
        auto v = util::parse_int(util::trim(text));
        if (!v || *v < 0 || *v > std::numeric_limits<int>::max()) {
          fail(epochs, fmt::format("epochs must be whole numbers from 0 to {}, got '{}'",
                                   std::numeric_limits<int>::max(), text));
        }
        values.push_back(static_cast<int>(*v));
      }
      entry.epochs = std::move(values);
    }
    return entry;
  }

private:
  std::filesystem::path m_origin;
};

void read_output_base(const YAML::Node& root, ExperimentSpec& spec) {
  for (const auto& [section, key] : k_output_keys) {
    YAML::Node holder = section.empty() ? root : root[section];
    if (!holder || !holder.IsMap() || !holder[key] || !holder[key].IsScalar()) {
      continue;
    }
    std::string label = section.empty() ? key : section + "." + key;
    std::filesystem::path value = holder[key].Scalar();
    value = value.is_absolute() ? value : spec.dir / value;
    if (spec.output_base_key.empty()) {
      spec.output_base = value.lexically_normal();
      spec.output_base_key = label;
    } else if (value.lexically_normal() != spec.output_base) {
      spec.warnings.push_back(
          fmt::format("{} ({}) ignored: {} takes precedence", label, value.string(), spec.output_base_key));
    }
  }
  if (spec.output_base_key.empty()) {
    spec.output_base = spec.dir;
    spec.warnings.push_back("no output.output_dir_base in experiment_summary.yaml: looking for training "
                            "outputs in the experiment directory");
  }
}

} // namespace

const MatrixEntry* ExperimentSpec::matrix_entry(const std::string& run) const {
  for (const auto& entry : matrix) {
    if (entry.run == run) {
      return &entry;
    }
  }
  return nullptr;
}

std::string run_type_label(RunType type) {
  return type == RunType::control ? "Control" : "Fine-tuned";
}

ExperimentSpec parse_experiment_spec(const std::string& yaml_text, const std::filesystem::path& origin) {
  Reader reader(origin);
  YAML::Node root;
  try {
    root = YAML::Load(yaml_text);
  } catch (const YAML::Exception& e) {
    throw UsageError(fmt::format("{}:{}:{}: {}", origin.string(), e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  if (!root.IsMap()) {
    reader.fail(root, "experiment_summary.yaml must be a mapping");
  }
  ExperimentSpec spec;
  spec.file = origin;
  spec.dir = std::filesystem::absolute(origin).parent_path().lexically_normal();
  spec.name = spec.dir.filename().string();
  try {
    if (root["experiment"] && root["experiment"].IsMap() && root["experiment"]["name"]) {
      spec.name = reader.scalar(root["experiment"]["name"], "experiment.name");
    }
    read_output_base(root, spec);
    const YAML::Node runs = root["runs"];
    if (!runs || !runs.IsSequence()) {
      reader.fail(runs ? runs : root, "'runs' must be a list of runs");
    }
    std::set<std::string> names;
    for (size_t i = 0; i < runs.size(); ++i) {
      spec.runs.push_back(reader.run(runs[i], i));
      if (!names.insert(spec.runs.back().name).second) {
        reader.fail(runs[i], fmt::format("run '{}' is defined twice", spec.runs.back().name));
      }
    }
    const YAML::Node evaluation = root["evaluation"];
    if (evaluation && evaluation.IsMap() && evaluation["matrix"] && evaluation["matrix"].IsSequence()) {
      for (const auto& node : evaluation["matrix"]) {
        spec.matrix.push_back(reader.matrix_entry(node));
        if (!names.contains(spec.matrix.back().run)) {
          spec.warnings.push_back(
              fmt::format("evaluation.matrix names run '{}', which is not in runs", spec.matrix.back().run));
        }
      }
    }
  } catch (const YAML::Exception& e) {
    throw UsageError(fmt::format("{}:{}:{}: {}", origin.string(), e.mark.line + 1, e.mark.column + 1, e.msg));
  }
  return spec;
}

ExperimentSpec load_experiment_spec(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::error_code ec;
  if (!in || std::filesystem::is_directory(file, ec)) {
    throw UsageError(fmt::format("{}: cannot read the experiment design (experiment_summary.yaml)", file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parse_experiment_spec(text.str(), file);
}

} // namespace seedrun::config
