#include "seedrun/render/document.hpp"

#include "seedrun/render/svg.hpp"

#include <fmt/format.h>

namespace seedrun::render {

void Document::heading(int level, std::string text) {
  Block b;
  b.kind = Block::Kind::heading;
  b.level = level;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void Document::paragraph(std::string text) {
  Block b;
  b.kind = Block::Kind::paragraph;
  b.text = std::move(text);
  blocks.push_back(std::move(b));
}

void Document::bullets(std::vector<std::string> items) {
  Block b;
  b.kind = Block::Kind::bullets;
  b.items = std::move(items);
  blocks.push_back(std::move(b));
}

void Document::numbered(std::vector<std::string> items) {
  Block b;
  b.kind = Block::Kind::numbered;
  b.items = std::move(items);
  blocks.push_back(std::move(b));
}

void Document::table(Table t) {
  Block b;
  b.kind = Block::Kind::table;
  b.table = std::move(t);
  blocks.push_back(std::move(b));
}

void Document::figure(std::string caption, std::string path, std::string svg) {
  Block b;
  b.kind = Block::Kind::figure;
  b.text = std::move(caption);
  b.figure_path = std::move(path);
  b.figure_svg = std::move(svg);
  blocks.push_back(std::move(b));
}

void Document::rule() {
  Block b;
  b.kind = Block::Kind::rule;
  blocks.push_back(std::move(b));
}

std::string render_markdown(const Document& doc) {
  std::string out = "# " + doc.title + "\n";
  for (const auto& b : doc.blocks) {
    out += "\n";
    switch (b.kind) {
    case Block::Kind::heading: out += std::string(static_cast<size_t>(b.level), '#') + " " + b.text + "\n"; break;
    case Block::Kind::paragraph: out += b.text + "\n"; break;
    case Block::Kind::bullets:
      for (const auto& i : b.items) {
        out += "- " + i + "\n";
      }
      break;
    case Block::Kind::numbered:
      for (size_t i = 0; i < b.items.size(); ++i) {
        out += fmt::format("{}. {}\n", i + 1, b.items[i]);
      }
      break;
    case Block::Kind::table: out += to_markdown(b.table); break;
    case Block::Kind::figure: out += fmt::format("![{}]({})\n", b.text, b.figure_path); break;
    case Block::Kind::rule: out += "---\n"; break;
    }
  }
  return out;
}

std::string inline_html(const std::string& text) {
  std::string out;
  bool code = false;
  bool bold = false;
  bool italic = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '`') {
      out += code ? "</code>" : "<code>";
      code = !code;
    } else if (!code && text.compare(i, 2, "**") == 0) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      ++i;
    } else if (!code && text[i] == '*') {
      out += italic ? "</em>" : "<em>";
      italic = !italic;
    } else if (!code && text[i] == '\\' && i + 1 < text.size() && text[i + 1] == '|') {
      continue; // markdown's escaped pipe
    } else {
      out += xml_escape(std::string_view(&text[i], 1));
    }
  }
  out += code ? "</code>" : "";
  out += bold ? "</strong>" : "";
  out += italic ? "</em>" : "";
  return out;
}

namespace {

constexpr const char* k_style =
    R"(body{font-family:"DejaVu Sans",Verdana,Arial,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
table{border-collapse:collapse;margin:0.8em 0;font-size:0.9em}
th,td{border:1px solid #ccc;padding:0.25em 0.6em}
th{background:#f2f2f2}
td.num{text-align:right;font-variant-numeric:tabular-nums}
code{background:#f4f4f4;padding:0 0.2em}
figure{margin:1em 0}
figcaption{color:#555;font-size:0.9em}
figure svg{max-width:100%;height:auto}
)";

std::string html_table(const Table& t) {
  std::string out = "<table>\n<thead><tr>";
  for (const auto& h : t.header) {
    out += "<th>" + inline_html(h) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& r : t.rows) {
    out += "<tr>";
    for (size_t i = 0; i < r.size(); ++i) {
      bool num = i < t.numeric.size() && t.numeric[i];
      out += (num ? "<td class=\"num\">" : "<td>") + inline_html(r[i].text) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

std::string html_list(const char* tag, const std::vector<std::string>& items) {
  std::string out = fmt::format("<{}>\n", tag);
  for (const auto& i : items) {
    out += "<li>" + inline_html(i) + "</li>\n";
  }
  return out + fmt::format("</{}>\n", tag);
}

} // namespace

std::string render_html(const Document& doc) {
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<title>" + xml_escape(doc.title) + "</title>\n<style>\n" + k_style + "</style>\n</head>\n<body>\n";
  out += "<h1>" + inline_html(doc.title) + "</h1>\n";
  for (const auto& b : doc.blocks) {
    switch (b.kind) {
    case Block::Kind::heading: out += fmt::format("<h{0}>{1}</h{0}>\n", b.level, inline_html(b.text)); break;
    case Block::Kind::paragraph: out += "<p>" + inline_html(b.text) + "</p>\n"; break;
    case Block::Kind::bullets: out += html_list("ul", b.items); break;
    case Block::Kind::numbered: out += html_list("ol", b.items); break;
    case Block::Kind::table: out += html_table(b.table); break;
    case Block::Kind::figure:
      out += "<figure>\n" + b.figure_svg + "<figcaption>" + inline_html(b.text) + "</figcaption>\n</figure>\n";
      break;
    case Block::Kind::rule: out += "<hr>\n"; break;
    }
  }
  return out + "</body>\n</html>\n";
}

} // namespace seedrun::render
