#include "seedrun/render/table.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace seedrun::render;

namespace {

Table sample() {
  Table t;
  t.id = "demo_table";
  t.caption = "Runs with 5% of σ";
  t.header = {"Run", "Mean", "Notes"};
  t.numeric = {false, true, false};
  t.rows = {{text_cell("a_b"), number_cell(0.1 + 0.2, 4), text_cell("x | y, \"quoted\"")},
            {text_cell("c&d"), number_cell(NAN, 4), text_cell("≥ 2σ")}};
  return t;
}

} // namespace

TEST_CASE("markdown tables align numbers right and escape pipes") {
  CHECK(to_markdown(sample()) == "| Run | Mean | Notes |\n"
                                 "|---|---:|---|\n"
                                 "| a_b | 0.3000 | x \\| y, \"quoted\" |\n"
                                 "| c&d | n/a | ≥ 2σ |\n");
}

TEST_CASE("CSV keeps full precision, quotes fields and leaves missing numbers empty") {
  CHECK(to_csv(sample()) == "Run,Mean,Notes\r\n"
                            "a_b,0.30000000000000004,\"x | y, \"\"quoted\"\"\"\r\n"
                            "c&d,,≥ 2σ\r\n");
}

TEST_CASE("LaTeX tables escape special characters and translate symbols") {
  std::string tex = to_latex(sample());
  CHECK(tex.find("\\caption{Runs with 5\\% of $\\sigma$}") != std::string::npos);
  CHECK(tex.find("\\label{tab:seedrun-demo_table}") != std::string::npos);
  CHECK(tex.find("\\begin{tabular}{lrl}\n\\toprule\nRun & Mean & Notes \\\\\n\\midrule\n") != std::string::npos);
  CHECK(tex.find("a\\_b & 0.3000 & x | y, \"quoted\" \\\\\n") != std::string::npos);
  CHECK(tex.find("c\\&d & n/a & $\\geq$ 2$\\sigma$ \\\\\n\\bottomrule") != std::string::npos);
  CHECK(latex_escape("50% {x} ~ ^ # $ \\") ==
        "50\\% \\{x\\} \\textasciitilde{} \\textasciicircum{} \\# \\$ \\textbackslash{}");
}

TEST_CASE("p-values below 0.001 are written in scientific notation, never as zero") {
  CHECK(p_value_cell(4.9669516329118094e-05).text == "4.97e-05");
  CHECK(p_value_cell(0.0336).text == "0.0336");
  CHECK(p_value_cell(std::nullopt).text == "n/a");
  CHECK(*p_value_cell(4.9669516329118094e-05).number == 4.9669516329118094e-05);
}
