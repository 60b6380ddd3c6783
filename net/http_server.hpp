#pragma once

#include "net/router.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}
namespace prometheus {
class Registry;
}

namespace crmd::net {

struct http_server_config {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;  // 0 picks an ephemeral port
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;  // request line plus headers; beyond it 431
  std::chrono::milliseconds read_timeout{15000};  // per request, headers and body
  std::chrono::milliseconds idle_timeout{60000};  // keep-alive wait for the next request
  std::chrono::milliseconds handler_timeout{30000};  // answer 503 if a handler never responds
  websocket_config websocket;  // routes added with router::add_websocket
};

// Beast HTTP/1.1 server in the shape of Beast's advanced server: one session per connection,
// keep-alive, body limit, timeouts. Requests are dispatched to the router; handlers answer
// asynchronously through their responder. Records crmd_http_requests_total{route,method,status}
// and crmd_http_request_duration_seconds{route}. Upgrade requests on a WebSocket route become
// WebSocket connections when their handler accepts (crmd_ws_* metrics); shutdown closes those
// with 1001.
class http_server {
 public:
  http_server(boost::asio::io_context& io, http_server_config config, router routes,
              prometheus::Registry& metrics);
  // Stops accepting. Open connections keep using the router and the registry, so call shutdown()
  // and wait for `done` first.
  ~http_server();
  http_server(const http_server&) = delete;
  http_server& operator=(const http_server&) = delete;

  // Binds and starts accepting; returns the bound port. Throws std::system_error on bind failure.
  std::uint16_t start();

  // Stops accepting, lets in-flight requests finish (up to `grace`), closes idle keep-alive
  // connections, then calls done on an io thread.
  void shutdown(std::chrono::milliseconds grace, std::function<void()> done);

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace crmd::net
