#include "auth/password_policy.hpp"

#include <algorithm>

namespace crmd::auth {

std::optional<std::string> password_problem(std::string_view password) {
  auto characters = std::count_if(password.begin(), password.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a UTF-8 continuation byte
  });
  if (static_cast<std::size_t>(characters) < min_password_chars)
    return "must have at least " + std::to_string(min_password_chars) + " characters";
  if (password.size() > max_password_bytes)
    return "must have at most " + std::to_string(max_password_bytes) + " bytes";
  bool control = std::any_of(password.begin(), password.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (control)
    return "must not contain control characters";
  return std::nullopt;
}

}  // namespace crmd::auth
