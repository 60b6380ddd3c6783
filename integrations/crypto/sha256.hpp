#pragma once

#include <string>
#include <string_view>

// SHA-256 as crmd names things by content: webhook deliveries without an id, downloaded media.
namespace crmd::integrations {

// Lower-case hex of the SHA-256 of the bytes.
std::string sha256_hex(std::string_view bytes);

}  // namespace crmd::integrations
