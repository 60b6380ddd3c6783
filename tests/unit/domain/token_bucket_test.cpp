#include "domain/token_bucket.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

using namespace std::chrono_literals;

const token_bucket::time_point start = token_bucket::time_point{} + 1000s;

TEST(TokenBucket, BurstOfOnePacesCallsEvenlyAtTheRate) {
  token_bucket bucket(10, 1);
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_EQ(bucket.wait_time(start), 100ms);
  EXPECT_FALSE(bucket.try_take(start + 99ms));
  EXPECT_EQ(bucket.wait_time(start + 99ms), 1ms);
  EXPECT_TRUE(bucket.try_take(start + 100ms));
  EXPECT_EQ(bucket.wait_time(start + 100ms), 100ms);
}

TEST(TokenBucket, WaitingExactlyTheAnnouncedTimeAlwaysSucceeds) {
  token_bucket bucket(3, 1);  // 333.333… ms per token: no drift from rounding
  auto now = start;
  for (int i = 0; i < 1000; ++i) {
    now += bucket.wait_time(now);
    ASSERT_TRUE(bucket.try_take(now)) << i;
  }
  EXPECT_LE(now - start, 333334us * 999);
}

TEST(TokenBucket, BurstAllowsThatManyAtOnceThenPaces) {
  token_bucket bucket(10, 3);
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_TRUE(bucket.try_take(start));
  EXPECT_FALSE(bucket.try_take(start));
  EXPECT_EQ(bucket.wait_time(start), 100ms);
}

TEST(TokenBucket, IdleTimeRefillsOnlyUpToTheBurst) {
  token_bucket bucket(10, 2);
  EXPECT_TRUE(bucket.try_take(start));
  auto later = start + 1h;
  EXPECT_TRUE(bucket.try_take(later));
  EXPECT_TRUE(bucket.try_take(later));
  EXPECT_FALSE(bucket.try_take(later));
}

TEST(TokenBucket, FailedTakeConsumesNothing) {
  token_bucket bucket(10, 1);
  ASSERT_TRUE(bucket.try_take(start));
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(bucket.try_take(start + 50ms));
  EXPECT_TRUE(bucket.try_take(start + 100ms));
}

TEST(TokenBucket, DeferHoldsEveryTokenBackUntilTheGivenTime) {
  token_bucket bucket(10, 5);
  bucket.defer_until(start + 2s);
  EXPECT_EQ(bucket.wait_time(start), 2s);
  EXPECT_FALSE(bucket.try_take(start + 1999ms));
  EXPECT_TRUE(bucket.try_take(start + 2s));
  // A deferral earlier than what is already owed changes nothing.
  bucket.defer_until(start);
  EXPECT_GT(bucket.wait_time(start + 2s), 0ms);
}

TEST(TokenBucket, NonsenseSettingsStillLimit) {
  token_bucket zero_rate(0, 0);
  EXPECT_TRUE(zero_rate.try_take(start));
  EXPECT_EQ(zero_rate.wait_time(start), 1h);
  token_bucket negative(-5, -1);
  EXPECT_TRUE(negative.try_take(start));
  EXPECT_FALSE(negative.try_take(start + 1s));
}

}  // namespace
}  // namespace crmd::domain
