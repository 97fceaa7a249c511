#include "seedrun/render/svg.hpp"

#include <cmath>
#include <doctest/doctest.h>

using namespace seedrun::render;

TEST_CASE("numbers in SVG have at most two decimals and never read nan") {
  CHECK(svg_number(12.5) == "12.5");
  CHECK(svg_number(3.14159) == "3.14");
  CHECK(svg_number(-0.001) == "0");
  CHECK(svg_number(40) == "40");
  CHECK(svg_number(NAN) == "0");
  CHECK(svg_number(-INFINITY) == "0");
}

TEST_CASE("the writer escapes text and counts non-finite coordinates it was given") {
  SvgWriter svg(100, 50);
  svg.text(10, 20, "a < b & \"c\"", {}, "label");
  svg.line(0, NAN, 10, 10, "#000", 1, "l");
  std::string out = svg.finish();
  CHECK(out.find("a &lt; b &amp; &quot;c&quot;") != std::string::npos);
  CHECK(out.find("nan") == std::string::npos);
  CHECK(svg.nonfinite_count() == 1);
  CHECK(out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"50\""));
  CHECK(out.ends_with("</svg>\n"));
}

TEST_CASE("text width follows DejaVu Sans advance widths") {
  CHECK(text_width("0", 10) == doctest::Approx(6.36));
  CHECK(text_width("il", 10) == doctest::Approx(5.56));
  CHECK(text_width("W", 10, true) == doctest::Approx(11.03));
  CHECK(text_width("σ", 10) == doctest::Approx(10)); // outside the table: one em
}
