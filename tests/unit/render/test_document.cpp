#include "seedrun/render/document.hpp"

#include <doctest/doctest.h>

using namespace seedrun::render;

TEST_CASE("markdown and HTML are rendered from the same blocks") {
  Document d;
  d.title = "Experiment Analysis: x";
  d.heading(2, "Key Findings");
  d.bullets({"**a** is best", "uses `lr=1e-5` & more"});
  d.figure("Loss", "plots/loss_curves.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n");
  d.numbered({"one", "two"});
  d.rule();
  CHECK(render_markdown(d) ==
        "# Experiment Analysis: x\n\n## Key Findings\n\n- **a** is best\n- uses `lr=1e-5` & more\n\n"
        "![Loss](plots/loss_curves.svg)\n\n1. one\n2. two\n\n---\n");
  std::string html = render_html(d);
  CHECK(html.find("<h2>Key Findings</h2>\n<ul>\n<li><strong>a</strong> is best</li>\n"
                  "<li>uses <code>lr=1e-5</code> &amp; more</li>\n</ul>\n") != std::string::npos);
  CHECK(html.find(
            "<figure>\n<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>\n<figcaption>Loss</figcaption>\n</figure>") !=
        std::string::npos);
  CHECK(html.find("plots/loss_curves.svg") == std::string::npos); // self-contained
}

TEST_CASE("inline markup: code spans keep their stars, unclosed markers are closed") {
  CHECK(inline_html("*Generated* at `a*b` <now>") == "<em>Generated</em> at <code>a*b</code> &lt;now&gt;");
  CHECK(inline_html("**open") == "<strong>open</strong>");
  CHECK(inline_html("a \\| b") == "a | b");
}
