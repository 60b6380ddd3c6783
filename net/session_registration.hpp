#pragma once

// Internal to net/: a connection's entry in the server's session registry, removed when the
// connection is gone. A session may be released last on any thread (an actor's send holds it for
// a moment), so the removal must come after its socket and timers have left the io_context:
// each session declares this as its first member, which is destroyed last. Once the server sees
// the registry empty it may stop and destroy the io_context.

#include "net/server_state.hpp"

#include <cstdint>
#include <memory>

namespace crmd::net {

class session_registration {
 public:
  explicit session_registration(std::shared_ptr<server_state> state);
  session_registration(const session_registration&) = delete;
  session_registration& operator=(const session_registration&) = delete;
  ~session_registration();

  void assign(std::uint64_t id) { id_ = id; }
  std::uint64_t id() const { return id_; }
  // The connection and its id go to another session, which registers itself.
  void hand_off() { handed_off_ = true; }

 private:
  std::shared_ptr<server_state> state_;
  std::uint64_t id_ = 0;
  bool handed_off_ = false;
};

}  // namespace crmd::net
