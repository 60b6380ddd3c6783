#pragma once

#include "app/session_guard.hpp"
#include "auth/login_throttle.hpp"
#include "net/router.hpp"

#include <chrono>

namespace caf {
class actor_system;
}
namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

struct auth_routes_options {
  session_settings session;
  auth::throttle_limits throttle;
  std::chrono::milliseconds verify_timeout{20000};  // queueing at the password actor included
};

// POST /api/v1/auth/login {"email","password"} → 200 {"user","csrf_token"} + the session cookie;
// 400 invalid_body, 401 invalid_credentials (unknown email and wrong password alike, at the same
// cost), 429 too_many_attempts with Retry-After (checked before the password).
// POST /api/v1/auth/logout → 204, the session row deleted and the cookie cleared.
// GET /api/v1/auth/session → 200 {"user","csrf_token"}.
// Every attempt is recorded in login_attempts; passwords are verified by the password actor.
void add_auth_routes(net::router& routes, caf::actor_system& actors, storage::pg_pool& pool,
                     const session_guard& guard, auth_routes_options options);

}  // namespace crmd::app
