#include "storage/migrator.hpp"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace {

using crmd::storage::applied_migration;
using crmd::storage::migrate_error;
using crmd::storage::migration;
using crmd::storage::migration_file;
using crmd::storage::parse_migration_catalog;
using crmd::storage::plan_migrations;

constexpr std::string_view some_sql = "create table t (id int);";

std::vector<std::string> errors_for(std::vector<migration_file> files) {
  return parse_migration_catalog(files).errors;
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

TEST(MigrationCatalog, ParsesVersionsAndKeepsFileOrder) {
  std::vector<migration_file> files{{"V001__init", some_sql}, {"V002__add_jobs", "select 1;"}};
  auto result = parse_migration_catalog(files);
  ASSERT_TRUE(result.errors.empty());
  ASSERT_EQ(result.migrations.size(), 2u);
  EXPECT_EQ(result.migrations[0].version, 1);
  EXPECT_EQ(result.migrations[0].name, "V001__init");
  EXPECT_EQ(result.migrations[0].sql, some_sql);
  EXPECT_EQ(result.migrations[1].version, 2);
  EXPECT_EQ(result.migrations[1].name, "V002__add_jobs");
}

TEST(MigrationCatalog, AllowsGapsAndWideVersions) {
  auto result = parse_migration_catalog(
      std::vector<migration_file>{{"V0001__a", some_sql}, {"V0010__b", some_sql}});
  EXPECT_TRUE(result.errors.empty());
  ASSERT_EQ(result.migrations.size(), 2u);
  EXPECT_EQ(result.migrations[1].version, 10);
}

TEST(MigrationCatalog, RejectsMalformedNames) {
  for (std::string_view bad : {"V__init", "Vabc__init", "V001_init", "V001__", "v001__init",
                               "001__init", "V001__a-b", "V000__zero", "V-1__negative",
                               "V99999999999__overflow", "V1 __space", "V001.5__x"}) {
    auto errors = errors_for({{bad, some_sql}});
    ASSERT_EQ(errors.size(), 1u) << bad;
    EXPECT_TRUE(contains(errors[0], bad)) << errors[0];
  }
}

TEST(MigrationCatalog, RejectsDuplicateVersions) {
  auto errors = errors_for({{"V001__a", some_sql}, {"V001__b", some_sql}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors[0], "V001__b")) << errors[0];
  EXPECT_TRUE(contains(errors[0], "also used by V001__a")) << errors[0];
}

TEST(MigrationCatalog, RejectsDuplicatesWithDifferentPadding) {
  // Name order puts V001__b before V01__a, two files apart.
  auto errors = errors_for({{"V001__b", some_sql}, {"V002__c", some_sql}, {"V01__a", some_sql}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors[0], "also used by V001__b")) << errors[0];
}

TEST(MigrationCatalog, RejectsVersionsThatDecreaseInFileOrder) {
  // What name order yields for V9 and V010: the unpadded one sorts last.
  auto errors = errors_for({{"V010__a", some_sql}, {"V9__b", some_sql}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors[0], "V9__b")) << errors[0];
  EXPECT_TRUE(contains(errors[0], "pad versions")) << errors[0];
}

TEST(MigrationCatalog, RejectsBlankFilesAndAnEmptyCatalog) {
  auto errors = errors_for({{"V001__blank", " \n\t\n"}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_TRUE(contains(errors[0], "empty")) << errors[0];
  EXPECT_EQ(errors_for({}).size(), 1u);
}

TEST(MigrationCatalog, ReportsEveryProblemAtOnce) {
  auto errors = errors_for({{"V001__a", some_sql}, {"bad", some_sql}, {"V001__b", ""}});
  EXPECT_EQ(errors.size(), 3u);
}

TEST(MigrationCatalog, EmbeddedCatalogStartsAtOneAndIsValid) {
  const auto& known = crmd::storage::known_migrations();
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(known.front().version, 1);
  EXPECT_EQ(known.front().name, "V001__init");
  EXPECT_EQ(crmd::storage::latest_known_version(), known.back().version);
}

std::vector<migration> catalog_1_to_3() {
  return {{1, "V001__init", some_sql}, {2, "V002__b", some_sql}, {3, "V003__c", some_sql}};
}

std::vector<int> versions(const std::variant<std::vector<migration>, migrate_error>& plan) {
  std::vector<int> out;
  for (const auto& m : std::get<std::vector<migration>>(plan))
    out.push_back(m.version);
  return out;
}

TEST(MigrationPlan, FreshDatabaseGetsEverything) {
  auto plan = plan_migrations({}, catalog_1_to_3());
  EXPECT_EQ(versions(plan), (std::vector<int>{1, 2, 3}));
}

TEST(MigrationPlan, PartlyMigratedDatabaseGetsTheRest) {
  std::vector<applied_migration> applied{{1, "V001__init"}};
  EXPECT_EQ(versions(plan_migrations(applied, catalog_1_to_3())), (std::vector<int>{2, 3}));
}

TEST(MigrationPlan, UpToDateDatabaseGetsNothing) {
  std::vector<applied_migration> applied{{1, "V001__init"}, {2, "V002__b"}, {3, "V003__c"}};
  EXPECT_TRUE(versions(plan_migrations(applied, catalog_1_to_3())).empty());
}

TEST(MigrationPlan, NewerDatabaseIsRefusedNamingBothVersions) {
  std::vector<applied_migration> applied{{1, "V001__init"}, {7, "V007__future"}};
  auto plan = plan_migrations(applied, catalog_1_to_3());
  const auto& error = std::get<migrate_error>(plan);
  EXPECT_EQ(error.code, "database_ahead");
  EXPECT_EQ(error.message,
            "database schema is at version 7 but this crmd knows only up to 3; refusing to start "
            "an older crmd against a newer schema");
}

TEST(MigrationPlan, UnknownAppliedVersionIsAMismatch) {
  auto catalog = std::vector<migration>{{1, "V001__init", some_sql}, {3, "V003__c", some_sql}};
  std::vector<applied_migration> applied{{1, "V001__init"}, {2, "V002__elsewhere"}};
  auto error = std::get<migrate_error>(plan_migrations(applied, catalog));
  EXPECT_EQ(error.code, "history_mismatch");
  EXPECT_TRUE(contains(error.message, "V002__elsewhere")) << error.message;
}

TEST(MigrationPlan, RenamedMigrationIsAMismatch) {
  std::vector<applied_migration> applied{{1, "V001__other_branch"}};
  auto error = std::get<migrate_error>(plan_migrations(applied, catalog_1_to_3()));
  EXPECT_EQ(error.code, "history_mismatch");
  EXPECT_TRUE(contains(error.message, "V001__other_branch")) << error.message;
  EXPECT_TRUE(contains(error.message, "V001__init")) << error.message;
}

TEST(MigrationPlan, SkippedOlderMigrationIsAMismatch) {
  std::vector<applied_migration> applied{{1, "V001__init"}, {3, "V003__c"}};
  auto error = std::get<migrate_error>(plan_migrations(applied, catalog_1_to_3()));
  EXPECT_EQ(error.code, "history_mismatch");
  EXPECT_TRUE(contains(error.message, "V002__b was never applied")) << error.message;
}

}  // namespace
