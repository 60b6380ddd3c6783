#pragma once

#include "app/our_numbers.hpp"
#include "integrations/openphone/signature.hpp"
#include "net/router.hpp"

#include <chrono>
#include <cstddef>

namespace caf {
class actor_system;
}

namespace crmd {
struct webhook_metrics;
}

namespace crmd::app {

struct webhook_route_settings {
  integrations::openphone::signing_keys keys;
  std::chrono::seconds tolerance{300};
  std::size_t body_limit = 256 * 1024;
  const our_numbers* ours = nullptr;  // owned by the application, which outlives the routes
};

// POST /webhooks/openphone: verify, parse, and hand the delivery to the intake actor; the
// response is sent only once the intake has committed it (or failed to).
void add_webhook_routes(net::router& routes, caf::actor_system& actors,
                        webhook_route_settings settings, webhook_metrics& metrics);

}  // namespace crmd::app
