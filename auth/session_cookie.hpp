#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

// The crm_session cookie: HttpOnly (no script reads it), SameSite=Strict (no cross-site request
// carries it), Path=/, and Secure when crmd is served behind TLS.
namespace crmd::auth {

inline constexpr std::string_view session_cookie_name = "crm_session";

// Set-Cookie value that stores the token for `max_age`.
std::string session_set_cookie(std::string_view token, bool secure, std::chrono::seconds max_age);

// Set-Cookie value that makes the browser drop the cookie (Max-Age=0).
std::string session_clear_cookie(bool secure);

// The value of cookie `name` in a Cookie request header ("a=1; b=2"), first occurrence.
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name);

}  // namespace crmd::auth
