#pragma once

#include <optional>
#include <span>
#include <string>

// `crmd user add --email E --role owner|staff [--first-name F] [--last-name L]`: creates a login,
// or gives an existing email a new password and role. The password comes from standard input.
namespace crmd::app {

struct user_add_options {
  std::string email;  // trimmed and lowered
  std::string role;
  std::optional<std::string> first_name;
  std::optional<std::string> last_name;
};

// The arguments after `user add`; nullopt after printing the problem and the usage on stderr.
std::optional<user_add_options> parse_user_add(std::span<char* const> args);

// One line from standard input; on a terminal, asked twice without echo. nullopt after printing
// why on stderr (nothing read, the two differ, or the policy refuses it).
std::optional<std::string> read_new_password();

// Hashes the password (Argon2id, here on the main thread: nothing else runs) and upserts the
// account in one transaction that also ends the account's sessions. Returns the exit code.
int run_user_add(const std::string& database_url, const user_add_options& options,
                 const std::string& password);

}  // namespace crmd::app
