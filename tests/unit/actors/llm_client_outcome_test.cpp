#include "actors/llm_client_outcome.hpp"

#include <gtest/gtest.h>

namespace crmd {
namespace {

using kind = llm_attempt_outcome::kind;
using namespace std::chrono_literals;

const auto now = std::chrono::system_clock::now();

http::http_result response(int status, std::string body, http::header_list headers = {}) {
  return http::http_response{status, std::move(headers), std::move(body)};
}

const std::string positive = R"({"choices":[{"message":{"content":)"
                             R"("{\"classification\":\"positive\",\"reason\":\"wants a call\"}"},)"
                             R"("finish_reason":"stop"}]})";

TEST(LlmAttemptOutcome, A2xxWithAClassificationIsClassified) {
  auto outcome = judge_llm_attempt(response(200, positive), now);
  EXPECT_EQ(outcome.what, kind::classified);
  EXPECT_EQ(outcome.status_label, "200");
  ASSERT_TRUE(outcome.result.has_value());
  EXPECT_EQ(outcome.result->what, integrations::llm::verdict::positive);
  EXPECT_EQ(outcome.result->reason, "wants a call");
}

TEST(LlmAttemptOutcome, A2xxWithoutAClassificationFailsAtOnce) {
  auto outcome = judge_llm_attempt(response(200, R"({"choices":[]})"), now);
  EXPECT_EQ(outcome.what, kind::failed);
  EXPECT_EQ(outcome.code, "bad_response");
  EXPECT_NE(outcome.message.find("no_choices"), std::string::npos) << outcome.message;
}

TEST(LlmAttemptOutcome, RateLimitsAndServerErrorsAreRetryable) {
  auto limited = judge_llm_attempt(
    response(429, R"({"error":{"message":"slow down","type":"requests"}})", {{"retry-after", "3"}}),
    now);
  EXPECT_EQ(limited.what, kind::retryable);
  EXPECT_EQ(limited.code, "http_429");
  EXPECT_EQ(limited.retry_after, 3000ms);
  EXPECT_NE(limited.message.find("slow down"), std::string::npos) << limited.message;
  for (int status : {408, 500, 501, 502, 503, 504, 529})
    EXPECT_EQ(judge_llm_attempt(response(status, ""), now).what, kind::retryable) << status;
}

TEST(LlmAttemptOutcome, OtherClientErrorsFailAtOnce) {
  for (int status : {400, 401, 403, 404, 422}) {
    auto outcome = judge_llm_attempt(response(status, R"({"error":{"message":"no"}})"), now);
    EXPECT_EQ(outcome.what, kind::failed) << status;
    EXPECT_EQ(outcome.code, "http_" + std::to_string(status));
  }
}

TEST(LlmAttemptOutcome, BrokenTransportsAreRetryableOthersAreNot) {
  using http::transport_error;
  for (auto code : {transport_error::timeout, transport_error::connect_failed,
                    transport_error::connection_closed, transport_error::resolve_failed}) {
    auto outcome = judge_llm_attempt(http::http_failure{code, "boom"}, now);
    EXPECT_EQ(outcome.what, kind::retryable) << http::to_string(code);
    EXPECT_EQ(outcome.status_label, http::to_string(code));
  }
  for (auto code : {transport_error::tls_failed, transport_error::body_too_large,
                    transport_error::invalid_request, transport_error::stopped})
    EXPECT_EQ(judge_llm_attempt(http::http_failure{code, "boom"}, now).what, kind::failed)
      << http::to_string(code);
}

}  // namespace
}  // namespace crmd
