#pragma once

#include <caf/actor_addr.hpp>
#include <caf/error.hpp>

namespace crmd {

// Monitors `observed` until `self` ends. CAF 0.17 leaves a monitor attached to the observed actor
// after its observer ends, and the monitor's weak reference keeps the ended observer's memory:
// a short-lived actor watching a long-lived one (a WebSocket client the hub, a campaign run its
// sending number) must take its monitor off when it ends, or each one stays behind for good.
template <class Self>
void monitor_while_alive(Self* self, const caf::actor_addr& observed) {
  self->monitor(observed);
  self->attach_functor([self, observed](const caf::error&) { self->demonitor(observed); });
}

}  // namespace crmd
