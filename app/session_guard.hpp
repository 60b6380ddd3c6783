#pragma once

#include "net/router.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace crmd::storage {
class pg_pool;
}

namespace crmd::app {

// How long a session lives (CRM_SESSION_TTL_HOURS, CRM_SESSION_MAX_DAYS) and how its cookie is
// marked (CRM_COOKIE_SECURE).
struct session_settings {
  std::chrono::hours idle_ttl{168};  // sliding: extended by use, at most once a minute
  std::chrono::days max_age{30};     // absolute, from login
  bool cookie_secure = false;
};

// The logged-in user a request runs for.
struct principal {
  std::int64_t user_id = 0;
  std::string role;  // "owner" or "staff"
  std::string email;
  std::string csrf_token;
};

enum class access { any_user, owner_only };

using authed_handler = std::function<void(net::http_request&&, principal, net::responder)>;

// Puts routes behind login: the crm_session cookie names a session in user_sessions (one
// prepared query per request, which also slides its expiry).
class session_guard {
 public:
  session_guard(storage::pg_pool& pool, session_settings settings);

  // 401 unauthenticated without a valid session; 403 csrf_failed on POST/PUT/PATCH/DELETE
  // without a matching X-CSRF-Token; 403 forbidden when `level` is owner_only and the user is
  // staff; 503 database_unavailable when PostgreSQL does not answer; otherwise calls h. The
  // returned handler uses the pool, not the guard, so it may outlive the guard but not the pool.
  net::handler protect(authed_handler h, access level = access::any_user) const;

  // For the WebSocket upgrade (no CSRF: it is a GET; the origin check is done elsewhere). `done`
  // runs once, on a pool (io) thread or at once; nullopt also when PostgreSQL did not answer.
  void authenticate(const net::http_request& request,
                    std::function<void(std::optional<principal>)> done) const;

 private:
  storage::pg_pool& pool_;
  session_settings settings_;
};

// The token of the request's crm_session cookie, when it is one we could have issued.
std::optional<std::string> session_token_of(const net::http_request& request);

}  // namespace crmd::app
