#pragma once

#include "net/router.hpp"

namespace crmd::observability {
class metrics;
}
namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

// The operational routes: /healthz (process alive), /readyz (database reachable and migrated)
// and /metrics (Prometheus text format).
void add_operational_routes(net::router& routes, storage::pg_pool& pool,
                            observability::metrics& metrics);

}  // namespace crmd::app
