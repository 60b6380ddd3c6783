#include "tools/openphone-emulator/options.hpp"

#include <gtest/gtest.h>

namespace crmd::openphone_emulator {
namespace {

TEST(EmulatorServeOptions, ReadsEveryServeFlag) {
  auto o = parse_options({"--serve", "--api-key", "k", "--listen", "0.0.0.0:8099", "--threads=3",
                          "--numbers", "2", "--users", "4", "--contacts", "10", "--conversations",
                          "20", "--messages", "30", "--calls", "40", "--rate-limit", "0",
                          "--fail-rate", "0.25", "--slow-rate", "0.5", "--slow-ms", "100",
                          "--drop-rate=0.25", "--seed", "9"});
  EXPECT_TRUE(o.serve);
  EXPECT_EQ(o.rest.api_key, "k");
  EXPECT_EQ(o.rest.host, "0.0.0.0");
  EXPECT_EQ(o.rest.port, 8099);
  EXPECT_EQ(o.rest.threads, 3);
  EXPECT_EQ(o.rest.numbers, 2u);
  EXPECT_EQ(o.rest.users, 4u);
  EXPECT_EQ(o.rest.contacts, 10u);
  EXPECT_EQ(o.rest.conversations, 20u);
  EXPECT_EQ(o.rest.messages, 30u);
  EXPECT_EQ(o.rest.calls, 40u);
  EXPECT_EQ(o.rest.rate_limit, 0);
  EXPECT_DOUBLE_EQ(o.rest.fail_rate, 0.25);
  EXPECT_DOUBLE_EQ(o.rest.slow_rate, 0.5);
  EXPECT_EQ(o.rest.slow_ms, 100);
  EXPECT_DOUBLE_EQ(o.rest.drop_rate, 0.25);
  EXPECT_EQ(o.seed, 9u);
}

TEST(EmulatorServeOptions, DefaultsFollowTheBrief) {
  auto o = parse_options({"--serve", "--api-key", "k"});
  EXPECT_EQ(o.rest.host, "127.0.0.1");
  EXPECT_EQ(o.rest.port, 0);
  EXPECT_EQ(o.rest.threads, 1);
  EXPECT_EQ(o.rest.numbers, 3u);
  EXPECT_EQ(o.rest.users, 5u);
  EXPECT_EQ(o.rest.contacts, 1000u);
  EXPECT_EQ(o.rest.conversations, 3000u);
  EXPECT_EQ(o.rest.messages, 100000u);
  EXPECT_EQ(o.rest.calls, 20000u);
  EXPECT_EQ(o.rest.rate_limit, 10);
  EXPECT_EQ(o.rest.slow_ms, 15000);
  EXPECT_EQ(o.rest.fail_rate + o.rest.slow_rate + o.rest.drop_rate, 0);
  EXPECT_EQ(o.rest.api_key, "k");
  EXPECT_FALSE(parse_options({}).serve) << "the webhook modes stay the default";
}

TEST(EmulatorServeOptions, RefusesBadCombinations) {
  EXPECT_THROW(parse_options({"--serve"}), std::invalid_argument) << "no key";
  EXPECT_THROW(parse_options({"--serve", "--api-key", ""}), std::invalid_argument);
  EXPECT_THROW(parse_options({"--serve", "--api-key", "k", "--load"}), std::invalid_argument);
  EXPECT_THROW(parse_options({"--serve", "--api-key", "k", "--fail-rate", "0.6", "--drop-rate",
                              "0.5"}),
               std::invalid_argument);
  EXPECT_THROW(parse_options({"--serve", "--api-key", "k", "--fail-rate", "1.5"}),
               std::invalid_argument);
  EXPECT_THROW(parse_options({"--serve", "--api-key", "k", "--slow-rate", "x"}),
               std::invalid_argument);
  EXPECT_THROW(parse_options({"--serve", "--api-key", "k", "--listen", "8080"}),
               std::invalid_argument);
  EXPECT_THROW(parse_options({"--serve", "--api-key", "k", "--listen", "h:99999"}),
               std::invalid_argument);
  auto v6 = parse_options({"--serve", "--api-key", "k", "--listen", "[::1]:80"});
  EXPECT_EQ(v6.rest.host, "::1");
}

}  // namespace
}  // namespace crmd::openphone_emulator
