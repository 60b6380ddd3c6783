#include "domain/sync_health.hpp"

#include <gtest/gtest.h>

using namespace std::chrono_literals;
using crmd::domain::circuit_state;
using crmd::domain::describe_duration;
using crmd::domain::import_facts;
using crmd::domain::judge_number;
using crmd::domain::judge_sync;
using crmd::domain::number_facts;
using crmd::domain::number_verdict;
using crmd::domain::overall_verdict;
using crmd::domain::reconcile_facts;
using crmd::domain::severity;
using crmd::domain::sync_facts;

namespace {

const auto now = std::chrono::system_clock::time_point(1'800'000'000s);
constexpr std::chrono::milliseconds quiet = 6h;

sync_facts recent() {
  return {.last_webhook_at = now - 5min, .silence = 5min};
}

bool says(const crmd::domain::sync_verdict& verdict, const std::string& words) {
  return verdict.reason.find(words) != std::string::npos;
}

}  // namespace

TEST(SyncHealth, GreenWhenRecentAndNothingFailed) {
  auto verdict = judge_sync(recent(), quiet);
  EXPECT_EQ(verdict.status, "green");
  EXPECT_EQ(verdict.reason, "in sync");
}

TEST(SyncHealth, DeadEventsAndAnOpenCircuitAreRed) {
  auto dead = recent();
  dead.dead_events = 2;
  dead.failed_events = 5;
  auto verdict = judge_sync(dead, quiet);
  EXPECT_EQ(verdict.status, "red");
  EXPECT_TRUE(says(verdict, "2 webhook events")) << verdict.reason;
  auto open = recent();
  open.circuit = circuit_state::open;
  EXPECT_EQ(judge_sync(open, quiet).status, "red");
  EXPECT_TRUE(says(judge_sync(open, quiet), "paused"));
}

TEST(SyncHealth, RetryingOrRecoveringIsAmber) {
  auto failed = recent();
  failed.failed_events = 1;
  EXPECT_EQ(judge_sync(failed, quiet).status, "amber");
  EXPECT_TRUE(says(judge_sync(failed, quiet), "1 webhook event failed"));
  auto probing = recent();
  probing.circuit = circuit_state::half_open;
  EXPECT_EQ(judge_sync(probing, quiet).status, "amber");
  EXPECT_TRUE(says(judge_sync(probing, quiet), "recovering"));
}

TEST(SyncHealth, ProviderErrorsAboveTheRatioAreAmberOnlyWithEnoughCalls) {
  auto failing = recent();
  failing.provider_calls = 8;
  failing.error_ratio = 0.5;
  auto verdict = judge_sync(failing, quiet);
  EXPECT_EQ(verdict.status, "amber");
  EXPECT_TRUE(says(verdict, "50% of calls")) << verdict.reason;
  failing.provider_calls = 4;
  EXPECT_EQ(judge_sync(failing, quiet).status, "green");
  failing.provider_calls = 100;
  failing.error_ratio = 0.2;
  EXPECT_EQ(judge_sync(failing, quiet).status, "green");
}

TEST(SyncHealth, AFailedImportIsAmber) {
  auto facts = recent();
  facts.import = import_facts{.id = 3, .status = "failed"};
  EXPECT_EQ(judge_sync(facts, quiet).status, "amber");
  EXPECT_TRUE(says(judge_sync(facts, quiet), "import #3 failed"));
  for (const char* fine : {"pending", "running", "paused", "completed"}) {
    facts.import->status = fine;
    EXPECT_EQ(judge_sync(facts, quiet).status, "green") << fine;
  }
}

TEST(SyncHealth, AFailedReconciliationOrOneThatFoundGapsIsAmber) {
  auto facts = recent();
  facts.reconcile = reconcile_facts{.id = 7, .status = "failed"};
  EXPECT_EQ(judge_sync(facts, quiet).status, "amber");
  EXPECT_TRUE(says(judge_sync(facts, quiet), "reconciliation #7 failed"));
  facts.reconcile = reconcile_facts{.id = 8, .status = "completed", .missing_found = 3};
  EXPECT_EQ(judge_sync(facts, quiet).status, "amber");
  EXPECT_TRUE(says(judge_sync(facts, quiet), "found 3 items webhooks had missed"));
  // The next clean run clears it.
  facts.reconcile = reconcile_facts{.id = 9, .status = "completed"};
  EXPECT_EQ(judge_sync(facts, quiet).status, "green");
}

TEST(SyncHealth, SilenceIsCountedInBusinessTime) {
  // Long ago by the clock, but only 7 h 5 min of it in business hours.
  sync_facts quiet_days{.last_webhook_at = now - 60h, .silence = 7h + 5min};
  auto verdict = judge_sync(quiet_days, quiet);
  EXPECT_EQ(verdict.status, "amber");
  EXPECT_TRUE(says(verdict, "7 h 5 min of business hours")) << verdict.reason;
  // A whole weekend away counts nothing.
  EXPECT_EQ(judge_sync({.last_webhook_at = now - 60h, .silence = 0s}, quiet).status, "green");
  EXPECT_EQ(judge_sync({.last_webhook_at = now - 6h, .silence = 6h}, quiet).status, "green");
  EXPECT_EQ(judge_sync(sync_facts{}, quiet).status, "amber");
  EXPECT_TRUE(says(judge_sync(sync_facts{}, quiet), "has arrived yet"));
}

TEST(SyncHealth, TheFirstFindingDecides) {
  auto facts = recent();
  facts.dead_events = 1;
  facts.circuit = circuit_state::half_open;
  facts.reconcile = reconcile_facts{.id = 1, .status = "failed"};
  EXPECT_TRUE(says(judge_sync(facts, quiet), "could not be applied"));
  facts.dead_events = 0;
  EXPECT_TRUE(says(judge_sync(facts, quiet), "recovering"));
}

TEST(SyncHealth, ANumberIsAmberWhenSilentOrNeverHeard) {
  number_facts heard{.phone_number = "+15085550199", .last_webhook_at = now - 1h, .silence = 1h};
  EXPECT_EQ(judge_number(heard, quiet).status, "green");
  heard.silence = 6h + 1s;
  EXPECT_EQ(judge_number(heard, quiet).status, "amber");
  EXPECT_TRUE(says(judge_number(heard, quiet), "6 h 0 min"));
  EXPECT_EQ(judge_number({.phone_number = "+15085550199"}, quiet).status, "amber");
  // A one-second limit (tests) turns it within seconds.
  EXPECT_EQ(judge_number({.phone_number = "+1", .last_webhook_at = now, .silence = 2s}, 1s).status,
            "amber");
}

TEST(SyncHealth, TheOverallVerdictIsTheWorstOfTheIntegrationAndItsNumbers) {
  crmd::domain::sync_verdict green{"green", "in sync"};
  std::vector<number_verdict> numbers{{"+15085550101", {"green", "in sync"}},
                                      {"+15085550102", {"amber", "no webhook for this number"}}};
  auto overall = overall_verdict(green, numbers);
  EXPECT_EQ(overall.status, "amber");
  EXPECT_EQ(overall.reason, "+15085550102: no webhook for this number");
  crmd::domain::sync_verdict red{"red", "1 webhook event could not be applied"};
  EXPECT_EQ(overall_verdict(red, numbers).reason, red.reason);
  crmd::domain::sync_verdict amber{"amber", "OpenPhone's API is recovering"};
  EXPECT_EQ(overall_verdict(amber, numbers).reason, amber.reason);
  EXPECT_EQ(overall_verdict(green, {}).status, "green");
}

TEST(SyncHealth, SeverityAndDurationsForGaugesAndReasons) {
  EXPECT_EQ(severity("green"), 0);
  EXPECT_EQ(severity("amber"), 1);
  EXPECT_EQ(severity("red"), 2);
  EXPECT_EQ(describe_duration(45s), "45 s");
  EXPECT_EQ(describe_duration(7h + 5min + 30s), "7 h 5 min");
}
