#pragma once
// The report as a list of blocks, rendered twice from the same blocks: report.md (figures as
// links to plots/*.svg) and the self-contained report.html (figures inlined as <svg>, CSS in a
// <style> element, no external resource), so both always say the same thing.
//
// Inline markup in texts: `code`, **bold** and *italic*, nothing else; everything else is literal.
#include "seedrun/render/table.hpp"

#include <string>
#include <vector>

namespace seedrun::render {

// One piece of the report; which fields matter depends on `kind`.
struct Block {
  enum class Kind { heading, paragraph, bullets, numbered, table, figure, rule };
  Kind kind = Kind::paragraph;
  int level = 2;                  // heading level (1-4)
  std::string text;               // heading, paragraph, figure caption (alt text)
  std::vector<std::string> items; // list items
  Table table;                    // Kind::table
  std::string figure_path;        // relative to the report: "plots/loss_curves.svg"
  std::string figure_svg;         // the SVG document, for the HTML rendering
};

// The report: a title and its blocks in order; the helpers append one block each.
struct Document {
  std::string title;
  std::vector<Block> blocks;

  void heading(int level, std::string text);
  void paragraph(std::string text);
  void bullets(std::vector<std::string> items);
  void numbered(std::vector<std::string> items);
  void table(Table t);
  void figure(std::string caption, std::string path, std::string svg);
  void rule();
};

std::string render_markdown(const Document& doc);
std::string render_html(const Document& doc);

// HTML for one line of inline markup: escapes, then `code` → <code>, **bold** → <strong>,
// *italic* → <em>; an unclosed marker is closed at the end.
std::string inline_html(const std::string& text);

} // namespace seedrun::render
