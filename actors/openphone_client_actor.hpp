#pragma once

#include "actors/openphone_client_types.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <string>

namespace prometheus {
class Registry;
}

namespace crmd {

struct openphone_client_config {
  std::string base_url;  // e.g. https://api.openphone.com
  std::string api_key;   // sent raw in Authorization; never logged
  double rate_per_second = 10;
  double burst = 1;  // 1: calls are paced evenly, so the provider's own bucket never overflows
  std::chrono::milliseconds timeout{15000};  // per attempt
  int max_attempts = 8;
  std::chrono::milliseconds backoff_min{500}, backoff_max{30000};
  int breaker_failures = 5;
  std::chrono::milliseconds breaker_cooldown{30000};
};

// The one actor through which everything in crmd calls OpenPhone's REST API. It owns the HTTP
// client, a token bucket every caller shares (FIFO queue, served as tokens come), the circuit
// breaker and the retry schedule (delayed messages, never sleeps). A request is answered with a
// provider_response (2xx or 404) or a provider_failure once it succeeded, failed for good,
// exhausted its attempts or met an open breaker. Retried: 429, 500, 502, 503, 504, timeouts and
// broken connections, not before a Retry-After; POST/PATCH only when the server surely did not
// act (429, no connection), since OpenPhone has no idempotency keys. An exit message fails
// every pending request with "shutdown" and stops the HTTP client. Metrics: crmd_provider_*
// with provider="openphone".
openphone_client_actor spawn_openphone_client(caf::actor_system& system,
                                              openphone_client_config config,
                                              prometheus::Registry& registry);

}  // namespace crmd
