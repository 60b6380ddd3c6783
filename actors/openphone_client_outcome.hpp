#pragma once

#include "actors/openphone_client_types.hpp"
#include "integrations/http/http_types.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace crmd {

// What one attempt's transport result means to the client actor. Pure: the actor applies it
// to its breaker, bucket and retry schedule.
struct attempt_outcome {
  enum class kind { answered, failed, retryable };

  kind what = kind::failed;
  std::string status_label;  // metric label: "200", "429", "timeout", …
  bool provider_up = false;  // the breaker's view: the provider answered like a healthy service
  std::optional<provider_response> response;  // answered
  provider_failure failure;                   // failed / retryable: code, message and status
  std::optional<std::chrono::milliseconds> retry_after;  // what the server asked for, if any
};

// `idempotent` decides whether an ambiguous failure (5xx, timeout, broken connection) may be
// repeated; `now` reads Retry-After's HTTP-date form.
attempt_outcome classify_attempt(const http::http_result& result, bool idempotent,
                                 std::chrono::system_clock::time_point now);

bool is_idempotent(const std::string& method);

}  // namespace crmd
