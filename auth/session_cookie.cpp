#include "auth/session_cookie.hpp"

namespace crmd::auth {

namespace {

std::string with_attributes(std::string value, bool secure, std::chrono::seconds max_age) {
  value += "; Path=/; Max-Age=" + std::to_string(max_age.count()) + "; HttpOnly; SameSite=Strict";
  if (secure)
    value += "; Secure";
  return value;
}

std::string_view trim(std::string_view text) {
  auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos)
    return {};
  auto last = text.find_last_not_of(" \t");
  return text.substr(first, last - first + 1);
}

}  // namespace

std::string session_set_cookie(std::string_view token, bool secure, std::chrono::seconds max_age) {
  return with_attributes(std::string(session_cookie_name) + "=" + std::string(token), secure,
                         max_age);
}

std::string session_clear_cookie(bool secure) {
  return with_attributes(std::string(session_cookie_name) + "=", secure, std::chrono::seconds{0});
}

std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name) {
  while (!header.empty()) {
    auto end = header.find(';');
    auto pair = trim(header.substr(0, end));
    auto eq = pair.find('=');
    if (eq != std::string_view::npos && trim(pair.substr(0, eq)) == name) {
      auto value = trim(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
        value = value.substr(1, value.size() - 2);
      return value;
    }
    if (end == std::string_view::npos)
      break;
    header.remove_prefix(end + 1);
  }
  return std::nullopt;
}

}  // namespace crmd::auth
