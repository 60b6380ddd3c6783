#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Argon2id password hashes as encoded PHC strings ("$argon2id$v=19$m=65536,t=3,p=1$salt$hash"),
// which carry their own parameters, so stored hashes stay verifiable when the defaults change.
// CPU- and memory-heavy on purpose (~100 ms, 64 MiB): call only from the password actor or the
// command line, never from an io thread or a normal actor.
namespace crmd::auth {

struct argon2_params {
  std::uint32_t time_cost = 3;
  std::uint32_t memory_kib = 64 * 1024;
  std::uint32_t parallelism = 1;
};

// A fresh 16-byte salt from OpenSSL; nullopt only when the RNG or the allocation fails.
std::optional<std::string> hash_password(std::string_view password,
                                         const argon2_params& params = {});

// False for a wrong password and for anything that is not a valid encoded argon2id hash.
bool verify_password(std::string_view password, const std::string& encoded);

// A valid hash with the default parameters of a password nobody knows: verifying against it for
// an unknown or disabled account costs the same time as for a real one.
const std::string& dummy_hash();

}  // namespace crmd::auth
