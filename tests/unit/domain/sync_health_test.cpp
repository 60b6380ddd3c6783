#include "domain/sync_health.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using crmd::domain::circuit_state;
using crmd::domain::judge_sync;
using crmd::domain::sync_facts;

namespace {

const auto now = std::chrono::system_clock::time_point(1'800'000'000s);

sync_facts recent() {
  return {.last_webhook_at = now - 5min};
}

}  // namespace

TEST(SyncHealth, GreenWhenRecentAndNothingFailed) {
  EXPECT_EQ(judge_sync(recent(), now, 360min).status, "green");
}

TEST(SyncHealth, DeadEventsAndAnOpenCircuitAreRed) {
  auto dead = recent();
  dead.dead_events = 2;
  dead.failed_events = 5;
  auto verdict = judge_sync(dead, now, 360min);
  EXPECT_EQ(verdict.status, "red");
  EXPECT_NE(verdict.reason.find("2 webhook events"), std::string::npos);
  auto open = recent();
  open.circuit = circuit_state::open;
  EXPECT_EQ(judge_sync(open, now, 360min).status, "red");
}

TEST(SyncHealth, RetryingOrRecoveringIsAmber) {
  auto failed = recent();
  failed.failed_events = 1;
  EXPECT_EQ(judge_sync(failed, now, 360min).status, "amber");
  EXPECT_NE(judge_sync(failed, now, 360min).reason.find("1 webhook event failed"), std::string::npos);
  auto probing = recent();
  probing.circuit = circuit_state::half_open;
  EXPECT_EQ(judge_sync(probing, now, 360min).status, "amber");
}

TEST(SyncHealth, SilenceBeyondTheLimitIsAmber) {
  sync_facts quiet{.last_webhook_at = now - 7h - 5min};
  auto verdict = judge_sync(quiet, now, 360min);
  EXPECT_EQ(verdict.status, "amber");
  EXPECT_NE(verdict.reason.find("7 h 5 min"), std::string::npos);
  EXPECT_EQ(judge_sync(sync_facts{}, now, 360min).status, "amber");
  EXPECT_EQ(judge_sync({.last_webhook_at = now - 6h}, now, 360min).status, "green");
}
