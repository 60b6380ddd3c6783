#pragma once

#include "net/http_types.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

// What WebSocket route handlers see: no Beast. A handler decides on an upgrade request
// asynchronously through ws_upgrade; an accepted connection is a ws_connection plus the
// callbacks the application returns for it.
namespace crmd::net {

// Close codes crmd sends (RFC 6455 § 7.4.1).
namespace ws_close_code {
inline constexpr std::uint16_t normal = 1000;
inline constexpr std::uint16_t going_away = 1001;     // server shutdown
inline constexpr std::uint16_t unsupported = 1003;    // a binary frame
inline constexpr std::uint16_t policy = 1008;         // "too slow": the send queue overflowed
inline constexpr std::uint16_t too_big = 1009;        // a message over the size limit
inline constexpr std::uint16_t internal_error = 1011;
inline constexpr std::uint16_t service_restart = 1012;  // the hub restarted: resume on reconnect
inline constexpr std::uint16_t try_again_later = 1013;  // e.g. the hub restarted
}  // namespace ws_close_code

// One accepted WebSocket connection. Thread-safe; it refers to the session weakly, so holding it
// never keeps a closed connection alive.
class ws_connection {
 public:
  virtual ~ws_connection() = default;
  // Queues one text frame. False when the connection is closed or closing, or when this frame
  // would overflow the send queue: the connection is then closed with 1008 "too slow".
  virtual bool send(std::string text) = 0;
  // Sends a close frame after the frame being written (queued frames are dropped).
  virtual void close(std::uint16_t code, std::string reason) = 0;
};

// Called on the connection's strand, never concurrently; they must not throw or block.
// on_close runs exactly once, when the connection is gone (whoever closed it).
struct ws_callbacks {
  std::function<void(std::string text)> on_message;
  std::function<void()> on_close;
};

// Called once the handshake succeeded; returns the connection's callbacks.
using ws_factory = std::function<ws_callbacks(std::shared_ptr<ws_connection> connection)>;

// The decision on one upgrade request: exactly one of accept or reject, from any thread; later
// calls are ignored. Without a decision within the handler timeout the client gets 503.
class ws_upgrade {
 public:
  virtual ~ws_upgrade() = default;
  virtual void accept(ws_factory factory) = 0;
  virtual void reject(http_response response) = 0;
};

using ws_handler = std::function<void(http_request&& request, std::shared_ptr<ws_upgrade> upgrade)>;

// Limits of every WebSocket connection of a server.
struct websocket_config {
  std::size_t queue_frames = 256;             // CRM_WS_SEND_QUEUE_FRAMES
  std::size_t queue_bytes = 4 * 1024 * 1024;  // CRM_WS_SEND_QUEUE_BYTES
  std::size_t message_limit = 64 * 1024;      // a bigger client message closes with 1009
  // Beast pings an open connection every ping_interval; one that sends nothing (not even the
  // pong) for a whole interval after a ping is closed.
  std::chrono::milliseconds ping_interval{20000};
  // Longest wait for a close handshake (or for a stuck write before it) before the socket is cut.
  std::chrono::milliseconds close_timeout{5000};
};

// True when the Origin header names the host the request was sent to (scheme default ports
// ignored, case-insensitive). Upgrades with an Origin that does not match are refused with 403
// `bad_origin`; a request without Origin (not a browser) passes.
bool origin_matches_host(std::string_view origin, std::string_view host);

}  // namespace crmd::net
