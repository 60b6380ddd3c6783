#pragma once

#include <optional>
#include <string>
#include <string_view>

// Standard base64 (RFC 4648 §4, '+' '/' and '=' padding), the encoding OpenPhone uses for signing
// secrets and signature digests.
namespace crmd::integrations::openphone {

std::string base64_encode(std::string_view bytes);

// Strict: the length must be a multiple of four, padding may only end the text, and unused bits
// of the last character must be zero. So every accepted text is exactly what base64_encode would
// produce for its bytes, and one digest has one spelling.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace crmd::integrations::openphone
