#pragma once

#include "integrations/http/http_types.hpp"
#include "integrations/llm/classification.hpp"

#include <chrono>
#include <optional>
#include <string>

namespace crmd {

// What one attempt at a classification means to the LLM client. Pure: the actor applies it to
// its retry schedule and its callers.
struct llm_attempt_outcome {
  enum class kind { classified, failed, retryable };

  kind what = kind::failed;
  std::string status_label;  // metric label: "200", "429", "timeout", …
  std::optional<integrations::llm::classification> result;  // classified
  std::string code;     // failed / retryable: "http_401", "bad_response", "timeout", …
  std::string message;  // failed / retryable: for the caller and the log; never the key
  std::optional<std::chrono::milliseconds> retry_after;  // what the server asked for, if any
};

// Classification is idempotent (the same prompt may be asked twice at no harm but the cost), so
// every ambiguous failure is retryable: 408, 429, any 5xx, timeouts, refused and broken
// connections. Other 4xx and a 2xx without a readable classification fail at once: asking
// again would get the same answer. `now` reads Retry-After's HTTP-date form.
llm_attempt_outcome judge_llm_attempt(const http::http_result& result,
                                      std::chrono::system_clock::time_point now);

}  // namespace crmd
