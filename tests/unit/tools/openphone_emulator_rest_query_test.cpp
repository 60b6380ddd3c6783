#include "tools/openphone-emulator/rest_query.hpp"

#include <gtest/gtest.h>

namespace crmd::openphone_emulator::rest {
namespace {

using strings = std::vector<std::string>;

TEST(EmulatorRestQuery, ParticipantsInEveryForm) {
  auto bare = query_params::parse("participants=%2B15085550100&participants=%2B15085550101");
  auto brackets =
      query_params::parse("participants%5B%5D=%2B15085550100&participants[]=%2B15085550101");
  auto indexed =
      query_params::parse("participants[0]=%2B15085550100&participants%5B1%5D=%2B15085550101");
  auto single = query_params::parse("phoneNumberId=PN1&participants=%2B15085550100");
  ASSERT_TRUE(bare && brackets && indexed && single);
  strings both{"+15085550100", "+15085550101"};
  EXPECT_EQ(bare->all("participants"), both);
  EXPECT_EQ(brackets->all("participants"), both);
  EXPECT_EQ(indexed->all("participants"), both);
  EXPECT_EQ(single->all("participants"), strings{"+15085550100"});
  EXPECT_EQ(single->first("phoneNumberId"), "PN1");
  EXPECT_FALSE(single->has("maxResults"));
}

TEST(EmulatorRestQuery, APlusIsASpaceUnlessEncoded) {
  auto q = query_params::parse("participants=+15085550100&name=a+b");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->first("participants"), " 15085550100");
  EXPECT_FALSE(is_e164(*q->first("participants")));
  EXPECT_EQ(q->first("name"), "a b");
  EXPECT_EQ(percent_decode("/v1/a+b%2Fc", false), "/v1/a+b/c");
}

TEST(EmulatorRestQuery, BadEscapesAreRefused) {
  EXPECT_FALSE(query_params::parse("a=%2"));
  EXPECT_FALSE(query_params::parse("a=%zz"));
  EXPECT_FALSE(percent_decode("%", true));
  EXPECT_TRUE(query_params::parse("a=%25&&b=&c"));
  auto q = query_params::parse("a=%25&&b=&c");
  EXPECT_EQ(q->first("a"), "%");
  EXPECT_EQ(q->first("b"), "");
  EXPECT_TRUE(q->has("c"));
}

TEST(EmulatorRestQuery, OddBracketsStayPartOfTheName) {
  auto q = query_params::parse("a[b]=1&[]=2");
  ASSERT_TRUE(q);
  EXPECT_EQ(q->first("a[b]"), "1");
  EXPECT_FALSE(q->has("a"));
  EXPECT_EQ(q->first("[]"), "2");
}

TEST(EmulatorRestQuery, SplitsTargets) {
  EXPECT_EQ(split_target("/v1/users?maxResults=5").first, "/v1/users");
  EXPECT_EQ(split_target("/v1/users?maxResults=5").second, "maxResults=5");
  EXPECT_EQ(split_target("/v1/users").second, "");
}

TEST(EmulatorRestQuery, ValidatesE164AndIds) {
  EXPECT_TRUE(is_e164("+15085550100"));
  EXPECT_TRUE(is_e164("+442071838750"));
  EXPECT_FALSE(is_e164("15085550100"));
  EXPECT_FALSE(is_e164("+05085550100"));
  EXPECT_FALSE(is_e164("+1508555010a"));
  EXPECT_FALSE(is_e164("+1234567890123456"));
  EXPECT_FALSE(is_e164("+1"));
  EXPECT_TRUE(is_prefixed_id("PNabc123", "PN"));
  EXPECT_FALSE(is_prefixed_id("PN", "PN"));
  EXPECT_FALSE(is_prefixed_id("USabc", "PN"));
  EXPECT_FALSE(is_prefixed_id("PNab-c", "PN"));
  EXPECT_TRUE(is_prefixed_id("0123456789abcdef01234567", ""));
  EXPECT_FALSE(is_prefixed_id("", ""));
}

TEST(EmulatorRestQuery, BoundedIntegers) {
  EXPECT_EQ(parse_bounded("1", 1, 100), 1);
  EXPECT_EQ(parse_bounded("100", 1, 100), 100);
  EXPECT_FALSE(parse_bounded("0", 1, 100));
  EXPECT_FALSE(parse_bounded("101", 1, 100));
  EXPECT_FALSE(parse_bounded("-1", 1, 100));
  EXPECT_FALSE(parse_bounded("", 1, 100));
  EXPECT_FALSE(parse_bounded("10x", 1, 100));
  EXPECT_FALSE(parse_bounded("99999999999999", 1, 100));
}

TEST(EmulatorRestQuery, IsoTimestamps) {
  EXPECT_EQ(parse_iso_ms("2025-05-01T14:00:00Z"), 1746108000000);
  EXPECT_EQ(parse_iso_ms("2025-05-01T14:00:00.120Z"), 1746108000120);
  EXPECT_EQ(parse_iso_ms("2025-05-01T14:00:00.1Z"), 1746108000100);
  EXPECT_EQ(parse_iso_ms("2025-05-01T16:00:00+02:00"), 1746108000000);
  EXPECT_EQ(parse_iso_ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_FALSE(parse_iso_ms("2025-05-01"));
  EXPECT_FALSE(parse_iso_ms("2025-05-01T14:00:00"));
  EXPECT_FALSE(parse_iso_ms("2025-13-01T14:00:00Z"));
  EXPECT_FALSE(parse_iso_ms("2025-05-01T14:00:00.Z"));
  EXPECT_FALSE(parse_iso_ms("yesterday"));
}

}  // namespace
}  // namespace crmd::openphone_emulator::rest
