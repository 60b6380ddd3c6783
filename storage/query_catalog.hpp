#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

// Named SQL from storage/queries/<area>.sql, embedded at build time. A block starts with a line
// `-- name: <query_name>` and runs to the next such line or the end of the file; comment lines
// before the first block describe the file.
//
// The pool prepares every query on every new connection before giving it work, and a failed
// prepare keeps the connection from coming up. So a query here may only reference objects that
// exist once migrations have run: crmd migrates before it starts the pool, but a query on a table
// that only a later migration creates would keep every connection down.
namespace crmd::storage {

struct named_query {
  std::string name;
  std::string area;  // file stem, e.g. "health"
  std::string sql;
};

struct query_file {
  std::string_view area;
  std::string_view text;
};

struct catalog_problem {
  std::string area;
  int line = 0;  // 1-based
  std::string message;
};

struct query_catalog {
  std::vector<named_query> queries;  // in file order
  std::vector<catalog_problem> problems;

  bool ok() const { return problems.empty(); }
  const named_query* find(std::string_view name) const;
};

// Pure: every problem (duplicate name, invalid name, empty body, SQL before the first block) is
// reported in `problems` and the offending block left out; nothing throws.
query_catalog parse_query_catalog(std::span<const query_file> files);

// The catalog of the embedded storage/queries/*.sql files, parsed once.
const query_catalog& embedded_query_catalog();

}  // namespace crmd::storage
