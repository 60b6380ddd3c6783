#include "app/session_guard.hpp"

#include "auth/session_cookie.hpp"
#include "auth/session_token.hpp"
#include "storage/pg_pool.hpp"

#include <openssl/crypto.h>

#include <variant>

namespace crmd::app {

namespace {

struct unauthenticated {};
struct unavailable {};
using lookup_outcome = std::variant<principal, unauthenticated, unavailable>;

// One prepared statement: the session's user, expiry slid at most once a minute.
void lookup(storage::pg_pool& pool, const session_settings& settings,
            const net::http_request& request, std::function<void(lookup_outcome)> done) {
  auto token = session_token_of(request);
  if (!token) {
    done(unauthenticated{});
    return;
  }
  auto idle = std::chrono::duration_cast<std::chrono::seconds>(settings.idle_ttl).count();
  auto max = std::chrono::duration_cast<std::chrono::seconds>(settings.max_age).count();
  pool.execute({storage::statement::named(
                 "session_lookup",
                 {auth::token_hash_hex(*token), std::to_string(idle), std::to_string(max)})},
               [done = std::move(done)](storage::pg_outcome outcome) {
                 if (!outcome.ok()) {
                   done(unavailable{});
                   return;
                 }
                 const auto& rows = outcome.results[0].rows;
                 if (rows.empty()) {
                   done(unauthenticated{});
                   return;
                 }
                 const auto& row = rows[0];
                 done(principal{.user_id = std::stoll(row[0].value_or("0")),
                                .role = row[1].value_or(""),
                                .email = row[2].value_or(""),
                                .csrf_token = row[3].value_or("")});
               });
}

bool changes_state(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// Constant time, so response timing does not reveal how much of a guess was right.
bool csrf_matches(const net::http_request& request, const std::string& expected) {
  auto sent = request.header("x-csrf-token");
  return sent && !expected.empty() && sent->size() == expected.size()
         && CRYPTO_memcmp(sent->data(), expected.data(), expected.size()) == 0;
}

}  // namespace

session_guard::session_guard(storage::pg_pool& pool, session_settings settings)
  : pool_(pool), settings_(settings) {}

net::handler session_guard::protect(authed_handler h, access level) const {
  return [&pool = pool_, settings = settings_, h = std::move(h), level](
           net::http_request&& request, net::responder respond) {
    auto held = std::make_shared<net::http_request>(std::move(request));
    lookup(pool, settings, *held, [held, h, level, respond](lookup_outcome outcome) {
      if (std::holds_alternative<unavailable>(outcome)) {
        respond(net::error_response(503, "database_unavailable", "PostgreSQL did not answer"));
        return;
      }
      if (std::holds_alternative<unauthenticated>(outcome)) {
        respond(net::error_response(401, "unauthenticated", "log in first"));
        return;
      }
      auto& user = std::get<principal>(outcome);
      if (changes_state(held->method) && !csrf_matches(*held, user.csrf_token)) {
        respond(net::error_response(403, "csrf_failed",
                                    "the X-CSRF-Token header must carry the session's token"));
        return;
      }
      if (level == access::owner_only && user.role != "owner") {
        respond(net::error_response(403, "forbidden", "only an owner may do this"));
        return;
      }
      h(std::move(*held), std::move(user), respond);
    });
  };
}

void session_guard::authenticate(const net::http_request& request,
                                 std::function<void(std::optional<principal>)> done) const {
  lookup(pool_, settings_, request, [done = std::move(done)](lookup_outcome outcome) {
    if (auto* user = std::get_if<principal>(&outcome))
      done(std::move(*user));
    else
      done(std::nullopt);
  });
}

std::optional<std::string> session_token_of(const net::http_request& request) {
  auto header = request.header("cookie");
  if (!header)
    return std::nullopt;
  auto value = auth::cookie_value(*header, auth::session_cookie_name);
  if (!value || !auth::is_well_formed_token(*value))
    return std::nullopt;
  return std::string(*value);
}

}  // namespace crmd::app
