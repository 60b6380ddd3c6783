#pragma once

#include "actors/interfaces.hpp"
#include "net/websocket.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <memory>

namespace crmd {

struct ws_client_options {
  int heartbeat_s = 20;  // announced in hello: the server's ping interval
  std::chrono::milliseconds hub_timeout{10000};  // for the position and replay requests
};

// One per WebSocket connection (docs/api/websocket.md). Sends hello on start, holds the
// connection's topics and subscribes them at the hub (found in the registry), turns hub events
// into event frames, and resumes: subscribe first, then replay since the client's seq, holding
// live events back until the replay is in, so nothing is missed or sent twice. Client frames
// are handled one at a time in order. Quits on ws_closed_atom; the hub drops it by monitoring.
// When the hub goes down the connection is closed with 1012 (the client reconnects and
// resumes, and resyncs because the epoch changed). `connection->send` and `close` are the only
// calls it makes on the network side.
ws_client_actor spawn_ws_client(caf::actor_system& system,
                                std::shared_ptr<net::ws_connection> connection,
                                ws_client_options options = {});

}  // namespace crmd
