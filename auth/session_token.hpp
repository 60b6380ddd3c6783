#pragma once

#include <optional>
#include <string>
#include <string_view>

// Opaque bearer secrets: the session cookie and the CSRF token. The database keeps only the
// SHA-256 of a session token, so a leaked table cannot be replayed as cookies.
namespace crmd::auth {

inline constexpr std::size_t token_length = 43;  // 32 bytes in unpadded base64url

// 32 bytes from OpenSSL's RAND_bytes as unpadded base64url; nullopt only when the RNG fails.
std::optional<std::string> new_token();

// Lower-case hex SHA-256 of the token, as stored in user_sessions.token_hash (decoded to bytea).
std::string token_hash_hex(std::string_view token);

// 43 base64url characters: anything else cannot be a token we issued and needs no lookup.
bool is_well_formed_token(std::string_view text);

// Unpadded base64url (RFC 4648 §5).
std::string base64url_encode(std::string_view bytes);

}  // namespace crmd::auth
