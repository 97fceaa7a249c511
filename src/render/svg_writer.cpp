#include "seedrun/render/svg.hpp"

#include <cmath>
#include <fmt/format.h>

namespace seedrun::render {

std::string svg_number(double v) {
  if (!std::isfinite(v)) {
    return "0";
  }
  auto s = fmt::format("{:.2f}", v);
  while (!s.empty() && s.back() == '0') {
    s.pop_back();
  }
  if (!s.empty() && s.back() == '.') {
    s.pop_back();
  }
  if (s == "-0") {
    s = "0";
  }
  return s;
}

std::string xml_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&': out += "&amp;"; break;
    case '<': out += "&lt;"; break;
    case '>': out += "&gt;"; break;
    case '"': out += "&quot;"; break;
    case '\'': out += "&#39;"; break;
    default: out += c;
    }
  }
  return out;
}

namespace {

std::string class_attr(const std::string& cls) {
  return cls.empty() ? "" : fmt::format(" class=\"{}\"", cls);
}

std::string opacity_attr(const char* name, double opacity) {
  return opacity < 1 ? fmt::format(" {}=\"{}\"", name, svg_number(opacity)) : "";
}

const char* anchor_name(Anchor a) {
  switch (a) {
  case Anchor::middle: return "middle";
  case Anchor::end: return "end";
  case Anchor::start: break;
  }
  return "start";
}

} // namespace

SvgWriter::SvgWriter(double width, double height) : m_width(width), m_height(height) {}

std::string SvgWriter::num(double v) {
  if (!std::isfinite(v)) {
    ++m_nonfinite;
  }
  return svg_number(v);
}

std::string SvgWriter::points(const Points& pts) {
  std::string out;
  for (const auto& [x, y] : pts) {
    if (!out.empty()) {
      out += ' ';
    }
    out += num(x) + "," + num(y);
  }
  return out;
}

void SvgWriter::rect(double x, double y, double w, double h, const std::string& fill, const std::string& cls,
                     const std::string& stroke, double stroke_width, double opacity) {
  std::string stroke_attrs =
      stroke.empty() ? "" : fmt::format(" stroke=\"{}\" stroke-width=\"{}\"", stroke, num(stroke_width));
  m_body += fmt::format("<rect{} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{}{}/>\n", class_attr(cls),
                        num(x), num(y), num(std::max(0.0, w)), num(std::max(0.0, h)), fill, stroke_attrs,
                        opacity_attr("fill-opacity", opacity));
}

void SvgWriter::line(double x1, double y1, double x2, double y2, const std::string& stroke, double width,
                     const std::string& cls, const std::string& dash) {
  std::string dash_attr = dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash);
  m_body += fmt::format("<line{} x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"{}\"{}/>\n",
                        class_attr(cls), num(x1), num(y1), num(x2), num(y2), stroke, num(width), dash_attr);
}

void SvgWriter::polyline(const Points& pts, const std::string& stroke, double width, const std::string& cls,
                         const std::string& dash, double opacity) {
  std::string dash_attr = dash.empty() ? "" : fmt::format(" stroke-dasharray=\"{}\"", dash);
  m_body +=
      fmt::format("<polyline{} points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\" "
                  "stroke-linejoin=\"round\"{}{}/>\n",
                  class_attr(cls), points(pts), stroke, num(width), dash_attr, opacity_attr("stroke-opacity", opacity));
}

void SvgWriter::polygon(const Points& pts, const std::string& fill, double opacity, const std::string& cls) {
  m_body += fmt::format("<polygon{} points=\"{}\" fill=\"{}\" stroke=\"none\"{}/>\n", class_attr(cls), points(pts),
                        fill, opacity_attr("fill-opacity", opacity));
}

void SvgWriter::circle(double cx, double cy, double r, const std::string& fill, const std::string& cls,
                       const std::string& stroke) {
  std::string stroke_attr = stroke.empty() ? "" : fmt::format(" stroke=\"{}\" stroke-width=\"1\"", stroke);
  m_body += fmt::format("<circle{} cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"{}\"{}/>\n", class_attr(cls), num(cx), num(cy),
                        num(r), fill, stroke_attr);
}

void SvgWriter::text(double x, double y, std::string_view content, const TextStyle& style, const std::string& cls) {
  // The baseline sits 0.35 em below the centre line for DejaVu Sans (cap height ≈ 0.73 em).
  std::string transform =
      style.rotate != 0 ? fmt::format(" transform=\"rotate({} {} {})\"", num(style.rotate), num(x), num(y)) : "";
  std::string weight = style.bold ? " font-weight=\"bold\"" : "";
  std::string anchor =
      style.anchor == Anchor::start ? "" : fmt::format(" text-anchor=\"{}\"", anchor_name(style.anchor));
  m_body += fmt::format("<text{} x=\"{}\" y=\"{}\" font-size=\"{}\"{}{} fill=\"{}\"{}>{}</text>\n", class_attr(cls),
                        num(x), num(y + 0.35 * style.size), num(style.size), anchor, weight, style.fill, transform,
                        xml_escape(content));
}

void SvgWriter::title(std::string_view content) {
  m_title = std::string(content);
}

std::string SvgWriter::finish() const {
  std::string head = fmt::format("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
                                 "viewBox=\"0 0 {0} {1}\" font-family=\"{2}\">\n",
                                 svg_number(m_width), svg_number(m_height), k_font_family);
  if (!m_title.empty()) {
    head += fmt::format("<title>{}</title>\n", xml_escape(m_title));
  }
  head += fmt::format("<rect x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>\n", svg_number(m_width),
                      svg_number(m_height));
  return head + m_body + "</svg>\n";
}

} // namespace seedrun::render
