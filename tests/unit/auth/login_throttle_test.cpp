#include "auth/login_throttle.hpp"

#include <gtest/gtest.h>

namespace crmd::auth {
namespace {

using std::chrono::seconds;

const throttle_limits limits{.per_account = 5, .per_address = 20, .window = seconds(900)};

TEST(LoginThrottle, AllowsBelowBothLimits) {
  auto decision = decide_login({4, seconds(100)}, {19, seconds(800)}, limits);
  EXPECT_TRUE(decision.allowed);
  EXPECT_EQ(decision.retry_after, seconds(0));
}

TEST(LoginThrottle, RefusesAtTheAccountLimitUntilItsOldestCountedFailureLeavesTheWindow) {
  auto decision = decide_login({5, seconds(300)}, {5, seconds(300)}, limits);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.retry_after, seconds(600));
}

TEST(LoginThrottle, RefusesAtTheAddressLimitAlone) {
  auto decision = decide_login({0, seconds(0)}, {20, seconds(890)}, limits);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.retry_after, seconds(10));
}

TEST(LoginThrottle, WaitsForTheLaterOfTwoExhaustedScopes) {
  auto decision = decide_login({5, seconds(800)}, {20, seconds(200)}, limits);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.retry_after, seconds(700));
}

TEST(LoginThrottle, RetryAfterIsAtLeastOneSecond) {
  auto decision = decide_login({5, seconds(900)}, {0, seconds(0)}, limits);
  EXPECT_FALSE(decision.allowed);
  EXPECT_EQ(decision.retry_after, seconds(1));
}

TEST(LoginThrottle, UsesTheLimitsItIsGiven) {
  throttle_limits strict{.per_account = 1, .per_address = 2, .window = seconds(60)};
  EXPECT_FALSE(decide_login({1, seconds(10)}, {1, seconds(10)}, strict).allowed);
  EXPECT_EQ(decide_login({0, seconds(0)}, {2, seconds(15)}, strict).retry_after, seconds(45));
  EXPECT_TRUE(decide_login({0, seconds(0)}, {1, seconds(15)}, strict).allowed);
}

}  // namespace
}  // namespace crmd::auth
