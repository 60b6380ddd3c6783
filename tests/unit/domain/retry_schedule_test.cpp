#include "domain/retry_schedule.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

using namespace std::chrono_literals;
using std::chrono::system_clock;

// 1994-11-06T08:49:37Z, the RFC's example date.
const system_clock::time_point rfc_example = system_clock::time_point{} + 784111777s;

TEST(RetrySchedule, RetryableStatusesAreThrottlingAndTransientServerErrors) {
  for (int status : {429, 500, 502, 503, 504})
    EXPECT_TRUE(is_retryable_status(status)) << status;
  for (int status : {200, 400, 401, 402, 403, 404, 409, 422, 501, 505})
    EXPECT_FALSE(is_retryable_status(status)) << status;
}

TEST(RetrySchedule, RetryableTransportErrorsAreTimeoutsAndConnections) {
  for (auto code : {"timeout", "resolve_failed", "connect_failed", "connection_closed"})
    EXPECT_TRUE(is_retryable_transport(code)) << code;
  for (auto code : {"tls_failed", "body_too_large", "bad_response", "invalid_request", "stopped"})
    EXPECT_FALSE(is_retryable_transport(code)) << code;
}

TEST(RetrySchedule, NonIdempotentRequestsRepeatOnlyWhenSurelyNotActedOn) {
  EXPECT_TRUE(is_safe_to_repeat(false, 429, ""));
  EXPECT_TRUE(is_safe_to_repeat(false, 0, "connect_failed"));
  EXPECT_FALSE(is_safe_to_repeat(false, 503, ""));
  EXPECT_FALSE(is_safe_to_repeat(false, 0, "timeout"));
  EXPECT_FALSE(is_safe_to_repeat(false, 0, "connection_closed"));
  EXPECT_TRUE(is_safe_to_repeat(true, 503, ""));
  EXPECT_TRUE(is_safe_to_repeat(true, 0, "timeout"));
}

TEST(RetrySchedule, DelayIsFullJitterExponentialBackoff) {
  retry_policy policy{.max_attempts = 8, .backoff_min = 500ms, .backoff_max = 30s};
  EXPECT_EQ(retry_delay(policy, 1, std::nullopt, 0.5), 250ms);
  EXPECT_EQ(retry_delay(policy, 3, std::nullopt, 0.5), 1000ms);
  EXPECT_EQ(retry_delay(policy, 3, std::nullopt, 0.0), 0ms);
  EXPECT_EQ(retry_delay(policy, 7, std::nullopt, 0.999), 29970ms);
}

TEST(RetrySchedule, NeverShorterThanRetryAfter) {
  retry_policy policy{.max_attempts = 8, .backoff_min = 500ms, .backoff_max = 30s};
  EXPECT_EQ(retry_delay(policy, 1, 5s, 0.9), 5s);
  EXPECT_EQ(retry_delay(policy, 6, 1s, 1.0), 16s);
}

TEST(RetrySchedule, GivesUpAfterMaxAttempts) {
  retry_policy policy{.max_attempts = 3, .backoff_min = 10ms, .backoff_max = 1s};
  EXPECT_TRUE(retry_delay(policy, 2, std::nullopt, 0.5).has_value());
  EXPECT_FALSE(retry_delay(policy, 3, std::nullopt, 0.5).has_value());
  EXPECT_FALSE(retry_delay(policy, 3, 1s, 0.5).has_value());
  retry_policy once{.max_attempts = 1};
  EXPECT_FALSE(retry_delay(once, 1, std::nullopt, 0.5).has_value());
}

TEST(RetrySchedule, RetryAfterInSeconds) {
  EXPECT_EQ(parse_retry_after("120", rfc_example), 120s);
  EXPECT_EQ(parse_retry_after(" 0 ", rfc_example), 0s);
  EXPECT_EQ(parse_retry_after("99999999999999999999", rfc_example), std::chrono::hours(24 * 7));
  EXPECT_FALSE(parse_retry_after("-1", rfc_example));
  EXPECT_FALSE(parse_retry_after("1.5", rfc_example));
  EXPECT_FALSE(parse_retry_after("", rfc_example));
}

TEST(RetrySchedule, RetryAfterAsHttpDateInAllThreeForms) {
  auto now = rfc_example - 30s;
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 30s);
  EXPECT_EQ(parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", now), 30s);
  EXPECT_EQ(parse_retry_after("Sun Nov  6 08:49:37 1994", now), 30s);
}

TEST(RetrySchedule, RetryAfterDateNeverRetriesEarly) {
  // Half a second into the announced second's predecessor: wait the full second.
  auto now = rfc_example - 1s + 500ms;
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now), 1s);
}

TEST(RetrySchedule, RetryAfterDateInThePastIsZero) {
  EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", rfc_example + 1h), 0s);
}

TEST(RetrySchedule, FarFutureDatesAreClampedWithoutOverflow) {
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", rfc_example),
            std::chrono::hours(24 * 7));
}

TEST(RetrySchedule, MalformedDatesAreRejected) {
  for (auto text : {"Sun, 06 Nov 1994 08:49:37", "Sun, 31 Feb 1994 08:49:37 GMT",
                    "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                    "Sun, 06 Nov 1994 08:49 GMT", "tomorrow", "Sun, 06 Nov 1994 08:49:37 CET"})
    EXPECT_FALSE(parse_retry_after(text, rfc_example)) << text;
}

}  // namespace
}  // namespace crmd::domain
