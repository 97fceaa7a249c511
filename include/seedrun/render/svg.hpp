#pragma once
// A minimal SVG writer for the analysis plots (docs/analyze.md says why we draw our own): it
// emits elements with presentation attributes only (no CSS, no ids, so several plots can be
// inlined in one HTML page), and every number through one formatter with two decimals, so the
// same data always gives byte-identical files. A non-finite coordinate can never reach the
// output: it is written as 0 and counted in nonfinite_count(), which tests assert is 0.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace seedrun::render {

// The font every plot names first; text_width() measures with its metrics.
inline constexpr std::string_view k_font_family = "DejaVu Sans, Verdana, Arial, sans-serif";

// Width in pixels of `text` (UTF-8) set in DejaVu Sans at `size` px, from the font's advance
// widths (src/render/text_metrics.cpp); characters outside the table count as 1 em, which
// over-estimates, so layouts computed with it never overlap.
double text_width(std::string_view text, double size, bool bold = false);

// "12.5", "-3", "0.25": fixed two decimals with trailing zeros removed; non-finite gives "0".
std::string svg_number(double v);

// Text with &, <, >, " and ' escaped for XML.
std::string xml_escape(std::string_view text);

enum class Anchor { start, middle, end };

// Text styling: size in px, anchor, weight, colour, rotation in degrees about (x, y).
struct TextStyle {
  double size = 12;
  Anchor anchor = Anchor::start;
  bool bold = false;
  std::string fill = "#222222";
  double rotate = 0;
};

using Points = std::vector<std::pair<double, double>>;

// Accumulates elements and returns the finished document. `cls` arguments become class
// attributes, which tests use to count elements of a kind (bar, cell, tick ...).
class SvgWriter {
public:
  SvgWriter(double width, double height);

  void rect(double x, double y, double w, double h, const std::string& fill, const std::string& cls,
            const std::string& stroke = "", double stroke_width = 0, double opacity = 1);
  void line(double x1, double y1, double x2, double y2, const std::string& stroke, double width, const std::string& cls,
            const std::string& dash = "");
  void polyline(const Points& pts, const std::string& stroke, double width, const std::string& cls,
                const std::string& dash = "", double opacity = 1);
  void polygon(const Points& pts, const std::string& fill, double opacity, const std::string& cls);
  void circle(double cx, double cy, double r, const std::string& fill, const std::string& cls,
              const std::string& stroke = "");
  // `y` is the vertical centre of the text (the writer places the baseline from the size), so
  // callers lay text out by boxes.
  void text(double x, double y, std::string_view content, const TextStyle& style, const std::string& cls);
  // A <title> tooltip for the whole document (accessibility).
  void title(std::string_view content);

  double width() const { return m_width; }
  double height() const { return m_height; }
  int nonfinite_count() const { return m_nonfinite; }
  std::string finish() const;

private:
  std::string num(double v);
  std::string points(const Points& pts);

  double m_width;
  double m_height;
  std::string m_title;
  std::string m_body;
  int m_nonfinite = 0;
};

} // namespace seedrun::render
