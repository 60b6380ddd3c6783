#pragma once

// Internal to net/: what the server's drain needs from every open connection, HTTP or WebSocket.

namespace crmd::net {

class connection {
 public:
  virtual ~connection() = default;
  // Both may be called from any thread; they post onto the connection's strand.
  // Finish what is in progress and close (WebSocket: close with 1001 going away).
  virtual void begin_shutdown() = 0;
  // Close the socket now.
  virtual void force_close() = 0;
};

}  // namespace crmd::net
