#include "domain/backoff.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

using namespace std::chrono_literals;

TEST(Backoff, DoublesFromTheMinimumAndCapsAtTheMaximum) {
  EXPECT_EQ(exponential_delay(1, 200ms, 30s), 200ms);
  EXPECT_EQ(exponential_delay(2, 200ms, 30s), 400ms);
  EXPECT_EQ(exponential_delay(5, 200ms, 30s), 3200ms);
  EXPECT_EQ(exponential_delay(40, 200ms, 30s), 30s);
  EXPECT_EQ(exponential_delay(0, 200ms, 30s), 200ms);
}

TEST(Backoff, FullJitterStaysWithinTheExponentialCap) {
  EXPECT_EQ(full_jitter_delay(3, 100ms, 10s, 0.0), 0ms);
  EXPECT_EQ(full_jitter_delay(3, 100ms, 10s, 0.5), 200ms);
  EXPECT_EQ(full_jitter_delay(3, 100ms, 10s, 1.0), 400ms);
  EXPECT_EQ(full_jitter_delay(3, 100ms, 10s, 7.0), 400ms);
}

TEST(Backoff, StableRunResetsTheFailureCount) {
  EXPECT_EQ(failures_after_crash(4, 59s, 60s), 5);
  EXPECT_EQ(failures_after_crash(4, 60s, 60s), 1);
  EXPECT_EQ(failures_after_crash(0, 1ms, 60s), 1);
}

}  // namespace
}  // namespace crmd::domain
