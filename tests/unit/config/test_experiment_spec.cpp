#include "seedrun/config/experiment_spec.hpp"
#include "seedrun/util/error.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

using namespace seedrun::config;

namespace {

const char* k_design = R"(experiment:
  name: cap_lora_rank
  question: does rank matter?
tools: {preparation: torchtune, evaluation: inspect-ai}
output:
  output_dir_base: /scratch/ck-outputs/cap_lora_rank
  wandb_project: cap
runs:
  - name: rank4_lr1e-5
    type: fine-tuned
    model: Llama-3.2-1B-Instruct
    parameters: {lora_rank: 4, lr: 1e-5, layers: [1, 2]}
  - name: base_model
    type: control
    model: Llama-3.2-1B-Instruct
    parameters: {}
evaluation:
  temperature: 0.0
  matrix:
    - run: rank4_lr1e-5
      tasks: [capitalization, reasoning]
      epochs: [0, 1]
    - run: base_model
      tasks: [capitalization]
      epochs: null
)";

} // namespace

TEST_CASE("experiment_summary.yaml gives runs, matrix, name and output directory") {
  ExperimentSpec spec = parse_experiment_spec(k_design, "/exp/cap/experiment_summary.yaml");
  CHECK(spec.name == "cap_lora_rank");
  CHECK(spec.dir == "/exp/cap");
  CHECK(spec.output_base == "/scratch/ck-outputs/cap_lora_rank");
  CHECK(spec.output_base_key == "output.output_dir_base");
  CHECK(spec.warnings.empty());
  REQUIRE(spec.runs.size() == 2);
  CHECK(spec.runs[0].name == "rank4_lr1e-5");
  CHECK(spec.runs[0].type == RunType::fine_tuned);
  CHECK(spec.runs[0].model == "Llama-3.2-1B-Instruct");
  CHECK(spec.runs[0].parameters ==
        std::map<std::string, std::string>{{"layers", "[1, 2]"}, {"lora_rank", "4"}, {"lr", "1e-5"}});
  CHECK(spec.runs[1].type == RunType::control);
  CHECK(spec.runs[1].parameters.empty());
  REQUIRE(spec.matrix.size() == 2);
  CHECK(spec.matrix[0].tasks == std::vector<std::string>{"capitalization", "reasoning"});
  CHECK(spec.matrix[0].epochs == std::vector<int>{0, 1});
  CHECK_FALSE(spec.matrix[1].epochs);
  CHECK(spec.matrix_entry("base_model") == &spec.matrix[1]);
  CHECK(spec.matrix_entry("nope") == nullptr);
}

TEST_CASE("the output directory is read from its aliases, relative to the experiment") {
  auto runs = std::string("runs: [{name: a, type: control}]\n");
  SUBCASE("output.base_directory (cruijff_kit's template)") {
    auto spec = parse_experiment_spec("output: {base_directory: out}\n" + runs, "/exp/e/experiment_summary.yaml");
    CHECK(spec.output_base == "/exp/e/out");
    CHECK(spec.output_base_key == "output.base_directory");
  }
  SUBCASE("top-level output_dir_base") {
    auto spec = parse_experiment_spec("output_dir_base: /o\n" + runs, "/exp/e/experiment_summary.yaml");
    CHECK(spec.output_base == "/o");
  }
  SUBCASE("two different keys: the preferred one wins with a warning") {
    auto spec = parse_experiment_spec("output: {output_dir_base: /a, base_directory: /b}\n" + runs,
                                      "/exp/e/experiment_summary.yaml");
    CHECK(spec.output_base == "/a");
    REQUIRE(spec.warnings.size() == 1);
    CHECK(spec.warnings[0] == "output.base_directory (/b) ignored: output.output_dir_base takes precedence");
  }
  SUBCASE("none: the experiment directory, with a warning; the name defaults to the folder") {
    auto spec = parse_experiment_spec(runs, "/exp/e/experiment_summary.yaml");
    CHECK(spec.output_base == "/exp/e");
    CHECK(spec.output_base_key.empty());
    CHECK(spec.warnings.size() == 1);
    CHECK(spec.name == "e");
  }
}

TEST_CASE("run types accept common spellings") {
  auto spec = parse_experiment_spec("runs: [{name: a, type: Fine-tuned}, {name: b, type: finetuned}, "
                                    "{name: c, type: base}, {name: d, type: CONTROL}]\n",
                                    "/e/experiment_summary.yaml");
  CHECK(spec.runs[0].type == RunType::fine_tuned);
  CHECK(spec.runs[1].type == RunType::fine_tuned);
  CHECK(spec.runs[2].type == RunType::control);
  CHECK(spec.runs[3].type == RunType::control);
  CHECK(run_type_label(RunType::control) == "Control");
  CHECK(run_type_label(RunType::fine_tuned) == "Fine-tuned");
}

TEST_CASE("a bad design file is a UsageError pointing at line and column") {
  auto message = [](const std::string& yaml) {
    try {
      parse_experiment_spec(yaml, "/e/experiment_summary.yaml");
    } catch (const seedrun::UsageError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK(message("runs:\n  - name: a\n    type: lora\n") ==
        "/e/experiment_summary.yaml:3:11: run type 'lora' is neither 'fine-tuned' nor 'control'");
  CHECK(message("runs:\n  - name: a\n") ==
        "/e/experiment_summary.yaml:2:5: run 'a' has no 'type' (fine-tuned or control)");
  CHECK(message("experiment: {name: x}\n") == "/e/experiment_summary.yaml:1:1: 'runs' must be a list of runs");
  CHECK(message("runs: [{name: a, type: control}, {name: a, type: control}]\n") ==
        "/e/experiment_summary.yaml:1:34: run 'a' is defined twice");
  CHECK(message("runs: [{name: a, type: control}]\nevaluation: {matrix: [{run: a, epochs: [x]}]}\n") ==
        "/e/experiment_summary.yaml:2:40: epochs must be whole numbers from 0 to 2147483647, got 'x'");
  CHECK(message("runs: [\n").starts_with("/e/experiment_summary.yaml:2:1: "));
  CHECK_THROWS_AS(load_experiment_spec("/nonexistent/experiment_summary.yaml"), seedrun::UsageError);
}

TEST_CASE("the JSON schema of experiment_summary.yaml agrees with the parser") {
  std::ifstream in(std::filesystem::path(SEEDRUN_SOURCE_DIR) / "schemas/experiment_summary.schema.json");
  REQUIRE(in);
  auto schema = nlohmann::json::parse(in);
  CHECK(schema["required"] == nlohmann::json::array({"runs"}));
  const auto& run = schema["properties"]["runs"]["items"];
  CHECK(run["required"] == nlohmann::json::array({"name", "type"}));
  std::regex type_pattern(run["properties"]["type"]["pattern"].get<std::string>());
  for (std::string type : {"fine-tuned", "Fine-tuned", "fine_tuned", "finetuned", "control", "CONTROL", "base"}) {
    CAPTURE(type);
    CHECK(std::regex_match(type, type_pattern));
    CHECK_NOTHROW(parse_experiment_spec("runs: [{name: a, type: " + type + "}]\n", "/e/experiment_summary.yaml"));
  }
  CHECK_FALSE(std::regex_match(std::string("lora"), type_pattern));
  for (const char* key : {"output_dir_base", "base_directory", "output_dir"}) {
    CHECK(schema["properties"]["output"]["properties"].contains(key));
  }
  CHECK(schema["properties"]["output_dir_base"].is_object());
}

// experiment_summary.yaml is written by other tools and people: hostile shapes are UsageErrors
// (exit 2 with file:line:col), never a crash, a hang or a silently wrapped number.
TEST_CASE("hostile experiment_summary.yaml: deep nesting, alias bombs, odd keys, out-of-range epochs") {
  const std::filesystem::path origin = "/x/experiment_summary.yaml";
  SUBCASE("100,000 nested flow sequences") {
    std::string text = "runs: " + std::string(100000, '[') + std::string(100000, ']') + "\n";
    CHECK_THROWS_AS(parse_experiment_spec(text, origin), seedrun::UsageError);
  }
  SUBCASE("100,000 nested flow mappings, never closed") {
    std::string text = "runs: ";
    for (int i = 0; i < 100000; ++i) {
      text += "{a: ";
    }
    CHECK_THROWS_AS(parse_experiment_spec(text, origin), seedrun::UsageError);
  }
  SUBCASE("an alias bomb in a run's parameters stays small") {
    std::string text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
    for (int i = 1; i <= 9; ++i) {
      text +=
          fmt::format("a{1}: &a{1} [*a{0}, *a{0}, *a{0}, *a{0}, *a{0}, *a{0}, *a{0}, *a{0}, *a{0}, *a{0}]\n", i - 1, i);
    }
    text += "runs: [{name: r, type: control, parameters: {p: *a9}}]\n";
    ExperimentSpec spec = parse_experiment_spec(text, origin); // 10^10 leaves if expanded
    REQUIRE(spec.runs.size() == 1);
    CHECK(spec.runs[0].parameters.at("p").size() < 100000);
  }
  SUBCASE("a mapping as a parameter key") {
    std::string text = "runs: [{name: r, type: control, parameters: {[a, b]: 1}}]\n";
    CHECK_THROWS_AS(parse_experiment_spec(text, origin), seedrun::UsageError);
  }
  SUBCASE("an epoch that does not fit in an int") {
    for (const char* epochs : {"[4294967296]", "[2147483648]", "[99999999999999999999999]", "[-1]", "[1e300]"}) {
      CAPTURE(epochs);
      std::string text = std::string("runs: [{name: r, type: fine-tuned}]\nevaluation: {matrix: [{run: r, tasks: [t], "
                                     "epochs: ") +
                         epochs + "}]}\n";
      try {
        parse_experiment_spec(text, origin);
        FAIL("accepted");
      } catch (const seedrun::UsageError& e) {
        CHECK(std::string(e.what()).find("epochs must be whole numbers from 0 to 2147483647") != std::string::npos);
      }
    }
    auto ok = parse_experiment_spec("runs: [{name: r, type: fine-tuned}]\nevaluation: {matrix: [{run: r, tasks: [t], "
                                    "epochs: [2147483647]}]}\n",
                                    origin);
    CHECK(ok.matrix[0].epochs == std::vector<int>{2147483647});
  }
  SUBCASE("a NUL byte and invalid UTF-8 in names") {
    std::string text = std::string("runs: [{name: \"r\\0x\", type: control}, {name: \"caf\xe9\", type: control}]\n");
    ExperimentSpec spec = parse_experiment_spec(text, origin);
    CHECK(spec.runs.size() == 2);
  }
}
