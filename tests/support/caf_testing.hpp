#pragma once

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>

namespace crmd::testing {

// CAF's deterministic test scheduler: actors run only when the test drives the
// test_coordinator, and timers fire only when it advances its clock.
inline caf::actor_system_config& deterministic(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("testing"));
  cfg.set("logger.inline-output", true);
  return cfg;
}

}  // namespace crmd::testing
