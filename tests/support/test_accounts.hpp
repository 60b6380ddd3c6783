#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

// Logins for tests that call protected routes: create an account with the real `crmd user add`,
// log in over HTTP, and send the session's headers.
//
//   auto session = login_new_user(crmd.port(), database.url());          // an owner
//   http_request(crmd.port(), "POST", "/api/v1/imports", "{}", session.headers());
namespace crmd::testing {

inline constexpr const char* test_password = "test-password-0123";

struct test_user {
  std::string email = "owner@crmd.test";
  std::string password = test_password;
  std::string role = "owner";  // or "staff"
  std::string first_name;      // empty: not given
  std::string last_name;
};

// Runs `crmd user add` against the database with the password on its standard input (creates
// the account, or replaces its password and role). Throws std::runtime_error with crmd's output
// when it fails.
void add_user(const std::string& database_url, const test_user& user = {});

struct test_session {
  std::string token;       // the crm_session cookie's value
  std::string csrf_token;
  nlohmann::json user;     // {"id","email","first_name","last_name","role"}

  std::string cookie() const { return "crm_session=" + token; }
  // Cookie and X-CSRF-Token, then `extra` (e.g. {"Content-Type", "application/json"}).
  std::vector<std::pair<std::string, std::string>> headers(
    std::vector<std::pair<std::string, std::string>> extra = {}) const;
};

// POST /api/v1/auth/login on 127.0.0.1:port. Throws std::runtime_error unless it answers 200
// with the session cookie.
test_session login(std::uint16_t port, const std::string& email, const std::string& password);

// add_user, then login as that user.
test_session login_new_user(std::uint16_t port, const std::string& database_url,
                            const test_user& user = {});

}  // namespace crmd::testing
