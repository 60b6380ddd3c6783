#pragma once

#include "net/http_types.hpp"
#include "storage/pg_types.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

// Edge validation and response shapes shared by the JSON API's route files.
namespace crmd::app {

// A path or query id: a positive 64-bit integer written plainly.
std::optional<std::int64_t> parse_id(std::string_view text);

// ?limit= from 1 to `max`, `fallback` when absent; otherwise a 400 invalid_limit.
std::variant<int, net::http_response> parse_limit(const net::http_request& request, int fallback,
                                                  int max);

// A keyset position: the last row's sort value (as PostgreSQL printed it) and its id. Opaque to
// clients (hex, so it needs no escaping in a query string).
struct keyset {
  std::string value;
  std::int64_t id = 0;
};
std::string encode_cursor(const keyset& position);
std::optional<keyset> decode_cursor(std::string_view cursor);

// ?cursor= decoded, nullopt when absent; a 400 invalid_cursor when malformed.
std::variant<std::optional<keyset>, net::http_response> parse_cursor(
  const net::http_request& request);

// ?limit= and ?cursor= of a keyset-paged list; `start` is where the first page begins.
struct page_request {
  int limit = 0;
  keyset position;
};
std::variant<page_request, net::http_response> parse_page(const net::http_request& request,
                                                          int fallback_limit, int max_limit,
                                                          keyset start);

// {"data": [<json column of each row>], "next_cursor": …}. Rows hold (id, sort value, json); a
// full page gets a cursor after its last row, a shorter one null.
net::http_response page_response(const storage::pg_result& rows, int limit);

net::http_response database_unavailable();

// A failed keyset query: PostgreSQL refusing the cursor's value (data exception, SQLSTATE class
// 22) means a forged cursor, 400 invalid_cursor; anything else is 503.
net::http_response cursor_or_database_error(const storage::pg_error& error);

// 200 with the first row's first column (JSON text); 404 not_found with `missing` when the
// first statement found no row; 503 when the database did not answer.
net::http_response first_row_response(const storage::pg_outcome& outcome, std::string_view missing);

// A positive id from the path parameter `name`; otherwise a 400 invalid_id naming `what`.
std::variant<std::int64_t, net::http_response> path_id(const net::http_request& request,
                                                      const std::string& name,
                                                      std::string_view what);

}  // namespace crmd::app
