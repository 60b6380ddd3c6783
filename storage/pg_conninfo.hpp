#pragma once

#include <string>
#include <variant>
#include <vector>

// Internal to pg_pool: connection parameters with the server's host name resolved before libpq
// sees them. For a `host` without `hostaddr`, PQconnectStart and PQconnectPoll call getaddrinfo
// synchronously, which would block an io thread for as long as DNS takes; the pool resolves the
// name with Asio's resolver instead and hands libpq the addresses as `hostaddr`.
namespace crmd::storage::detail {

struct conninfo_params {
  std::vector<std::string> keywords;
  std::vector<std::string> values;
  std::string resolve_host;  // one DNS name to resolve before connecting, or empty
  std::string port;          // the service to resolve it with
};

// The parsed conninfo (URL or key=value), or libpq's message when it is malformed. Host lists,
// Unix socket directories, numeric addresses and an explicit hostaddr are left to libpq, which
// resolves none of them through DNS.
std::variant<conninfo_params, std::string> parse_conninfo(const std::string& conninfo);

// crmd's session settings, appended to any `options` the conninfo gives: no JIT. crmd's
// statements are short, and JIT compiles anew at every execution of a statement the planner
// guesses to be costly: 1.2 s of LLVM for three sync-health scans in a webhook benchmark.
void add_session_settings(conninfo_params& params);

// Pins the resolved addresses as hostaddr, repeating the host name once per address (libpq wants
// lists of equal length) so that libpq still tries each address in turn and TLS still verifies
// the name.
void pin_addresses(conninfo_params& params, const std::vector<std::string>& addresses);

}  // namespace crmd::storage::detail
