#pragma once

#include "auth/password_hash.hpp"

#include <caf/fwd.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace crmd {

// The password actor (see password_actor in interfaces.hpp), spawned detached: Argon2 keeps its
// thread busy for ~100 ms per call, which must never be a scheduler or io thread. Requests are
// served one at a time in arrival order.
caf::actor spawn_password_actor(caf::actor_system& system, auth::argon2_params params = {});

// For code outside any actor (HTTP handlers): verifies with the password actor currently
// registered under registry_keys::password. `done` runs once on a CAF thread, with nullopt when
// no password actor runs or it did not answer within `timeout`.
void verify_with_password_actor(caf::actor_system& system, std::string password,
                                std::string encoded, std::chrono::milliseconds timeout,
                                std::function<void(std::optional<bool>)> done);

}  // namespace crmd
