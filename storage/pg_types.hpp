#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Plain value types exchanged with the PostgreSQL pool. No libpq or Asio here, so actors and
// tests can carry them in messages.
namespace crmd::storage {

using pg_value = std::optional<std::string>;  // text format; nullopt is SQL NULL

// One statement of a batch: either SQL text, or the name of a query from storage/queries/*.sql
// that every pooled connection has prepared. Parameters are always bound, never spliced.
struct statement {
  std::string sql_or_name;
  bool prepared = false;
  std::vector<pg_value> params;

  static statement text(std::string sql, std::vector<pg_value> params = {});
  static statement named(std::string name, std::vector<pg_value> params = {});
};

struct pg_result {
  std::vector<std::string> columns;
  std::vector<std::vector<pg_value>> rows;
  std::int64_t affected_rows = 0;

  // Index of a column by name, or -1.
  int column(std::string_view name) const;
};

// sqlstate is PostgreSQL's five-character code; it is empty for pool-level failures, whose kind is
// then in `code` (connection_lost, pool_timeout, pool_stopped).
struct pg_error {
  std::string code;
  std::string sqlstate;
  std::string message;
};

struct pg_outcome {
  std::optional<pg_error> error;
  std::vector<pg_result> results;  // one per statement, in order, when !error

  bool ok() const { return !error.has_value(); }
};

struct pg_pool_stats {
  int size = 0;
  int idle = 0;
  int busy = 0;
  int connecting = 0;
  int broken = 0;
  std::size_t waiting = 0;
};

}  // namespace crmd::storage
