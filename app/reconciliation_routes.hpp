#pragma once

#include "app/session_guard.hpp"
#include "net/router.hpp"
#include "storage/pg_types.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <variant>

namespace caf {
class actor_system;
}
namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

struct reconciliation_started {
  std::int64_t id = 0;
  bool created = false;  // false: one was already pending or running, and is the one returned
  nlohmann::json reconciliation;  // as the API shows it
};

// Creates a reconciliation (trigger: schedule, api, cli), or finds the unfinished one (one at a
// time), and has the reconciler run it. `done` runs on a pool (io) thread.
void start_reconciliation(
  storage::pg_pool& pool, caf::actor_system& actors, const std::string& trigger,
  std::function<void(std::variant<reconciliation_started, storage::pg_error>)> done);

// A reconciliation row's JSON (reconciliation_json, V017) with its report in the full pinned
// shape: a pending run's empty report reads as zeros.
nlohmann::json reconciliation_view(const std::string& text);

// POST /api/v1/reconciliations (owners only), GET /api/v1/reconciliations?limit= (newest
// first) and GET /api/v1/reconciliations/{id}.
void add_reconciliation_routes(net::router& routes, caf::actor_system& actors,
                               storage::pg_pool& pool, const session_guard& guard);

}  // namespace crmd::app
