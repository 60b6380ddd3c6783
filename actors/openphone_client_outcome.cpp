#include "actors/openphone_client_outcome.hpp"

#include "domain/retry_schedule.hpp"
#include "integrations/openphone/rest_envelope.hpp"

namespace crmd {

namespace {

attempt_outcome from_response(const http::http_response& response, bool idempotent,
                              std::chrono::system_clock::time_point now) {
  attempt_outcome out;
  int status = response.status;
  out.status_label = std::to_string(status);
  // A 5xx is the provider failing; anything else (4xx included, 429 too) is a healthy service
  // answering this particular request.
  out.provider_up = status < 500;
  if ((status >= 200 && status < 300) || status == 404) {
    out.what = attempt_outcome::kind::answered;
    out.response = provider_response{status, response.body};
    return out;
  }
  auto error = integrations::openphone::read_error(response.body);
  auto detail = error.summary();
  out.failure = {"http_" + std::to_string(status),
                 "OpenPhone answered " + std::to_string(status)
                   + (detail.empty() ? std::string() : ": " + detail),
                 status};
  if (auto header = response.header("retry-after"))
    out.retry_after = domain::parse_retry_after(*header, now);
  bool retry = domain::is_retryable_status(status)
               && domain::is_safe_to_repeat(idempotent, status, "");
  out.what = retry ? attempt_outcome::kind::retryable : attempt_outcome::kind::failed;
  return out;
}

attempt_outcome from_failure(const http::http_failure& failure, bool idempotent) {
  attempt_outcome out;
  std::string code(http::to_string(failure.code));
  out.status_label = code;
  // Oversized bodies and malformed requests are our side's problem, not the provider's health.
  out.provider_up = failure.code == http::transport_error::body_too_large
                    || failure.code == http::transport_error::invalid_request;
  out.failure = {code, failure.message, 0};
  bool retry = domain::is_retryable_transport(code)
               && domain::is_safe_to_repeat(idempotent, 0, code);
  out.what = retry ? attempt_outcome::kind::retryable : attempt_outcome::kind::failed;
  return out;
}

}  // namespace

attempt_outcome classify_attempt(const http::http_result& result, bool idempotent,
                                 std::chrono::system_clock::time_point now) {
  if (const auto* response = std::get_if<http::http_response>(&result))
    return from_response(*response, idempotent, now);
  return from_failure(std::get<http::http_failure>(result), idempotent);
}

bool is_idempotent(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE"
         || method == "OPTIONS";
}

}  // namespace crmd
