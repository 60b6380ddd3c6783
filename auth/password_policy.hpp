#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace crmd::auth {

inline constexpr std::size_t min_password_chars = 12;
inline constexpr std::size_t max_password_bytes = 1024;  // what login accepts

// Why a new password is not acceptable (too short in characters, UTF-8 aware; too long; holds a
// control character such as a stray newline), or nullopt when it is.
std::optional<std::string> password_problem(std::string_view password);

}  // namespace crmd::auth
