// inspect-ai log reading: format detection, the ZIP layout and the single-file JSON layout.
#include "seedrun/summarize/eval_log.hpp"

#include "seedrun/summarize/json_fields.hpp"
#include "seedrun/summarize/zip_archive.hpp"
#include "seedrun/util/json.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fmt/format.h>
#include <fstream>

namespace seedrun::summarize {
namespace {

using nlohmann::json;

EvalLog unreadable(const std::filesystem::path& path, std::string message) {
  EvalLog log;
  log.path = path;
  log.readable = false;
  log.status = "error";
  log.message = std::move(message);
  return log;
}

// Python's json module writes NaN, Infinity and -Infinity, which are not JSON. Outside strings
// they become null (the value is undefined either way).
std::string replace_nonfinite_literals(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    }
    std::string_view rest(text.data() + i, text.size() - i);
    bool replaced = false;
    for (std::string_view literal : {"NaN", "Infinity", "-Infinity"}) {
      if (!in_string && rest.starts_with(literal)) {
        out += "null";
        i += literal.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) {
      out += c;
    }
  }
  return out;
}

// Parses JSON text with the depth limit of util::parse_json_bounded; on failure returns nullopt
// and sets `error` to "<what>: invalid JSON: <parser message>".
std::optional<json> parse_json_text(const std::string& text, const std::string& what, std::string& error) {
  std::string why;
  if (auto doc = util::parse_json_bounded(text, why)) {
    return doc;
  }
  error = fmt::format("{}: invalid JSON: {}", what, why);
  if (text.find("NaN") == std::string::npos && text.find("Infinity") == std::string::npos) {
    return std::nullopt;
  }
  std::string ignored; // keep the first, more accurate, message
  return util::parse_json_bounded(replace_nonfinite_literals(text), ignored);
}

std::optional<json> read_member_json(const ZipArchive& zip, const std::string& name, std::string& error) {
  ZipMember member = zip.read(name);
  if (!member.data) {
    error = member.error;
    return std::nullopt;
  }
  return parse_json_text(*member.data, fmt::format("{}: member {}", zip.path().string(), name), error);
}

bool is_sample_member(const std::string& name) {
  return name.starts_with("samples/") && name.ends_with(".json");
}

} // namespace

std::optional<unsigned long long> journal_part_number(const std::string& member_name) {
  const auto stem = std::filesystem::path(member_name).stem().string();
  if (stem.empty() || !std::all_of(stem.begin(), stem.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  unsigned long long n = 0;
  auto [end, ec] = std::from_chars(stem.data(), stem.data() + stem.size(), n);
  if (ec != std::errc() || end != stem.data() + stem.size()) {
    return std::nullopt; // more than 20 digits: out of range, ordered by name after the numbered parts
  }
  return n;
}

namespace {

// Journal parts in the order they were written: numbered parts by number, then the rest by name.
bool journal_order(const std::string& a, const std::string& b) {
  auto na = journal_part_number(a);
  auto nb = journal_part_number(b);
  if (na.has_value() != nb.has_value()) {
    return na.has_value();
  }
  if (na && *na != *nb) {
    return *na < *nb;
  }
  return a < b;
}

bool records_have_scores(const json& records) {
  if (!records.is_array() || records.empty()) {
    return false;
  }
  return std::all_of(records.begin(), records.end(), [](const json& r) {
    return r.is_object() && r.contains("target") && (r.contains("scores") || r.contains("score"));
  });
}

// The per-sample records of a ZIP log: summaries.json, else the journal's summaries, else the
// full samples. Returns nullopt with `error` set when a member is unreadable.
std::optional<json> zip_sample_records(const ZipArchive& zip, std::string& error) {
  if (zip.contains("summaries.json")) {
    auto records = read_member_json(zip, "summaries.json", error);
    if (!records || records_have_scores(*records)) {
      return records;
    }
  }
  std::vector<std::string> journal;
  for (const auto& name : zip.names()) {
    if (name.starts_with("_journal/summaries/") && name.ends_with(".json")) {
      journal.push_back(name);
    }
  }
  std::sort(journal.begin(), journal.end(), journal_order);
  json records = json::array();
  for (const auto& name : journal) {
    auto part = read_member_json(zip, name, error);
    if (!part) {
      return std::nullopt;
    }
    if (part->is_array()) {
      records.insert(records.end(), part->begin(), part->end());
    }
  }
  if (records_have_scores(records)) {
    return records;
  }
  records = json::array();
  for (const auto& name : zip.names()) {
    if (is_sample_member(name)) {
      auto sample = read_member_json(zip, name, error);
      if (!sample) {
        return std::nullopt;
      }
      records.push_back(std::move(*sample));
    }
  }
  return records;
}

EvalLog read_zip_log(const std::filesystem::path& path, const EvalReadOptions& options) {
  std::string error;
  auto zip = ZipArchive::open(path, error);
  if (!zip) {
    return unreadable(path, error);
  }
  std::optional<json> header;
  if (zip->contains("header.json")) {
    header = read_member_json(*zip, "header.json", error);
  } else if (zip->contains("_journal/start.json")) {
    header = read_member_json(*zip, "_journal/start.json", error);
    if (header && header->is_object()) {
      (*header)["status"] = "started"; // interrupted: the header was never written
    }
  } else {
    error = fmt::format("{}: no header.json or _journal/start.json: not an inspect-ai log", path.string());
  }
  if (!header) {
    return unreadable(path, error);
  }
  json records;
  std::string records_error;
  if (options.with_samples) {
    auto loaded = zip_sample_records(*zip, records_error);
    records = loaded ? *loaded : json();
  }
  EvalLog log = eval_log_from_json(path, *header, records, options.with_samples && records.is_array());
  if (options.with_samples && !records.is_array()) {
    log.message = records_error;
  }
  if (log.readable && !log.samples) {
    auto count = std::count_if(zip->names().begin(), zip->names().end(), is_sample_member);
    log.samples = static_cast<long long>(count);
  }
  return log;
}

EvalLog read_json_log(const std::filesystem::path& path, const std::string& text, const EvalReadOptions& options) {
  std::string error;
  auto doc = parse_json_text(text, path.string(), error);
  if (!doc) {
    return unreadable(path, error);
  }
  json records = doc->is_object() && doc->contains("samples") ? (*doc)["samples"] : json();
  return eval_log_from_json(path, *doc, records, options.with_samples && records.is_array());
}

} // namespace

EvalLog read_eval_log(const std::filesystem::path& path, const EvalReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return unreadable(path, fmt::format("File not found: {}", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  char magic[2] = {0, 0};
  in.read(magic, 2);
  if (!in) {
    return unreadable(path, fmt::format("{}: empty or unreadable file", path.string()));
  }
  if (magic[0] == 'P' && magic[1] == 'K') {
    return read_zip_log(path, options);
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > k_max_json_log_bytes) {
    return unreadable(path, fmt::format("{}: {} bytes, more than the {} a single-file JSON log may have", path.string(),
                                        size, k_max_json_log_bytes));
  }
  in.seekg(0);
  std::string text;
  std::string chunk(size_t{64} * 1024, '\0');
  while (in.read(chunk.data(), static_cast<std::streamsize>(chunk.size())) || in.gcount() > 0) {
    text.append(chunk.data(), static_cast<size_t>(in.gcount()));
    if (text.size() > k_max_json_log_bytes) { // grew while being read
      return unreadable(path, fmt::format("{}: more than the {} bytes a single-file JSON log may have", path.string(),
                                          k_max_json_log_bytes));
    }
  }
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos || text[first] != '{') {
    return unreadable(path, fmt::format("{}: neither a ZIP archive (.eval) nor a JSON log", path.string()));
  }
  return read_json_log(path, text, options);
}

std::optional<int> epoch_in_text(const std::string& text) {
  std::optional<int> found;
  for (size_t pos = text.find("epoch"); pos != std::string::npos; pos = text.find("epoch", pos + 1)) {
    size_t i = pos + 5;
    if (i < text.size() && (text[i] == '_' || text[i] == '-')) {
      ++i;
    }
    size_t start = i;
    long long n = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])) != 0 && i - start < 9) {
      n = n * 10 + (text[i] - '0');
      ++i;
    }
    if (i > start) {
      found = static_cast<int>(n);
    }
  }
  return found;
}

} // namespace seedrun::summarize
