#include "app/api_support.hpp"

#include <charconv>

namespace crmd::app {

namespace {

constexpr char hex_digits[] = "0123456789abcdef";

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value <= 0)
    return std::nullopt;
  return value;
}

std::variant<int, net::http_response> parse_limit(const net::http_request& request, int fallback,
                                                  int max) {
  auto text = request.query_param("limit");
  if (!text)
    return fallback;
  auto value = parse_id(*text);
  if (!value || *value > max)
    return net::error_response(400, "invalid_limit",
                               "limit must be a whole number from 1 to " + std::to_string(max));
  return static_cast<int>(*value);
}

std::string encode_cursor(const keyset& position) {
  std::string plain = position.value + '|' + std::to_string(position.id);
  std::string out;
  out.reserve(plain.size() * 2);
  for (unsigned char c : plain) {
    out += hex_digits[c >> 4];
    out += hex_digits[c & 0xf];
  }
  return out;
}

std::optional<keyset> decode_cursor(std::string_view cursor) {
  if (cursor.empty() || cursor.size() % 2 != 0 || cursor.size() > 1024)
    return std::nullopt;
  std::string plain;
  plain.reserve(cursor.size() / 2);
  for (std::size_t i = 0; i < cursor.size(); i += 2) {
    int high = hex_value(cursor[i]);
    int low = hex_value(cursor[i + 1]);
    if (high < 0 || low < 0)
      return std::nullopt;
    plain += static_cast<char>(high * 16 + low);
  }
  auto bar = plain.rfind('|');
  if (bar == std::string::npos)
    return std::nullopt;
  auto id = parse_id(std::string_view(plain).substr(bar + 1));
  if (!id)
    return std::nullopt;
  return keyset{plain.substr(0, bar), *id};
}

std::variant<std::optional<keyset>, net::http_response> parse_cursor(
  const net::http_request& request) {
  auto text = request.query_param("cursor");
  if (!text)
    return std::optional<keyset>{};
  auto position = decode_cursor(*text);
  if (!position)
    return net::error_response(400, "invalid_cursor",
                               "cursor must be a next_cursor value from an earlier page");
  return position;
}

std::variant<page_request, net::http_response> parse_page(const net::http_request& request,
                                                          int fallback_limit, int max_limit,
                                                          keyset start) {
  auto limit = parse_limit(request, fallback_limit, max_limit);
  if (auto* error = std::get_if<net::http_response>(&limit))
    return std::move(*error);
  auto cursor = parse_cursor(request);
  if (auto* error = std::get_if<net::http_response>(&cursor))
    return std::move(*error);
  return page_request{std::get<int>(limit),
                      std::get<std::optional<keyset>>(cursor).value_or(std::move(start))};
}

net::http_response page_response(const storage::pg_result& rows, int limit) {
  std::string body = R"({"data":[)";
  for (std::size_t i = 0; i < rows.rows.size(); ++i) {
    if (i > 0)
      body += ',';
    body += rows.rows[i][2].value_or("null");
  }
  body += R"(],"next_cursor":)";
  if (!rows.rows.empty() && static_cast<int>(rows.rows.size()) == limit) {
    const auto& last = rows.rows.back();
    body += '"' + encode_cursor({last[1].value_or(""), std::stoll(last[0].value_or("0"))}) + '"';
  } else {
    body += "null";
  }
  body += '}';
  return net::json_response(200, std::move(body));
}

net::http_response database_unavailable() {
  return net::error_response(503, "database_unavailable", "PostgreSQL did not answer");
}

net::http_response cursor_or_database_error(const storage::pg_error& error) {
  if (error.sqlstate.starts_with("22"))
    return net::error_response(400, "invalid_cursor", "cursor is not from an earlier page");
  return database_unavailable();
}

net::http_response first_row_response(const storage::pg_outcome& outcome, std::string_view missing) {
  if (!outcome.ok())
    return database_unavailable();
  const auto& rows = outcome.results[0].rows;
  if (rows.empty())
    return net::error_response(404, "not_found", missing);
  return net::json_response(200, rows[0][0].value_or("{}"));
}

std::variant<std::int64_t, net::http_response> path_id(const net::http_request& request,
                                                      const std::string& name,
                                                      std::string_view what) {
  auto id = parse_id(request.path_params.at(name));
  if (!id)
    return net::error_response(400, "invalid_id",
                               "the " + std::string(what) + " id must be a positive integer");
  return *id;
}

}  // namespace crmd::app
