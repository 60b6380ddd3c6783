#pragma once

#include <string>
#include <string_view>

namespace crmd::testing {

// SHA-256 of the bytes, lower-case hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace crmd::testing
