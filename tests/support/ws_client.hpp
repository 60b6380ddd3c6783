#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace crmd::testing {

// The server answered the upgrade with an HTTP response instead of 101.
struct ws_refused : std::runtime_error {
  ws_refused(unsigned status, std::string body);
  unsigned status;
  std::string body;
};

// The server closed the connection (close frame) where a frame was expected.
struct ws_closed : std::runtime_error {
  explicit ws_closed(std::uint16_t code);
  std::uint16_t code;
};

// A blocking WebSocket client for tests, on 127.0.0.1. Every operation has a deadline (10 s
// unless given), so a server that stops answering fails the test instead of hanging it.
class ws_client {
 public:
  using headers = std::vector<std::pair<std::string, std::string>>;

  // Connects and upgrades. `receive_buffer` (bytes, 0: the system's) is set before connecting,
  // so a client that never reads fills up quickly. Throws ws_refused or a system_error.
  explicit ws_client(std::uint16_t port, const headers& extra = {}, std::string target = "/ws",
                     int receive_buffer = 0);
  ~ws_client();
  ws_client(const ws_client&) = delete;
  ws_client& operator=(const ws_client&) = delete;

  void send(const std::string& text);
  void send(const nlohmann::json& frame) { send(frame.dump()); }
  // The next text frame; throws ws_closed when the server closed instead.
  std::string read(std::chrono::seconds deadline = std::chrono::seconds(10));
  nlohmann::json read_json(std::chrono::seconds deadline = std::chrono::seconds(10));
  // Reads and drops frames until the server closes; returns its close code.
  std::uint16_t read_until_closed(std::chrono::seconds deadline = std::chrono::seconds(30));

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace crmd::testing
