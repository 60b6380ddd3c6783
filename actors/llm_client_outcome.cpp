#include "actors/llm_client_outcome.hpp"

#include "domain/retry_schedule.hpp"
#include "integrations/llm/chat_response.hpp"

namespace crmd {

namespace {

using kind = llm_attempt_outcome::kind;

llm_attempt_outcome from_response(const http::http_response& response,
                                  std::chrono::system_clock::time_point now) {
  llm_attempt_outcome out;
  int status = response.status;
  out.status_label = std::to_string(status);
  if (status >= 200 && status < 300) {
    auto parsed = integrations::llm::parse_classify_response(response.body);
    if (auto* classified = std::get_if<integrations::llm::classification>(&parsed)) {
      out.what = kind::classified;
      out.result = std::move(*classified);
      return out;
    }
    const auto& error = std::get<integrations::llm::response_error>(parsed);
    out.what = kind::failed;
    out.code = "bad_response";
    out.message = error.code + ": " + error.message;
    return out;
  }
  out.code = "http_" + std::to_string(status);
  out.message = "the LLM API answered " + std::to_string(status);
  if (auto detail = integrations::llm::error_summary(response.body); !detail.empty())
    out.message += ": " + detail;
  if (auto header = response.header("retry-after"))
    out.retry_after = domain::parse_retry_after(*header, now);
  bool retry = status == 408 || status == 429 || status >= 500;
  out.what = retry ? kind::retryable : kind::failed;
  return out;
}

llm_attempt_outcome from_failure(const http::http_failure& failure) {
  llm_attempt_outcome out;
  out.code = std::string(http::to_string(failure.code));
  out.status_label = out.code;
  out.message = failure.message.empty() ? out.code : failure.message;
  out.what = domain::is_retryable_transport(out.code) ? kind::retryable : kind::failed;
  return out;
}

}  // namespace

llm_attempt_outcome judge_llm_attempt(const http::http_result& result,
                                      std::chrono::system_clock::time_point now) {
  if (const auto* response = std::get_if<http::http_response>(&result))
    return from_response(*response, now);
  return from_failure(std::get<http::http_failure>(result));
}

}  // namespace crmd
