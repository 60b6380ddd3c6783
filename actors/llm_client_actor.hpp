#pragma once

#include "actors/llm_client_types.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <cstddef>
#include <string>

namespace prometheus {
class Registry;
}

namespace crmd {

struct llm_client_config {
  std::string base_url;  // CRM_LLM_API_URL, e.g. https://api.openai.com (target /v1/chat/…)
  std::string api_key;   // CRM_LLM_API_KEY, sent as "Authorization: Bearer"; never logged
  std::string model = "gpt-4o-mini";
  std::chrono::milliseconds timeout{10000};  // per attempt
  int max_attempts = 4;
  std::chrono::milliseconds backoff_min{500}, backoff_max{10000};
  // A Retry-After longer than this fails the call instead: the reply processor tries the reply
  // again later, rather than holding it for an hour.
  std::chrono::milliseconds max_retry_after{60000};
  std::size_t max_in_flight = 4;  // concurrent HTTP attempts
  std::size_t max_queued = 1000;  // calls waiting for a slot; beyond: failed "overloaded"
};

// The one actor through which crmd asks a language model (any OpenAI-compatible
// chat-completions API) to classify a reply to a campaign text. It owns an HTTP client, runs at
// most max_in_flight attempts at once (FIFO queue beyond), retries 408, 429, 5xx, timeouts and
// broken connections with full-jitter exponential backoff (delayed messages, never sleeps) and
// never before a Retry-After, which also holds back every other call (they share the key). An
// exit message fails every pending call with "shutdown" and stops the HTTP client. Metrics:
// crmd_llm_requests_total{status}, crmd_llm_request_duration_seconds, crmd_llm_retries_total,
// crmd_llm_classifications_total{result}.
llm_client_actor spawn_llm_client(caf::actor_system& system, llm_client_config config,
                                  prometheus::Registry& registry);

}  // namespace crmd
