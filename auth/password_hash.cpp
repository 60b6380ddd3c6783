#include "auth/password_hash.hpp"

#include <argon2.h>
#include <openssl/rand.h>

#include <array>

namespace crmd::auth {

namespace {

constexpr std::size_t salt_bytes = 16;
constexpr std::size_t hash_bytes = 32;

}  // namespace

std::optional<std::string> hash_password(std::string_view password, const argon2_params& params) {
  std::array<unsigned char, salt_bytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1)
    return std::nullopt;
  std::string encoded(argon2_encodedlen(params.time_cost, params.memory_kib, params.parallelism,
                                        salt_bytes, hash_bytes, Argon2_id),
                      '\0');
  int rc = argon2id_hash_encoded(params.time_cost, params.memory_kib, params.parallelism,
                                 password.data(), password.size(), salt.data(), salt.size(),
                                 hash_bytes, encoded.data(), encoded.size());
  if (rc != ARGON2_OK)
    return std::nullopt;
  encoded.resize(encoded.find('\0'));
  return encoded;
}

bool verify_password(std::string_view password, const std::string& encoded) {
  if (!encoded.starts_with("$argon2id$"))
    return false;
  return argon2id_verify(encoded.c_str(), password.data(), password.size()) == ARGON2_OK;
}

const std::string& dummy_hash() {
  // Generated once with the defaults above from a random password that was then discarded.
  static const std::string hash =
    "$argon2id$v=19$m=65536,t=3,p=1$w23bcBSanXgPvkeXBoBxzA"
    "$Tst3V/Oti6gZ9XM5r2xpQk9h8UblSKsa5Kk4E+8wcsk";
  return hash;
}

}  // namespace crmd::auth
