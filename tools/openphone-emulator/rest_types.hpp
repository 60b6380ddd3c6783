#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

// What the REST side needs of an HTTP exchange, without Beast: the session copies a request in
// and a response out, so everything between is plain code that unit tests call directly.
namespace crmd::openphone_emulator::rest {

struct rest_request {
  std::string method = "GET";
  std::string target;  // path and query as sent
  std::optional<std::string> authorization;
  std::optional<std::string> api_version;  // Quo-Api-Version
  std::string body;                        // POST /v1/messages only
};

struct rest_response {
  unsigned status = 200;
  std::string body;                                          // JSON
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type/-Length
};

}  // namespace crmd::openphone_emulator::rest
