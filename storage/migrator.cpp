#include "storage/migrator.hpp"

#include "observability/log.hpp"
#include "storage/embedded_migrations.hpp"

#include <libpq-fe.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace crmd::storage {

namespace {

constexpr std::string_view component = "storage.migrator";

// Session advisory lock key: the ASCII bytes of "crmdmigr", unlikely to collide with anyone
// else's key in a shared database.
constexpr std::int64_t lock_key = 0x63726d646d696772;

using conn_ptr = std::unique_ptr<PGconn, decltype(&PQfinish)>;
using result_ptr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Version of a "V<digits>__<name>" stem, or 0 when the stem has another shape.
int version_of(std::string_view stem) {
  if (stem.size() < 2 || stem.front() != 'V')
    return 0;
  auto separator = stem.find("__", 1);
  if (separator == std::string_view::npos)
    return 0;
  auto digits = stem.substr(1, separator - 1);
  auto name = stem.substr(separator + 2);
  bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
  bool digits_ok = !digits.empty() && std::all_of(digits.begin(), digits.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
  if (!name_ok || !digits_ok)
    return 0;
  int version = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), version);
  return ec == std::errc{} && end == digits.data() + digits.size() ? version : 0;
}

std::string trimmed(std::string_view text) {
  auto end = text.find_last_not_of(" \t\r\n");
  return std::string(end == std::string_view::npos ? std::string_view{} : text.substr(0, end + 1));
}

// 1-based line of a 1-based character position (PostgreSQL counts characters, not bytes).
int line_of(std::string_view sql, int position) {
  int line = 1;
  int chars = 0;
  for (char c : sql) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80 && ++chars >= position)
      break;
    if (c == '\n')
      ++line;
  }
  return line;
}

bool succeeded(const PGresult* res) {
  auto status = PQresultStatus(res);
  return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
}

// PostgreSQL's own words for a failed statement, with the line in `sql` when it reports one.
std::string describe_failure(PGconn* conn, const PGresult* res, std::string_view sql) {
  const char* primary = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  if (primary == nullptr)
    return trimmed(PQerrorMessage(conn));
  std::string text = primary;
  if (const char* position = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION))
    text = "line " + std::to_string(line_of(sql, std::atoi(position))) + ": " + text;
  if (const char* detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL))
    text += std::string(" (") + detail + ")";
  if (const char* sqlstate = PQresultErrorField(res, PG_DIAG_SQLSTATE))
    text += std::string(" [SQLSTATE ") + sqlstate + "]";
  return text;
}

result_ptr exec(PGconn* conn, const std::string& sql, std::vector<const char*> params = {}) {
  return result_ptr(PQexecParams(conn, sql.c_str(), static_cast<int>(params.size()), nullptr,
                                 params.data(), nullptr, nullptr, 0),
                    &PQclear);
}

// Runs statements that must not fail; the first failure becomes a migration_failed error.
std::optional<migrate_error> exec_all(PGconn* conn, std::initializer_list<std::string> sqls) {
  for (const auto& sql : sqls) {
    auto res = exec(conn, sql);
    if (!succeeded(res.get()))
      return migrate_error{"migration_failed", sql + ": " + describe_failure(conn, res.get(), sql)};
  }
  return std::nullopt;
}

// Notices (CREATE TABLE IF NOT EXISTS's "skipping") are muted: libpq would print them raw to
// stderr, in the middle of the JSON log. Statement timeouts are off for the whole run: a
// migration that rewrites a big table may legitimately take minutes, and a role default must not
// cut it off. The advisory lock waits as long as the other crmd migrates (the lock dies with its
// connection if that crmd crashes). Once we hold it, lock_timeout bounds how long DDL queues for
// a table lock: waiting behind a long transaction would stall every query queued behind our
// ACCESS EXCLUSIVE request, so failing (and rolling back) fast is kinder; the operator restarts.
// schema_migrations is created under the lock because concurrent CREATE TABLE IF NOT EXISTS can
// still collide.
std::optional<migrate_error> prepare_session(PGconn* conn) {
  return exec_all(conn, {
      "SET client_min_messages = warning",
      "SET statement_timeout = 0",
      "SET lock_timeout = 0",
      "SELECT pg_advisory_lock(" + std::to_string(lock_key) + ")",
      "SET lock_timeout = '10s'",
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version int PRIMARY KEY,"
      " name text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())",
  });
}

std::variant<std::vector<applied_migration>, migrate_error> read_applied(PGconn* conn) {
  const std::string sql = "SELECT version, name FROM schema_migrations ORDER BY version";
  auto res = exec(conn, sql);
  if (!succeeded(res.get()))
    return migrate_error{"migration_failed", "reading schema_migrations: "
                                                 + describe_failure(conn, res.get(), sql)};
  std::vector<applied_migration> applied;
  for (int row = 0; row < PQntuples(res.get()); ++row)
    applied.push_back({std::atoi(PQgetvalue(res.get(), row, 0)), PQgetvalue(res.get(), row, 1)});
  return applied;
}

std::optional<migrate_error> apply(PGconn* conn, const migration& m) {
  auto fail = [&](const PGresult* res, std::string_view sql) {
    auto message = m.name + ": " + describe_failure(conn, res, sql);
    exec(conn, "ROLLBACK");
    return migrate_error{"migration_failed", message};
  };
  const std::string sql(m.sql);
  const std::string version = std::to_string(m.version);
  const std::string record = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";
  if (auto res = exec(conn, "BEGIN"); !succeeded(res.get()))
    return fail(res.get(), "BEGIN");
  // No parameters: PQexec is the only way to run a file of many statements.
  if (result_ptr res(PQexec(conn, sql.c_str()), &PQclear); !succeeded(res.get()))
    return fail(res.get(), sql);
  if (auto res = exec(conn, record, {version.c_str(), m.name.c_str()}); !succeeded(res.get()))
    return fail(res.get(), record);
  if (auto res = exec(conn, "COMMIT"); !succeeded(res.get()))
    return fail(res.get(), "COMMIT");
  return std::nullopt;
}

}  // namespace

catalog_result parse_migration_catalog(std::span<const migration_file> files) {
  catalog_result result;
  if (files.empty())
    result.errors.push_back("no migration files are embedded");
  std::map<int, std::string_view> seen;
  for (const auto& file : files) {
    const std::string name(file.name);
    int version = version_of(file.name);
    if (version < 1) {
      result.errors.push_back(name + ": expected V<digits>__<name> with a version of at least 1 "
                                     "and a name of letters, digits and underscores");
      continue;
    }
    if (file.text.find_first_not_of(" \t\r\n") == std::string_view::npos)
      result.errors.push_back(name + ": the file is empty");
    if (auto it = seen.find(version); it != seen.end()) {
      result.errors.push_back(name + ": version " + std::to_string(version) + " is also used by "
                              + std::string(it->second));
    } else if (!result.migrations.empty() && version < result.migrations.back().version) {
      result.errors.push_back(name + ": version " + std::to_string(version)
                              + " sorts after " + result.migrations.back().name
                              + "; pad versions with zeros to the same width");
    }
    seen.emplace(version, file.name);
    result.migrations.push_back({version, name, file.text});
  }
  return result;
}

const std::vector<migration>& known_migrations() {
  static const std::vector<migration> migrations = [] {
    std::vector<migration_file> files;
    for (const auto& file : generated::migration_files)
      files.push_back({file.name, file.text});
    auto catalog = parse_migration_catalog(files);
    if (!catalog.errors.empty()) {
      for (const auto& error : catalog.errors)
        log::error(component, "[crmd.storage.bad_migration] invalid embedded migration",
                   {{"error", error}});
      std::abort();
    }
    return std::move(catalog.migrations);
  }();
  return migrations;
}

int latest_known_version() {
  return known_migrations().back().version;
}

std::variant<std::vector<migration>, migrate_error> plan_migrations(
    std::span<const applied_migration> applied, std::span<const migration> catalog) {
  int current = 0;
  for (const auto& row : applied)
    current = std::max(current, row.version);
  int latest = catalog.back().version;
  if (current > latest)
    return migrate_error{"database_ahead",
                         "database schema is at version " + std::to_string(current)
                             + " but this crmd knows only up to " + std::to_string(latest)
                             + "; refusing to start an older crmd against a newer schema"};

  std::map<int, const migration*> known;
  for (const auto& m : catalog)
    known.emplace(m.version, &m);
  std::set<int> done;
  std::string problems;
  auto problem = [&](const std::string& text) {
    problems += (problems.empty() ? "" : "; ") + text;
  };
  for (const auto& row : applied) {
    done.insert(row.version);
    auto it = known.find(row.version);
    if (it == known.end())
      problem("version " + std::to_string(row.version) + " (" + row.name
              + ") is applied but unknown to this crmd");
    else if (it->second->name != row.name)
      problem("version " + std::to_string(row.version) + " is applied as " + row.name
              + " but this crmd has " + it->second->name);
  }
  std::vector<migration> pending;
  for (const auto& m : catalog) {
    if (m.version > current)
      pending.push_back(m);
    else if (!done.contains(m.version))
      problem(m.name + " was never applied but the database is already at version "
              + std::to_string(current));
  }
  if (!problems.empty())
    return migrate_error{"history_mismatch", problems};
  return pending;
}

std::variant<migrate_report, migrate_error> migrate(const std::string& conninfo) {
  const auto& catalog = known_migrations();
  // Defaults placed before the expanded conninfo, so settings in it win (libpq's rule for
  // PQconnectdbParams with expand_dbname): no start-up hangs forever on an unroutable host.
  const char* keys[] = {"connect_timeout", "application_name", "dbname", nullptr};
  const char* values[] = {"10", "crmd-migrator", conninfo.c_str(), nullptr};
  conn_ptr conn(PQconnectdbParams(keys, values, 1), &PQfinish);
  if (PQstatus(conn.get()) != CONNECTION_OK)
    return migrate_error{"database_unreachable", trimmed(PQerrorMessage(conn.get()))};

  if (auto error = prepare_session(conn.get()))
    return *error;
  auto applied = read_applied(conn.get());
  if (auto* error = std::get_if<migrate_error>(&applied))
    return *error;
  const auto& rows = std::get<std::vector<applied_migration>>(applied);
  auto plan = plan_migrations(rows, catalog);
  if (auto* error = std::get_if<migrate_error>(&plan))
    return *error;

  migrate_report report;
  for (const auto& row : rows)
    report.version_before = std::max(report.version_before, row.version);
  report.version_after = report.version_before;
  for (const auto& m : std::get<std::vector<migration>>(plan)) {
    log::info(component, "applying migration", {{"migration", m.name}});
    if (auto error = apply(conn.get(), m))
      return *error;
    report.applied.push_back(m.version);
    report.version_after = m.version;
  }
  // Closing the connection releases the advisory lock.
  return report;
}

}  // namespace crmd::storage
