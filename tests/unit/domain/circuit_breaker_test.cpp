#include "domain/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

using namespace std::chrono_literals;
using state = circuit_breaker::state;

const circuit_breaker::time_point start = circuit_breaker::time_point{} + 1000s;

circuit_breaker opened_at(circuit_breaker::time_point when) {
  circuit_breaker breaker(3, 30s);
  for (int i = 0; i < 3; ++i)
    breaker.record_failure(when);
  return breaker;
}

TEST(CircuitBreaker, OpensAfterTheThresholdOfConsecutiveFailures) {
  circuit_breaker breaker(3, 30s);
  breaker.record_failure(start);
  breaker.record_failure(start);
  EXPECT_EQ(breaker.current(start), state::closed);
  EXPECT_TRUE(breaker.allow(start));
  breaker.record_failure(start);
  EXPECT_EQ(breaker.current(start), state::open);
  EXPECT_FALSE(breaker.allow(start + 29s));
}

TEST(CircuitBreaker, ASuccessResetsTheCount) {
  circuit_breaker breaker(3, 30s);
  breaker.record_failure(start);
  breaker.record_failure(start);
  breaker.record_success();
  breaker.record_failure(start);
  breaker.record_failure(start);
  EXPECT_EQ(breaker.current(start), state::closed);
}

TEST(CircuitBreaker, HalfOpenAfterTheCooldownAllowsExactlyOneProbe) {
  auto breaker = opened_at(start);
  EXPECT_EQ(breaker.current(start + 30s), state::half_open);
  EXPECT_TRUE(breaker.allow(start + 30s));
  EXPECT_FALSE(breaker.allow(start + 30s));
  EXPECT_FALSE(breaker.allow(start + 31s));
}

TEST(CircuitBreaker, ProbeSuccessCloses) {
  auto breaker = opened_at(start);
  ASSERT_TRUE(breaker.allow(start + 30s));
  breaker.record_success();
  EXPECT_EQ(breaker.current(start + 30s), state::closed);
  EXPECT_TRUE(breaker.allow(start + 30s));
  EXPECT_TRUE(breaker.allow(start + 30s));
}

TEST(CircuitBreaker, ProbeFailureReopensForAnotherCooldown) {
  auto breaker = opened_at(start);
  ASSERT_TRUE(breaker.allow(start + 30s));
  breaker.record_failure(start + 31s);
  EXPECT_EQ(breaker.current(start + 31s), state::open);
  EXPECT_EQ(breaker.current(start + 60s), state::open);
  EXPECT_EQ(breaker.current(start + 61s), state::half_open);
}

TEST(CircuitBreaker, LateFailuresOfOlderCallsDoNotExtendTheCooldown) {
  auto breaker = opened_at(start);
  breaker.record_failure(start + 20s);
  EXPECT_EQ(breaker.current(start + 30s), state::half_open);
  // Half-open with no probe out: a late failure is not the probe's.
  breaker.record_failure(start + 30s);
  EXPECT_TRUE(breaker.allow(start + 30s));
}

TEST(CircuitBreaker, ThresholdBelowOneActsAsOne) {
  circuit_breaker breaker(0, 1s);
  breaker.record_failure(start);
  EXPECT_EQ(breaker.current(start), state::open);
}

}  // namespace
}  // namespace crmd::domain
