#include "seedrun/render/markdown.hpp"

namespace seedrun::render {

std::string markdown_cell(std::string_view text, CellEscape escape) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '|' && escape != CellEscape::none) {
      out += "\\|";
    } else if ((c == '\n' || c == '\r') && escape == CellEscape::pipe_and_newline) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string markdown_row(const std::vector<std::string>& cells, CellEscape escape) {
  std::string out = "|";
  for (const auto& c : cells) {
    out += " " + markdown_cell(c, escape) + " |";
  }
  return out + "\n";
}

std::string markdown_rule(const std::vector<size_t>& dashes, const std::vector<bool>& right) {
  std::string out = "|";
  for (size_t i = 0; i < dashes.size(); ++i) {
    const bool r = i < right.size() && right[i];
    out += std::string(dashes[i], '-') + (r ? ":|" : "|");
  }
  return out + "\n";
}

std::vector<size_t> dashes_under(const std::vector<std::string>& header) {
  std::vector<size_t> out;
  out.reserve(header.size());
  for (const auto& h : header) {
    size_t code_points = 0;
    for (char c : h) {
      code_points += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
    }
    out.push_back(code_points + 2);
  }
  return out;
}

} // namespace seedrun::render
