#include "domain/reconcile_report.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

using nlohmann::json;

import_progress progress_with(std::int64_t messages, std::int64_t calls, std::int64_t requests) {
  import_progress progress;
  progress.resources["messages"].fetched = messages;
  progress.resources["calls"].fetched = calls;
  progress.resources["recordings"].fetched = 99;  // details are not "checked" items
  progress.requests = requests;
  return progress;
}

TEST(ReconcileReport, ChecksFoundAndFixedFromTheRunsInputs) {
  auto report = make_reconcile_report(progress_with(1000, 200, 37), {10, 2},
                                      {.redriven = 5, .processed = 4, .still_failing = 3});
  EXPECT_EQ(report.checked.messages, 1000);
  EXPECT_EQ(report.checked.calls, 200);
  EXPECT_EQ(report.missing_found.messages, 10);
  EXPECT_EQ(report.missing_found.calls, 2);
  EXPECT_EQ(report.fixed.messages, 10);
  EXPECT_EQ(report.fixed.calls, 2);
  EXPECT_EQ(report.fixed_webhook_events, 4);
  EXPECT_EQ(report.still_failing_webhook_events, 3);
  EXPECT_EQ(report.requests, 37);
  EXPECT_TRUE(found_problems(report));
}

TEST(ReconcileReport, ACleanRunHasNoProblems) {
  auto report = make_reconcile_report(progress_with(5, 1, 3), {}, {});
  EXPECT_FALSE(found_problems(report));
  report.still_failing_webhook_events = 1;
  EXPECT_TRUE(found_problems(report));
}

TEST(ReconcileReport, JsonHasThePinnedShapeAndRoundTrips) {
  auto report = make_reconcile_report(progress_with(7, 3, 11), {2, 1},
                                      {.redriven = 1, .processed = 1, .still_failing = 0});
  report.phone_numbers = json::array(
    {{{"phone_number", "+15550000001"}, {"since", "a"}, {"through", "b"}}});
  auto value = to_json(report);
  EXPECT_EQ(value, json::parse(R"({"checked":{"messages":7,"calls":3},
    "missing_found":{"messages":2,"calls":1},"fixed":{"messages":2,"calls":1,"webhook_events":1},
    "still_failing":{"webhook_events":0},"requests":11,
    "phone_numbers":[{"phone_number":"+15550000001","since":"a","through":"b"}]})"));
  EXPECT_EQ(to_json(reconcile_report_from_json(value)), value);
}

TEST(ReconcileReport, ReadsAnEmptyOrBrokenReportAsZeros) {
  auto zero = to_json(reconcile_report{});
  EXPECT_EQ(to_json(reconcile_report_from_json(json::object())), zero);
  EXPECT_EQ(to_json(reconcile_report_from_json(json("x"))), zero);
  EXPECT_EQ(to_json(reconcile_report_from_json(
              json{{"checked", {{"messages", "7"}}}, {"phone_numbers", 3}})),
            zero);
}

}  // namespace
}  // namespace crmd::domain
