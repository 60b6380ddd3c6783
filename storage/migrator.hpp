#pragma once

#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// Schema migrations: numbered SQL files (storage/migrations/V<digits>__<name>.sql) compiled into
// the binary and applied at start-up, each in its own transaction, recorded in schema_migrations.
// A file must not contain transaction control (BEGIN/COMMIT) or CREATE INDEX CONCURRENTLY.
namespace crmd::storage {

// One SQL file as embedded: its stem ("V001__init") and its text.
struct migration_file {
  std::string_view name;
  std::string_view text;
};

struct migration {
  int version = 0;
  std::string name;  // the file stem, "V001__init"; stored in schema_migrations.name
  std::string_view sql;
};

struct catalog_result {
  std::vector<migration> migrations;  // in file order; meaningful only when errors is empty
  std::vector<std::string> errors;
};

// Parses and validates file stems: "V<digits>__<name>" with <name> of [A-Za-z0-9_], a version
// of at least 1, versions strictly increasing in file order (files arrive sorted by name, so
// this also catches V9 after V010), no duplicates, no blank file and at least one file. Pure.
catalog_result parse_migration_catalog(std::span<const migration_file> files);

// The embedded migrations, validated once; an invalid catalog is a build defect, so this logs
// every error and aborts the process.
const std::vector<migration>& known_migrations();
int latest_known_version();

struct migrate_report {
  int version_before = 0;
  int version_after = 0;
  std::vector<int> applied;
};

// code is one of:
//   database_unreachable  the connection failed
//   database_ahead        the database has a version newer than this binary knows; nothing applied
//   history_mismatch      an applied version is unknown here or has another name, or a known
//                         version below the database's latest was never applied; nothing applied
//   migration_failed      a statement failed; that migration was rolled back, earlier ones stay
struct migrate_error {
  std::string code;
  std::string message;
};

// A row of schema_migrations.
struct applied_migration {
  int version = 0;
  std::string name;
};

// The catalog migrations still to apply, in order, or database_ahead / history_mismatch when the
// database's history does not fit the catalog (non-empty, validated). Pure.
std::variant<std::vector<migration>, migrate_error> plan_migrations(
    std::span<const applied_migration> applied, std::span<const migration> catalog);

// Brings the database up to latest_known_version(). Blocking (plain libpq): call it once from
// main() before any server thread starts. Holds a session advisory lock for the whole run, so
// concurrent crmd instances migrate one after the other and the later ones find nothing to do.
std::variant<migrate_report, migrate_error> migrate(const std::string& conninfo);

}  // namespace crmd::storage
