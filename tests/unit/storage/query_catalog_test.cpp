#include "storage/query_catalog.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace crmd::storage {
namespace {

query_catalog parse(std::vector<query_file> files) {
  return parse_query_catalog(files);
}

TEST(QueryCatalog, SplitsBlocksAndKeepsFileOrder) {
  auto catalog = parse({{"contacts", "-- Contacts: lookups by phone.\n"
                                     "\n"
                                     "-- name: find_contact\n"
                                     "-- uses contacts_phone_idx\n"
                                     "SELECT id\n"
                                     "  FROM contacts WHERE phone = $1;\n"
                                     "\n"
                                     "-- name: count_contacts\n"
                                     "SELECT count(*) FROM contacts\n"}});
  ASSERT_TRUE(catalog.ok()) << catalog.problems.front().message;
  ASSERT_EQ(catalog.queries.size(), 2u);
  EXPECT_EQ(catalog.queries[0].name, "find_contact");
  EXPECT_EQ(catalog.queries[0].area, "contacts");
  EXPECT_EQ(catalog.queries[0].sql,
            "-- uses contacts_phone_idx\nSELECT id\n  FROM contacts WHERE phone = $1;");
  EXPECT_EQ(catalog.queries[1].name, "count_contacts");
  EXPECT_EQ(catalog.queries[1].sql, "SELECT count(*) FROM contacts");
}

TEST(QueryCatalog, TrimsSpacesAroundNames) {
  auto catalog = parse({{"a", "  --   name:   spaced_name   \r\nSELECT 1\r\n"}});
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog.queries.size(), 1u);
  EXPECT_EQ(catalog.queries[0].name, "spaced_name");
  EXPECT_EQ(catalog.queries[0].sql, "SELECT 1");
}

TEST(QueryCatalog, FindsByName) {
  auto catalog = parse({{"a", "-- name: one\nSELECT 1\n"}, {"b", "-- name: two\nSELECT 2\n"}});
  ASSERT_NE(catalog.find("two"), nullptr);
  EXPECT_EQ(catalog.find("two")->area, "b");
  EXPECT_EQ(catalog.find("three"), nullptr);
}

TEST(QueryCatalog, ReportsDuplicateNamesAcrossFiles) {
  auto catalog = parse({{"a", "-- name: same\nSELECT 1\n"},
                        {"b", "-- name: other\nSELECT 2\n-- name: same\nSELECT 3\n"}});
  ASSERT_EQ(catalog.problems.size(), 1u);
  EXPECT_EQ(catalog.problems[0].area, "b");
  EXPECT_EQ(catalog.problems[0].line, 3);
  EXPECT_NE(catalog.problems[0].message.find("duplicate query name 'same'"), std::string::npos);
  EXPECT_NE(catalog.problems[0].message.find("a.sql line 1"), std::string::npos);
  ASSERT_EQ(catalog.queries.size(), 2u);
  EXPECT_EQ(catalog.find("same")->sql, "SELECT 1");
}

TEST(QueryCatalog, ReportsEmptyBodies) {
  auto catalog = parse({{"a", "-- name: blank\n\n   \n-- name: only_comments\n-- nothing here\n"
                              "-- name: last\n"}});
  ASSERT_EQ(catalog.problems.size(), 3u);
  EXPECT_EQ(catalog.problems[0].line, 1);
  EXPECT_NE(catalog.problems[0].message.find("'blank' has an empty body"), std::string::npos);
  EXPECT_EQ(catalog.problems[1].line, 4);
  EXPECT_EQ(catalog.problems[2].line, 6);
  EXPECT_TRUE(catalog.queries.empty());
}

TEST(QueryCatalog, ReportsInvalidNames) {
  auto catalog = parse({{"a", "-- name:\nSELECT 1\n-- name: bad-name\nSELECT 2\n"
                              "-- name: 1st\nSELECT 3\n-- name: good_2\nSELECT 4\n"}});
  ASSERT_EQ(catalog.problems.size(), 3u);
  EXPECT_EQ(catalog.problems[0].message, "invalid query name ''");
  EXPECT_EQ(catalog.problems[1].message, "invalid query name 'bad-name'");
  EXPECT_EQ(catalog.problems[2].message, "invalid query name '1st'");
  ASSERT_EQ(catalog.queries.size(), 1u);
  EXPECT_EQ(catalog.queries[0].name, "good_2");
}

TEST(QueryCatalog, ReportsSqlBeforeTheFirstName) {
  auto catalog = parse({{"a", "-- header comment\nSELECT 0;\n-- name: one\nSELECT 1\n"}});
  ASSERT_EQ(catalog.problems.size(), 1u);
  EXPECT_EQ(catalog.problems[0].line, 2);
  EXPECT_EQ(catalog.queries.size(), 1u);
}

TEST(QueryCatalog, OrdinaryCommentsDoNotStartBlocks) {
  auto catalog = parse({{"a", "-- name: one\n-- named after the column\nSELECT 1\n"}});
  ASSERT_TRUE(catalog.ok());
  ASSERT_EQ(catalog.queries.size(), 1u);
  EXPECT_EQ(catalog.queries[0].sql, "-- named after the column\nSELECT 1");
}

TEST(QueryCatalog, EmptyInputGivesEmptyCatalog) {
  auto catalog = parse({{"a", ""}, {"b", "-- only a comment\n"}});
  EXPECT_TRUE(catalog.ok());
  EXPECT_TRUE(catalog.queries.empty());
}

TEST(QueryCatalog, EmbeddedFilesParseCleanly) {
  const auto& catalog = embedded_query_catalog();
  for (const auto& problem : catalog.problems)
    ADD_FAILURE() << problem.area << ".sql line " << problem.line << ": " << problem.message;
  ASSERT_NE(catalog.find("ping"), nullptr);
  EXPECT_EQ(catalog.find("ping")->sql, "SELECT 1 AS ok");
}

}  // namespace
}  // namespace crmd::storage
