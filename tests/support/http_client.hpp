#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace crmd::testing {

struct http_reply {
  unsigned status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased

  std::optional<std::string> header(const std::string& lower_name) const;
};

// One blocking request on a fresh connection to 127.0.0.1:port (test code only).
// Throws boost::system::system_error when the connection fails.
http_reply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = {},
                        const std::vector<std::pair<std::string, std::string>>& headers = {});

inline http_reply http_get(std::uint16_t port, const std::string& target) {
  return http_request(port, "GET", target);
}

// Polls GET target every 100 ms until it answers `status` or `deadline` passes; returns the last
// reply (for readiness, which follows the pool's connections).
http_reply wait_for_status(std::uint16_t port, const std::string& target, unsigned status,
                           std::chrono::seconds deadline);

}  // namespace crmd::testing
