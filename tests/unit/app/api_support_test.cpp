#include "app/api_support.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace crmd::app;

TEST(ApiSupport, ParsesOnlyPlainPositiveIds) {
  EXPECT_EQ(parse_id("42"), 42);
  EXPECT_FALSE(parse_id("0"));
  EXPECT_FALSE(parse_id("-3"));
  EXPECT_FALSE(parse_id("+3"));
  EXPECT_FALSE(parse_id("3x"));
  EXPECT_FALSE(parse_id(""));
  EXPECT_FALSE(parse_id("99999999999999999999"));
}

TEST(ApiSupport, CursorRoundTripsAndIsQuerySafe) {
  keyset position{"2026-11-24 18:03:11.25+00", 981};
  auto cursor = encode_cursor(position);
  EXPECT_EQ(cursor.find_first_not_of("0123456789abcdef"), std::string::npos);
  auto decoded = decode_cursor(cursor);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->value, position.value);
  EXPECT_EQ(decoded->id, 981);
}

TEST(ApiSupport, RefusesForgedCursors) {
  EXPECT_FALSE(decode_cursor(""));
  EXPECT_FALSE(decode_cursor("abc"));                         // odd length
  EXPECT_FALSE(decode_cursor("zz"));                          // not hex
  EXPECT_FALSE(decode_cursor(encode_cursor({"x", 1}).substr(0, 2)));  // no separator
  EXPECT_FALSE(decode_cursor("787c2d31"));                    // "x|-1"
}

TEST(ApiSupport, LimitDefaultsAndBounds) {
  crmd::net::http_request request;
  EXPECT_EQ(std::get<int>(parse_limit(request, 50, 100)), 50);
  request.query = "limit=100";
  EXPECT_EQ(std::get<int>(parse_limit(request, 50, 100)), 100);
  request.query = "limit=101";
  auto refused = parse_limit(request, 50, 100);
  ASSERT_TRUE(std::holds_alternative<crmd::net::http_response>(refused));
  EXPECT_EQ(std::get<crmd::net::http_response>(refused).status, 400u);
}

TEST(ApiSupport, PageHasACursorOnlyWhenFull) {
  crmd::storage::pg_result rows;
  rows.rows = {{"7", "2026-01-01 00:00:00+00", R"({"id":7})"},
               {"5", "2025-12-31 00:00:00+00", R"({"id":5})"}};
  auto full = page_response(rows, 2);
  auto body = nlohmann::json::parse(full.body);
  EXPECT_EQ(body["data"].size(), 2u);
  EXPECT_EQ(body["data"][1]["id"], 5);
  auto next = decode_cursor(body["next_cursor"].get<std::string>());
  ASSERT_TRUE(next);
  EXPECT_EQ(next->id, 5);
  EXPECT_TRUE(nlohmann::json::parse(page_response(rows, 3).body)["next_cursor"].is_null());
}
