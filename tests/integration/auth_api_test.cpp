// Accounts and sessions on a serving crmd against real PostgreSQL: `crmd user add`, login with
// its cookie, the throttle, the session endpoint, logout, and the guard on every /api route
// (401 without a session, 403 without the CSRF header or for staff on owner-only routes).
#include "auth/session_token.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crmd::testing {
namespace {

using nlohmann::json;

class AuthApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("auth_api");
    crmd_ = std::make_unique<crmd_process>(
      std::map<std::string, std::string>{{"CRM_DATABASE_URL", database_->url()}});
  }
  static void TearDownTestSuite() {
    crmd_.reset();
    database_.reset();
  }

  static std::uint16_t port() { return crmd_->port(); }
  static std::string scalar(const std::string& sql) { return database_->scalar(sql); }

  static http_reply post_login(const std::string& email, const std::string& password) {
    return http_request(port(), "POST", "/api/v1/auth/login",
                        json{{"email", email}, {"password", password}}.dump(),
                        {{"Content-Type", "application/json"}});
  }

  static http_reply get(const std::string& target, const test_session& session) {
    return http_request(port(), "GET", target, {}, {{"Cookie", session.cookie()}});
  }

  static std::string session_row(const test_session& session, const std::string& expression) {
    return scalar("SELECT " + expression + " FROM user_sessions WHERE token_hash = decode('"
                  + auth::token_hash_hex(session.token) + "', 'hex')");
  }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<crmd_process> crmd_;
};

std::unique_ptr<test_database> AuthApi::database_;
std::unique_ptr<crmd_process> AuthApi::crmd_;

std::string error_code(const http_reply& reply) {
  auto body = json::parse(reply.body, nullptr, false);
  return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

TEST_F(AuthApi, CliUserLogsInWithAStrictHttpOnlyCookie) {
  add_user(database_->url(), {.email = "Ada@Crmd.Test", .first_name = "Ada",
                              .last_name = "Lovelace"});
  auto reply = post_login("  ADA@crmd.test ", test_password);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto cookie = reply.header("set-cookie").value_or("");
  ASSERT_EQ(cookie.rfind("crm_session=", 0), 0u) << cookie;
  auto token = cookie.substr(12, cookie.find(';') - 12);
  EXPECT_TRUE(auth::is_well_formed_token(token)) << token;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "CRM_COOKIE_SECURE defaults to false";
  EXPECT_EQ(reply.header("cache-control"), "no-store");

  auto body = json::parse(reply.body);
  EXPECT_EQ(body["user"]["email"], "ada@crmd.test");
  EXPECT_EQ(body["user"]["first_name"], "Ada");
  EXPECT_EQ(body["user"]["last_name"], "Lovelace");
  EXPECT_EQ(body["user"]["role"], "owner");
  EXPECT_TRUE(body["user"]["id"].is_number_integer());
  EXPECT_TRUE(auth::is_well_formed_token(body["csrf_token"].get<std::string>()));
  // Only the token's hash is stored.
  EXPECT_EQ(scalar("SELECT count(*) FROM user_sessions WHERE token_hash = decode('"
                   + auth::token_hash_hex(token) + "', 'hex')"),
            "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM user_sessions WHERE encode(token_hash, 'escape') = '"
                   + token + "'"),
            "0");
  EXPECT_EQ(scalar("SELECT count(*) FROM login_attempts WHERE email = 'ada@crmd.test' AND "
                   "succeeded"),
            "1");
  EXPECT_EQ(scalar("SELECT left(password_hash, 31) FROM users WHERE email = 'ada@crmd.test'"),
            "$argon2id$v=19$m=65536,t=3,p=1$");
}

TEST_F(AuthApi, WrongPasswordAndUnknownEmailGetTheSameAnswer) {
  add_user(database_->url(), {.email = "grace@crmd.test"});
  auto wrong = post_login("grace@crmd.test", "not the password");
  auto unknown = post_login("nobody@crmd.test", "not the password");
  EXPECT_EQ(wrong.status, 401u);
  EXPECT_EQ(unknown.status, 401u);
  EXPECT_EQ(error_code(wrong), "invalid_credentials");
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_FALSE(wrong.header("set-cookie"));
  EXPECT_EQ(scalar("SELECT count(*) FROM login_attempts WHERE email IN ('grace@crmd.test', "
                   "'nobody@crmd.test') AND NOT succeeded"),
            "2");
  auto not_json = http_request(port(), "POST", "/api/v1/auth/login", "{oops");
  EXPECT_EQ(not_json.status, 400u);
  EXPECT_EQ(error_code(not_json), "invalid_body");
  auto no_password = http_request(port(), "POST", "/api/v1/auth/login",
                                  R"({"email":"grace@crmd.test"})");
  EXPECT_EQ(error_code(no_password), "invalid_body");
}

TEST_F(AuthApi, FiveFailuresLockTheAccountEvenForTheRightPassword) {
  add_user(database_->url(), {.email = "locked@crmd.test"});
  for (int i = 0; i < 5; ++i)
    ASSERT_EQ(post_login("locked@crmd.test", "guess number " + std::to_string(i)).status, 401u);
  auto refused = post_login("locked@crmd.test", test_password);
  ASSERT_EQ(refused.status, 429u) << refused.body;
  EXPECT_EQ(error_code(refused), "too_many_attempts");
  auto retry_after = std::stoi(refused.header("retry-after").value_or("0"));
  EXPECT_GE(retry_after, 890);
  EXPECT_LE(retry_after, 900);
  EXPECT_EQ(scalar("SELECT count(*) FROM login_attempts WHERE email = 'locked@crmd.test' AND "
                   "throttled"),
            "1");
  // The lock is the account's: another account from the same address still logs in.
  EXPECT_NO_THROW(login_new_user(port(), database_->url(), {.email = "neighbour@crmd.test"}));
  // Once the failures are older than the window, the account logs in again.
  database_->exec("UPDATE login_attempts SET attempted_at = attempted_at - interval '15 minutes' "
                  "WHERE email = 'locked@crmd.test'");
  EXPECT_EQ(post_login("locked@crmd.test", test_password).status, 200u);
}

TEST_F(AuthApi, SessionEndpointReturnsTheUserAndTheCsrfToken) {
  auto session = login_new_user(port(), database_->url(),
                                {.email = "staff@crmd.test", .role = "staff"});
  auto reply = get("/api/v1/auth/session", session);
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto body = json::parse(reply.body);
  EXPECT_EQ(body["csrf_token"], session.csrf_token);
  EXPECT_EQ(body["user"], session.user);
  EXPECT_EQ(body["user"]["role"], "staff");
}

TEST_F(AuthApi, LogoutEndsTheSessionAndClearsTheCookie) {
  auto session = login_new_user(port(), database_->url(), {.email = "leaving@crmd.test"});
  auto without_csrf = http_request(port(), "POST", "/api/v1/auth/logout", {},
                                   {{"Cookie", session.cookie()}});
  EXPECT_EQ(without_csrf.status, 403u);
  EXPECT_EQ(get("/api/v1/auth/session", session).status, 200u);

  auto reply = http_request(port(), "POST", "/api/v1/auth/logout", {}, session.headers());
  ASSERT_EQ(reply.status, 204u) << reply.body;
  auto cookie = reply.header("set-cookie").value_or("");
  EXPECT_EQ(cookie.rfind("crm_session=;", 0), 0u) << cookie;
  EXPECT_NE(cookie.find("Max-Age=0"), std::string::npos) << cookie;
  EXPECT_EQ(session_row(session, "count(*)"), "0");
  auto after = get("/api/v1/auth/session", session);
  EXPECT_EQ(after.status, 401u);
  EXPECT_EQ(error_code(after), "unauthenticated");
}

TEST_F(AuthApi, ApiWithoutAValidSessionIsUnauthenticated) {
  test_session forged{.token = std::string(43, 'A')};
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{
         {"GET", "/api/v1/auth/session"},
         {"POST", "/api/v1/auth/logout"},
         {"GET", "/api/v1/imports/1"},
         {"POST", "/api/v1/imports"},
         {"GET", "/api/v1/webhook-events"},
         {"POST", "/api/v1/webhook-events/1/replay"},
         {"GET", "/media/" + std::string(64, 'a')}}) {
    auto bare = http_request(port(), method, target);
    EXPECT_EQ(bare.status, 401u) << method << " " << target;
    EXPECT_EQ(error_code(bare), "unauthenticated") << method << " " << target;
    auto forged_reply = http_request(port(), method, target, {}, forged.headers());
    EXPECT_EQ(forged_reply.status, 401u) << method << " " << target;
  }
  EXPECT_EQ(http_get(port(), "/healthz").status, 200u);
  EXPECT_EQ(http_get(port(), "/readyz").status, 200u);
  EXPECT_EQ(http_get(port(), "/metrics").status, 200u);
  // Webhooks authenticate by signature, not by session.
  EXPECT_EQ(error_code(http_request(port(), "POST", "/webhooks/openphone", "{}")),
            "bad_signature");
}

TEST_F(AuthApi, StateChangesNeedTheSessionsCsrfToken) {
  auto session = login_new_user(port(), database_->url(), {.email = "csrf@crmd.test"});
  auto missing = http_request(port(), "POST", "/api/v1/imports", "{}",
                              {{"Cookie", session.cookie()}});
  EXPECT_EQ(missing.status, 403u);
  EXPECT_EQ(error_code(missing), "csrf_failed");
  auto other = login(port(), "csrf@crmd.test", test_password);
  ASSERT_NE(other.csrf_token, session.csrf_token);
  auto wrong = http_request(port(), "POST", "/api/v1/imports", "{}",
                            {{"Cookie", session.cookie()}, {"X-CSRF-Token", other.csrf_token}});
  EXPECT_EQ(error_code(wrong), "csrf_failed");
  EXPECT_EQ(scalar("SELECT count(*) FROM import_jobs"), "0");
  // A GET needs none.
  EXPECT_EQ(get("/api/v1/webhook-events", session).status, 200u);
}

TEST_F(AuthApi, StaffMayReadButNotRunOwnerOnlyRoutes) {
  auto staff = login_new_user(port(), database_->url(),
                              {.email = "helper@crmd.test", .role = "staff"});
  auto import = http_request(port(), "POST", "/api/v1/imports", "{}", staff.headers());
  EXPECT_EQ(import.status, 403u);
  EXPECT_EQ(error_code(import), "forbidden");
  auto replay = http_request(port(), "POST", "/api/v1/webhook-events/1/replay", {},
                             staff.headers());
  EXPECT_EQ(error_code(replay), "forbidden");
  EXPECT_EQ(get("/api/v1/webhook-events?status=dead", staff).status, 200u);
  EXPECT_EQ(get("/api/v1/imports/999", staff).status, 404u);
  EXPECT_EQ(get("/media/" + std::string(64, 'b'), staff).status, 404u);
  // An owner passes the guard (and gets the route's own answer).
  auto owner = login_new_user(port(), database_->url(), {.email = "boss@crmd.test"});
  EXPECT_EQ(http_request(port(), "POST", "/api/v1/webhook-events/999999/replay", {},
                         owner.headers())
              .status,
            404u);
}

TEST_F(AuthApi, ExpiredOrDisabledSessionsAreUnauthenticated) {
  auto expired = login_new_user(port(), database_->url(), {.email = "expired@crmd.test"});
  database_->exec("UPDATE user_sessions SET expires_at = now() - interval '1 second' "
                  "WHERE token_hash = decode('" + auth::token_hash_hex(expired.token)
                  + "', 'hex')");
  EXPECT_EQ(get("/api/v1/auth/session", expired).status, 401u);

  auto disabled = login_new_user(port(), database_->url(), {.email = "gone@crmd.test"});
  database_->exec("UPDATE users SET disabled_at = now() WHERE email = 'gone@crmd.test'");
  EXPECT_EQ(get("/api/v1/auth/session", disabled).status, 401u);
  EXPECT_EQ(post_login("gone@crmd.test", test_password).status, 401u);
}

TEST_F(AuthApi, ExpirySlidesWithUseButNeverPastTheAbsoluteLimit) {
  auto session = login_new_user(port(), database_->url(), {.email = "busy@crmd.test"});
  auto where = "WHERE token_hash = decode('" + auth::token_hash_hex(session.token) + "', 'hex')";
  // Seen within the minute: nothing is written.
  database_->exec("UPDATE user_sessions SET expires_at = now() + interval '1 hour' " + where);
  ASSERT_EQ(get("/api/v1/auth/session", session).status, 200u);
  EXPECT_EQ(session_row(session, "expires_at < now() + interval '2 hours'"), "t");
  // Seen longer ago: slid to a week from now (CRM_SESSION_TTL_HOURS).
  database_->exec("UPDATE user_sessions SET last_seen_at = now() - interval '2 minutes' " + where);
  ASSERT_EQ(get("/api/v1/auth/session", session).status, 200u);
  EXPECT_EQ(session_row(session, "expires_at > now() + interval '167 hours'"), "t");
  EXPECT_EQ(session_row(session, "last_seen_at > now() - interval '1 minute'"), "t");
  // Near the end of its 30 days (CRM_SESSION_MAX_DAYS), it slides only up to that end.
  database_->exec("UPDATE user_sessions SET created_at = now() - interval '29 days 23 hours', "
                  "last_seen_at = now() - interval '2 minutes' " + where);
  ASSERT_EQ(get("/api/v1/auth/session", session).status, 200u);
  EXPECT_EQ(session_row(session, "expires_at <= created_at + interval '30 days'"), "t");
  EXPECT_EQ(session_row(session, "expires_at < now() + interval '2 hours'"), "t");
}

TEST_F(AuthApi, ANewPasswordEndsTheAccountsSessions) {
  test_user user{.email = "rotate@crmd.test"};
  auto session = login_new_user(port(), database_->url(), user);
  user.password = "another-password-456";
  user.role = "staff";
  add_user(database_->url(), user);
  EXPECT_EQ(get("/api/v1/auth/session", session).status, 401u);
  EXPECT_EQ(post_login("rotate@crmd.test", test_password).status, 401u);
  auto fresh = login(port(), "rotate@crmd.test", "another-password-456");
  EXPECT_EQ(fresh.user["role"], "staff");
}

// Emails are unique now: the history import's users stage must merge into accounts, not fail.
TEST_F(AuthApi, ImportedOpenPhoneUserWithAnAccountsEmailBecomesThatAccount) {
  add_user(database_->url(), {.email = "linked@crmd.test", .role = "staff"});
  EXPECT_EQ(scalar(R"(SELECT import_users('[{"openphone_id":"USlink","email":"Linked@Crmd.Test",)"
                   R"("first_name":"Lin","last_name":"Ked"}]'))"),
            "1");
  EXPECT_EQ(scalar("SELECT concat_ws(',', openphone_user_id, role, first_name) FROM users "
                   "WHERE lower(email) = 'linked@crmd.test'"),
            "USlink,staff,Lin");
  EXPECT_EQ(post_login("linked@crmd.test", test_password).status, 200u);

  // A user first seen in a webhook (no email yet) keeps none rather than taking an account's.
  database_->exec("INSERT INTO users (openphone_user_id) VALUES ('USearly')");
  add_user(database_->url(), {.email = "taken@crmd.test"});
  EXPECT_NO_THROW(scalar(R"(SELECT import_users('[{"openphone_id":"USearly",)"
                         R"("email":"taken@crmd.test"}]'))"));
  EXPECT_EQ(scalar("SELECT count(*) FROM users WHERE lower(email) = 'taken@crmd.test'"), "1");
  EXPECT_EQ(scalar("SELECT coalesce(email, 'none') FROM users WHERE openphone_user_id = "
                   "'USearly'"),
            "none");
  // And an import run twice changes nothing more.
  EXPECT_NO_THROW(scalar(R"(SELECT import_users('[{"openphone_id":"USlink",)"
                         R"("email":"linked@crmd.test"}]'))"));
  EXPECT_EQ(scalar("SELECT count(*) FROM users WHERE openphone_user_id = 'USlink'"), "1");
}

}  // namespace
}  // namespace crmd::testing
