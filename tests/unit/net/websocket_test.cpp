#include "net/websocket.hpp"

#include <gtest/gtest.h>

namespace crmd::net {
namespace {

TEST(WebsocketOrigin, MatchesTheSameHostAndPort) {
  EXPECT_TRUE(origin_matches_host("http://127.0.0.1:8080", "127.0.0.1:8080"));
  EXPECT_TRUE(origin_matches_host("https://crm.example.com", "crm.example.com"));
  EXPECT_TRUE(origin_matches_host("HTTPS://CRM.example.com", "crm.EXAMPLE.com"));
  EXPECT_TRUE(origin_matches_host("http://[::1]:8080", "[::1]:8080"));
}

TEST(WebsocketOrigin, IgnoresTheSchemesDefaultPort) {
  EXPECT_TRUE(origin_matches_host("https://crm.example.com", "crm.example.com:443"));
  EXPECT_TRUE(origin_matches_host("http://crm.example.com:80", "crm.example.com"));
  EXPECT_FALSE(origin_matches_host("http://crm.example.com", "crm.example.com:443"));
}

TEST(WebsocketOrigin, RefusesOtherSitesAndOddOrigins) {
  EXPECT_FALSE(origin_matches_host("https://evil.example", "crm.example.com"));
  EXPECT_FALSE(origin_matches_host("http://127.0.0.1:8081", "127.0.0.1:8080"));
  EXPECT_FALSE(origin_matches_host("https://crm.example.com.evil.example", "crm.example.com"));
  EXPECT_FALSE(origin_matches_host("null", "crm.example.com"));
  EXPECT_FALSE(origin_matches_host("file://crm.example.com", "crm.example.com"));
  EXPECT_FALSE(origin_matches_host("https://crm.example.com/path", "crm.example.com"));
  EXPECT_FALSE(origin_matches_host("https://crm.example.com", ""));
}

}  // namespace
}  // namespace crmd::net
