#include "auth/session_token.hpp"

#include "integrations/crypto/sha256.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <array>

namespace crmd::auth {

namespace {

constexpr std::string_view alphabet =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

}  // namespace

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char byte : bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += alphabet[(buffer >> bits) & 0x3f];
    }
  }
  if (bits > 0)
    out += alphabet[(buffer << (6 - bits)) & 0x3f];
  return out;
}

std::optional<std::string> new_token() {
  std::array<unsigned char, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    return std::nullopt;
  return base64url_encode(
    std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string token_hash_hex(std::string_view token) {
  return integrations::sha256_hex(token);
}

bool is_well_formed_token(std::string_view text) {
  return text.size() == token_length && std::all_of(text.begin(), text.end(), [](char c) {
           return alphabet.find(c) != std::string_view::npos;
         });
}

}  // namespace crmd::auth
