#include "storage/query_catalog.hpp"

#include "storage/embedded_queries.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

namespace crmd::storage {

namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view space = " \t\r\n";
  auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos)
    return {};
  auto last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

// The name after a `-- name:` marker (possibly empty), or nullopt when the line is no marker.
std::optional<std::string_view> marker_name(std::string_view line) {
  line = trim(line);
  if (!line.starts_with("--"))
    return std::nullopt;
  line = trim(line.substr(2));
  if (!line.starts_with("name:"))
    return std::nullopt;
  return trim(line.substr(5));
}

// Prepared statement names travel unquoted in logs and metrics, so keep them to identifiers.
bool valid_name(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// Only blank and `--` lines: PostgreSQL would prepare an empty statement.
bool has_sql(std::string_view body) {
  while (!body.empty()) {
    auto end = body.find('\n');
    auto line = trim(body.substr(0, end));
    if (!line.empty() && !line.starts_with("--"))
      return true;
    if (end == std::string_view::npos)
      break;
    body.remove_prefix(end + 1);
  }
  return false;
}

struct block {
  std::string name;
  int line = 0;
  std::string body;
};

struct location {
  std::string area;
  int line = 0;
};

struct parser {
  query_catalog catalog;
  std::unordered_map<std::string, location> first_seen;

  void problem(std::string_view area, int line, std::string message) {
    catalog.problems.push_back({std::string(area), line, std::move(message)});
  }

  void finish(std::string_view area, const block& b) {
    if (!valid_name(b.name)) {
      problem(area, b.line, "invalid query name '" + b.name + "'");
      return;
    }
    if (!has_sql(b.body)) {
      problem(area, b.line, "query '" + b.name + "' has an empty body");
      return;
    }
    auto [it, inserted] = first_seen.try_emplace(b.name, location{std::string(area), b.line});
    if (!inserted) {
      problem(area, b.line,
              "duplicate query name '" + b.name + "' (first defined in " + it->second.area
                + ".sql line " + std::to_string(it->second.line) + ")");
      return;
    }
    catalog.queries.push_back({b.name, std::string(area), std::string(trim(b.body))});
  }

  void parse_file(const query_file& file) {
    std::optional<block> current;
    std::string_view rest = file.text;
    int line_no = 0;
    while (!rest.empty()) {
      auto end = rest.find('\n');
      auto line = rest.substr(0, end);
      rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
      ++line_no;
      if (auto name = marker_name(line)) {
        if (current)
          finish(file.area, *current);
        current = block{std::string(*name), line_no, {}};
      } else if (current) {
        current->body.append(line).push_back('\n');
      } else if (auto text = trim(line); !text.empty() && !text.starts_with("--")) {
        problem(file.area, line_no, "SQL before the first '-- name:' line");
      }
    }
    if (current)
      finish(file.area, *current);
  }
};

}  // namespace

const named_query* query_catalog::find(std::string_view name) const {
  for (const auto& query : queries)
    if (query.name == name)
      return &query;
  return nullptr;
}

query_catalog parse_query_catalog(std::span<const query_file> files) {
  parser p;
  for (const auto& file : files)
    p.parse_file(file);
  return std::move(p.catalog);
}

const query_catalog& embedded_query_catalog() {
  static const query_catalog catalog = [] {
    std::vector<query_file> files;
    for (const auto& file : generated::query_files)
      files.push_back({file.name, file.text});
    return parse_query_catalog(files);
  }();
  return catalog;
}

}  // namespace crmd::storage
