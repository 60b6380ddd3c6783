#include "app/auth_routes.hpp"

#include "actors/password_actor.hpp"
#include "app/api_support.hpp"
#include "auth/password_hash.hpp"
#include "auth/password_policy.hpp"
#include "auth/session_cookie.hpp"
#include "auth/session_token.hpp"
#include "integrations/crypto/sha256.hpp"
#include "observability/log.hpp"
#include "storage/pg_pool.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <memory>
#include <variant>

namespace crmd::app {

namespace {

using nlohmann::json;

constexpr std::size_t max_email = 254;      // RFC 5321's longest path
constexpr std::size_t max_user_agent = 512;

struct credentials {
  std::string email;  // trimmed and lowered
  std::string password;
};

// A user who may log in, as login_account returns it.
struct account {
  std::int64_t id = 0;
  std::string encoded_hash;
  json user;
};

struct login_context {
  caf::actor_system& actors;
  storage::pg_pool& pool;
  std::shared_ptr<const auth_routes_options> options;
  credentials asked;
  std::string remote_address;
  std::string user_agent;
  net::responder respond;
};
using login_ptr = std::shared_ptr<login_context>;

std::string lowered_trimmed(std::string_view text) {
  auto first = text.find_first_not_of(" \t\r\n");
  auto last = text.find_last_not_of(" \t\r\n");
  std::string out(first == std::string_view::npos ? std::string_view{}
                                                  : text.substr(first, last - first + 1));
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::variant<credentials, std::string> parse_credentials(const std::string& body) {
  auto parsed = json::parse(body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object())
    return std::string("the body must be a JSON object");
  auto email = parsed.find("email");
  auto password = parsed.find("password");
  if (email == parsed.end() || !email->is_string() || password == parsed.end()
      || !password->is_string())
    return std::string("email and password must be strings");
  credentials asked{lowered_trimmed(email->get<std::string>()), password->get<std::string>()};
  if (asked.email.empty() || asked.email.size() > max_email || asked.password.empty()
      || asked.password.size() > auth::max_password_bytes)
    return std::string("email (up to 254 characters) and password (up to 1024) must not be empty");
  return asked;
}

json text_or_null(const storage::pg_result& result, const storage::pg_value* row,
                  const char* column) {
  const auto& value = row[result.column(column)];
  return value ? json(*value) : json();
}

// {"id","email","first_name","last_name","role"} from a row holding those columns.
json user_json(const storage::pg_result& result) {
  const auto* row = result.rows.at(0).data();
  return {{"id", std::stoll(row[result.column("id")].value_or("0"))},
          {"email", text_or_null(result, row, "email")},
          {"first_name", text_or_null(result, row, "first_name")},
          {"last_name", text_or_null(result, row, "last_name")},
          {"role", text_or_null(result, row, "role")}};
}

net::http_response private_json(unsigned status, const json& body) {
  auto response = net::json_response(status, body.dump());
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

// Logs identify an account by a prefix of its lowered email's SHA-256, never by the email.
std::string email_tag(const std::string& email) {
  return integrations::sha256_hex(email).substr(0, 16);
}

storage::statement record_attempt(const login_context& ctx, bool succeeded, bool throttled) {
  return storage::statement::named("record_login_attempt",
                                   {ctx.asked.email, ctx.remote_address,
                                    succeeded ? "true" : "false", throttled ? "true" : "false"});
}

void refuse(const login_ptr& ctx, std::chrono::seconds retry_after) {
  log::warn("auth", "login throttled",
            {{"email_sha256", email_tag(ctx->asked.email)},
             {"remote_address", ctx->remote_address},
             {"retry_after_s", retry_after.count()}});
  ctx->pool.execute({record_attempt(*ctx, false, true)}, [ctx, retry_after](storage::pg_outcome) {
    auto response = net::error_response(429, "too_many_attempts",
                                        "too many failed logins; try again later");
    response.headers.emplace_back("Retry-After", std::to_string(retry_after.count()));
    ctx->respond(std::move(response));
  });
}

// The failure is stored before the answer, so the next attempt already counts it.
void reject(const login_ptr& ctx) {
  log::warn("auth", "login failed",
            {{"email_sha256", email_tag(ctx->asked.email)},
             {"remote_address", ctx->remote_address}});
  ctx->pool.execute({record_attempt(*ctx, false, false)}, [ctx](storage::pg_outcome outcome) {
    ctx->respond(outcome.ok() ? net::error_response(401, "invalid_credentials",
                                                    "wrong email or password")
                              : database_unavailable());
  });
}

void open_session(const login_ptr& ctx, const account& user) {
  auto token = auth::new_token();
  auto csrf = auth::new_token();
  if (!token || !csrf) {
    ctx->respond(net::error_response(503, "random_unavailable", "no random bytes for a session"));
    return;
  }
  const auto& session = ctx->options->session;
  auto idle = std::chrono::duration_cast<std::chrono::seconds>(session.idle_ttl);
  auto max = std::chrono::duration_cast<std::chrono::seconds>(session.max_age);
  auto id = std::to_string(user.id);
  ctx->pool.execute(
    {record_attempt(*ctx, true, false), storage::statement::named("delete_expired_sessions", {id}),
     storage::statement::named("create_session",
                               {auth::token_hash_hex(*token), id, *csrf,
                                std::to_string(idle.count()), std::to_string(max.count()),
                                ctx->remote_address, ctx->user_agent})},
    [ctx, user, token = *token, csrf = *csrf, max](storage::pg_outcome outcome) {
      if (!outcome.ok()) {
        ctx->respond(database_unavailable());
        return;
      }
      log::info("auth", "login succeeded",
                {{"user_id", user.id}, {"remote_address", ctx->remote_address}});
      auto response = private_json(200, {{"user", user.user}, {"csrf_token", csrf}});
      response.headers.emplace_back(
        "Set-Cookie", auth::session_set_cookie(token, ctx->options->session.cookie_secure, max));
      ctx->respond(std::move(response));
    });
}

void on_verified(const login_ptr& ctx, const std::optional<account>& user,
                 std::optional<bool> matches) {
  if (!matches) {
    ctx->respond(net::error_response(503, "auth_unavailable", "passwords cannot be checked now"));
    return;
  }
  if (user && *matches)
    open_session(ctx, *user);
  else
    reject(ctx);
}

void on_checked(const login_ptr& ctx, const storage::pg_outcome& outcome) {
  if (!outcome.ok()) {
    ctx->respond(database_unavailable());
    return;
  }
  const auto& counts = outcome.results[0].rows.at(0);
  auto number = [&](std::size_t i) { return std::stoll(counts[i].value_or("0")); };
  auto decision = auth::decide_login(
    {static_cast<int>(number(0)), std::chrono::seconds(number(1))},
    {static_cast<int>(number(2)), std::chrono::seconds(number(3))}, ctx->options->throttle);
  if (!decision.allowed) {
    refuse(ctx, decision.retry_after);
    return;
  }
  std::optional<account> user;
  const auto& found = outcome.results[1];
  if (!found.rows.empty())
    user = account{std::stoll(found.rows[0][found.column("id")].value_or("0")),
                   found.rows[0][found.column("password_hash")].value_or(""), user_json(found)};
  // An unknown email costs one verification too, so timing does not tell which emails exist.
  auto encoded = user ? user->encoded_hash : auth::dummy_hash();
  verify_with_password_actor(ctx->actors, ctx->asked.password, std::move(encoded),
                             ctx->options->verify_timeout,
                             [ctx, user](std::optional<bool> matches) {
                               on_verified(ctx, user, matches);
                             });
}

void login(caf::actor_system& actors, storage::pg_pool& pool,
           std::shared_ptr<const auth_routes_options> options, const net::http_request& request,
           net::responder respond) {
  auto parsed = parse_credentials(request.body);
  if (auto* problem = std::get_if<std::string>(&parsed)) {
    respond(net::error_response(400, "invalid_body", *problem));
    return;
  }
  auto ctx = std::make_shared<login_context>(login_context{
    actors, pool, options, std::move(std::get<credentials>(parsed)), request.remote_address,
    std::string(request.header("user-agent").value_or("").substr(0, max_user_agent)),
    std::move(respond)});
  const auto& limits = ctx->options->throttle;
  pool.execute(
    {storage::statement::named("login_failures",
                               {ctx->asked.email, ctx->remote_address,
                                std::to_string(limits.window.count()),
                                std::to_string(limits.per_account),
                                std::to_string(limits.per_address)}),
     storage::statement::named("login_account", {ctx->asked.email})},
    [ctx](storage::pg_outcome outcome) { on_checked(ctx, outcome); });
}

void current_session(storage::pg_pool& pool, const principal& user, net::responder respond) {
  pool.execute({storage::statement::named("account_by_id", {std::to_string(user.user_id)})},
               [csrf = user.csrf_token, respond](storage::pg_outcome outcome) {
                 if (!outcome.ok()) {
                   respond(database_unavailable());
                   return;
                 }
                 if (outcome.results[0].rows.empty()) {
                   respond(net::error_response(401, "unauthenticated", "log in first"));
                   return;
                 }
                 respond(private_json(200, {{"user", user_json(outcome.results[0])},
                                            {"csrf_token", csrf}}));
               });
}

void logout(storage::pg_pool& pool, bool secure, const net::http_request& request,
            const principal& user, net::responder respond) {
  // The guard let the request through, so the cookie holds a well-formed token.
  auto token = session_token_of(request).value_or("");
  pool.execute({storage::statement::named("delete_session", {auth::token_hash_hex(token)})},
               [secure, respond, user_id = user.user_id](storage::pg_outcome outcome) {
                 if (!outcome.ok()) {
                   respond(database_unavailable());
                   return;
                 }
                 log::info("auth", "logged out", {{"user_id", user_id}});
                 net::http_response response{.status = 204, .content_type = ""};
                 response.headers.emplace_back("Set-Cookie", auth::session_clear_cookie(secure));
                 response.headers.emplace_back("Cache-Control", "no-store");
                 respond(std::move(response));
               });
}

}  // namespace

void add_auth_routes(net::router& routes, caf::actor_system& actors, storage::pg_pool& pool,
                     const session_guard& guard, auth_routes_options options) {
  auto shared = std::make_shared<const auth_routes_options>(std::move(options));
  routes.add("POST", "/api/v1/auth/login", "auth_login",
             [&actors, &pool, shared](net::http_request&& request, net::responder respond) {
               login(actors, pool, shared, request, std::move(respond));
             });
  routes.add("POST", "/api/v1/auth/logout", "auth_logout",
             guard.protect([&pool, secure = shared->session.cookie_secure](
                             net::http_request&& request, principal user,
                             net::responder respond) {
               logout(pool, secure, request, user, std::move(respond));
             }));
  routes.add("GET", "/api/v1/auth/session", "auth_session",
             guard.protect([&pool](net::http_request&&, principal user, net::responder respond) {
               current_session(pool, user, std::move(respond));
             }));
}

}  // namespace crmd::app
