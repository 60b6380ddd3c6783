#pragma once

#include <caf/actor.hpp>
#include <caf/atom.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace prometheus {
class Registry;
}

namespace crmd {

// A permanent child of the root supervisor: how to (re)spawn it and where to publish its handle.
struct child_spec {
  std::string name;               // metric label and log field, e.g. "db"
  caf::atom_value registry_key;   // see registry_keys in interfaces.hpp
  std::function<caf::actor(caf::actor_system&)> spawn;
};

struct supervisor_options {
  std::chrono::milliseconds backoff_min{200};
  std::chrono::milliseconds backoff_max{30000};
  std::chrono::milliseconds stable_after{60000};
};

// Root supervisor: spawns every child, monitors it, and after a child terminates (other than at
// shutdown) respawns it after an exponential backoff, republishing the new handle in the actor
// registry and counting crmd_actor_restarts_total{actor}. A shutdown_atom message stops the
// children and the supervisor. Answers children_atom with the number of live children.
caf::actor spawn_supervisor(caf::actor_system& system, std::vector<child_spec> children,
                            supervisor_options options, prometheus::Registry& metrics);

}  // namespace crmd
