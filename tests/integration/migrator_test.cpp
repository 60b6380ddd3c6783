#include "storage/migrator.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <thread>
#include <variant>
#include <vector>

namespace {

using crmd::storage::migrate;
using crmd::storage::migrate_error;
using crmd::storage::migrate_report;

const std::vector<std::string> schema_tables{
    "users",         "phone_numbers",  "contacts",  "conversations",        "activities",
    "webhook_events", "campaigns",     "campaign_memberships", "import_jobs", "schema_migrations"};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A fresh database per test, named after the test so tests never share one.
class Migrator : public ::testing::Test {
 protected:
  crmd::testing::test_database db_{::testing::UnitTest::GetInstance()->current_test_info()->name()};

  bool table_exists(const std::string& table) const {
    return db_.scalar("SELECT to_regclass('public." + table + "') IS NOT NULL") == "t";
  }

  // The error text of a statement that must fail; "" (and a test failure) when it succeeds.
  std::string rejection(const std::string& sql) const {
    try {
      db_.exec(sql);
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    ADD_FAILURE() << "accepted: " << sql;
    return {};
  }
};

migrate_report migrate_ok(const std::string& url) {
  auto outcome = migrate(url);
  if (auto* error = std::get_if<migrate_error>(&outcome)) {
    ADD_FAILURE() << error->code << ": " << error->message;
    return {};
  }
  return std::get<migrate_report>(outcome);
}

migrate_error migrate_fails(const std::string& url) {
  auto outcome = migrate(url);
  if (!std::holds_alternative<migrate_error>(outcome)) {
    ADD_FAILURE() << "migrate succeeded";
    return {};
  }
  return std::get<migrate_error>(outcome);
}

// A migrated database for the constraint tests.
class Schema : public Migrator {
 protected:
  void SetUp() override { migrate_ok(db_.url()); }
};

TEST_F(Migrator, EmptyDatabaseReachesLatestVersion) {
  auto report = migrate_ok(db_.url());
  const int latest = crmd::storage::latest_known_version();
  EXPECT_EQ(report.version_before, 0);
  EXPECT_EQ(report.version_after, latest);
  EXPECT_EQ(report.applied.size(), crmd::storage::known_migrations().size());
  for (const auto& table : schema_tables)
    EXPECT_TRUE(table_exists(table)) << table;
  EXPECT_EQ(db_.scalar("SELECT max(version) FROM schema_migrations"), std::to_string(latest));
  EXPECT_EQ(db_.scalar("SELECT name FROM schema_migrations WHERE version = 1"), "V001__init");
}

TEST_F(Migrator, SecondRunAppliesNothing) {
  migrate_ok(db_.url());
  auto report = migrate_ok(db_.url());
  EXPECT_TRUE(report.applied.empty());
  EXPECT_EQ(report.version_before, crmd::storage::latest_known_version());
  EXPECT_EQ(report.version_after, report.version_before);
}

TEST_F(Migrator, ConcurrentRunsApplyEachMigrationOnce) {
  std::variant<migrate_report, migrate_error> first, second;
  std::thread other([&] { first = migrate(db_.url()); });
  second = migrate(db_.url());
  other.join();
  ASSERT_TRUE(std::holds_alternative<migrate_report>(first));
  ASSERT_TRUE(std::holds_alternative<migrate_report>(second));
  auto applied = std::get<migrate_report>(first).applied.size()
                 + std::get<migrate_report>(second).applied.size();
  EXPECT_EQ(applied, crmd::storage::known_migrations().size());
}

TEST_F(Migrator, NewerDatabaseIsRefusedAndLeftAlone) {
  db_.exec("CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL,"
           " applied_at timestamptz NOT NULL DEFAULT now());"
           "INSERT INTO schema_migrations VALUES (9999, 'V9999__future')");
  auto error = migrate_fails(db_.url());
  EXPECT_EQ(error.code, "database_ahead");
  EXPECT_TRUE(contains(error.message, "version 9999")) << error.message;
  EXPECT_TRUE(contains(error.message,
                       "up to " + std::to_string(crmd::storage::latest_known_version())))
      << error.message;
  EXPECT_FALSE(table_exists("contacts"));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM schema_migrations"), "1");
}

TEST_F(Migrator, ForeignHistoryIsAMismatch) {
  db_.exec("CREATE TABLE schema_migrations (version int PRIMARY KEY, name text NOT NULL,"
           " applied_at timestamptz NOT NULL DEFAULT now());"
           "INSERT INTO schema_migrations VALUES (1, 'V001__other_branch')");
  EXPECT_EQ(migrate_fails(db_.url()).code, "history_mismatch");
}

TEST_F(Migrator, FailedMigrationRollsBackAndNamesTheFile) {
  db_.exec("CREATE TABLE campaigns (id int)");  // collides with V001's own campaigns table
  auto error = migrate_fails(db_.url());
  EXPECT_EQ(error.code, "migration_failed");
  EXPECT_TRUE(contains(error.message, "V001__init")) << error.message;
  EXPECT_TRUE(contains(error.message, "\"campaigns\" already exists")) << error.message;
  EXPECT_TRUE(contains(error.message, "42P07")) << error.message;
  EXPECT_FALSE(table_exists("contacts"));
  EXPECT_EQ(db_.scalar("SELECT count(*) FROM schema_migrations"), "0");
}

TEST_F(Migrator, UnreachableDatabaseIsReported) {
  // Port 1 (tcpmux) has no listener on the test machines.
  auto error = migrate_fails("postgresql://crmd@127.0.0.1:1/crmd?connect_timeout=2");
  EXPECT_EQ(error.code, "database_unreachable");
  EXPECT_FALSE(error.message.empty());
}

TEST_F(Schema, NonE164PhonesAreRejected) {
  db_.exec("INSERT INTO contacts (phone, phone_numbers) VALUES ('+15085550100', '{+15085550100}')");
  EXPECT_TRUE(contains(rejection("INSERT INTO contacts (phone, phone_numbers)"
                                 " VALUES ('5085550101', '{5085550101}')"),
                       "contacts_phone_check"));
  EXPECT_TRUE(contains(rejection("INSERT INTO contacts (phone_numbers)"
                                 " VALUES ('{+15085550102,508-555-0103}')"),
                       "contacts_phone_numbers_check"));
  EXPECT_TRUE(contains(rejection("INSERT INTO phone_numbers (phone_number) VALUES ('+0123')"),
                       "phone_numbers_phone_number_check"));
  EXPECT_TRUE(contains(rejection("INSERT INTO activities (activity_type, from_number, occurred_at)"
                                 " VALUES ('call', '+1 508 555 0100', now())"),
                       "activities_from_number_check"));
}

TEST_F(Schema, PrimaryPhoneMustBeAmongPhoneNumbers) {
  EXPECT_TRUE(contains(rejection("INSERT INTO contacts (phone) VALUES ('+15085550100')"),
                       "contacts_phone_in_phone_numbers"));
}

TEST_F(Schema, DuplicatePrimaryPhoneIsRejected) {
  const std::string insert =
      "INSERT INTO contacts (phone, phone_numbers) VALUES ('+15085550100', '{+15085550100}')";
  db_.exec(insert);
  EXPECT_TRUE(contains(rejection(insert), "contacts_phone_key"));
}

TEST_F(Schema, UnknownActivityTypeIsRejected) {
  db_.exec("INSERT INTO activities (activity_type, occurred_at) VALUES ('voicemail', now())");
  EXPECT_TRUE(contains(
      rejection("INSERT INTO activities (activity_type, occurred_at) VALUES ('email', now())"),
      "activities_activity_type_check"));
  EXPECT_TRUE(contains(rejection("INSERT INTO activities (activity_type, status, occurred_at)"
                                 " VALUES ('call', 'exploded', now())"),
                       "activities_status_check"));
}

TEST_F(Schema, DuplicateActivityOpenphoneIdIsRejected) {
  db_.exec("INSERT INTO activities (openphone_id, activity_type, occurred_at)"
           " VALUES ('AC1', 'message', now())");
  // Calls and messages share the AC prefix, so a call may not reuse a message's id.
  EXPECT_TRUE(contains(rejection("INSERT INTO activities (openphone_id, activity_type, occurred_at)"
                                 " VALUES ('AC1', 'call', now())"),
                       "activities_openphone_id_key"));
}

TEST_F(Schema, DuplicateWebhookEventIdIsRejected) {
  const std::string insert = "INSERT INTO webhook_events (event_id, event_type, payload)"
                             " VALUES ('EV1', 'message.received', '{}')";
  db_.exec(insert);
  EXPECT_TRUE(contains(rejection(insert), "webhook_events_event_id_key"));
}

TEST_F(Schema, WebhookProcessedFlagFollowsStatus) {
  db_.exec("INSERT INTO webhook_events (event_id, event_type, payload)"
           " VALUES ('EV1', 'message.received', '{}')");
  EXPECT_EQ(db_.scalar("SELECT status || ' ' || processed FROM webhook_events"), "received false");
  db_.exec("UPDATE webhook_events SET status = 'processed', processed_at = now()");
  EXPECT_EQ(db_.scalar("SELECT processed FROM webhook_events"), "t");
  EXPECT_TRUE(contains(rejection("UPDATE webhook_events SET status = 'done'"),
                       "webhook_events_status_check"));
}

TEST_F(Schema, ContactTagsDefaultToAnEmptyArray) {
  db_.exec("INSERT INTO contacts (first_name) VALUES ('Ada')");
  EXPECT_EQ(db_.scalar("SELECT tags = '{}'::text[] AND tags IS NOT NULL FROM contacts"), "t");
  EXPECT_EQ(db_.scalar("SELECT source FROM contacts"), "manual");
}

TEST_F(Schema, UpdatedAtMovesOnChange) {
  db_.exec("INSERT INTO users (first_name, updated_at) VALUES ('Ada', now() - interval '1 day')");
  db_.exec("UPDATE users SET first_name = 'Grace'");
  EXPECT_EQ(db_.scalar("SELECT updated_at > now() - interval '1 minute' FROM users"), "t");
}

}  // namespace
