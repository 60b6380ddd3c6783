#pragma once

#include "tools/openphone-emulator/rest_service.hpp"

#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <string>

// --serve: the REST API over HTTP/1.1 with keep-alive (Beast, in the .cpp files only).
namespace crmd::openphone_emulator::rest {

struct server_settings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = ephemeral
  int threads = 1;
  std::chrono::milliseconds slow_delay{15000};
};

// Binds, writes {"event":"listening","port":N} as one line to `out`, then serves `service`
// until SIGINT or SIGTERM and returns 0. Throws std::runtime_error when it cannot bind.
int run_rest_server(rest_service& service, const server_settings& settings, std::ostream& out);

}  // namespace crmd::openphone_emulator::rest
