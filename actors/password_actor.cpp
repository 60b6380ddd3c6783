#include "actors/password_actor.hpp"

#include "actors/exception_text.hpp"
#include "actors/interfaces.hpp"
#include "observability/log.hpp"

#include <caf/all.hpp>

namespace crmd {

namespace {

struct password_state {
  static constexpr const char* name = "crmd.password";
  auth::argon2_params params;
};

using password_ptr = password_actor::stateful_pointer<password_state>;

password_actor::behavior_type password_behavior(password_ptr self, auth::argon2_params params) {
  self->set_exception_handler([](std::exception_ptr& error) -> caf::error {
    auto what = exception_text(error);
    log::error("password", "handler threw", {{"error", what}});
    return caf::make_error(caf::sec::runtime_error, what);
  });
  self->state.params = params;
  return {
    [self](atoms::hash_atom, const std::string& password) -> caf::result<std::string> {
      auto encoded = auth::hash_password(password, self->state.params);
      if (!encoded)
        return caf::make_error(caf::sec::runtime_error, "argon2id hashing failed");
      return std::move(*encoded);
    },
    [](atoms::verify_atom, const std::string& password, const std::string& encoded) {
      return auth::verify_password(password, encoded);
    },
  };
}

}  // namespace

caf::actor spawn_password_actor(caf::actor_system& system, auth::argon2_params params) {
  return caf::actor_cast<caf::actor>(system.spawn<caf::detached>(password_behavior, params));
}

// A one-shot actor carrying one request; it lives until the answer or the timeout. Its state
// comes in as spawn arguments: CAF 0.17 dereferences a null argument tuple when a function
// actor is spawned without any (UBSan reports it).
void verify_once(caf::event_based_actor* self, password_actor target, std::string password,
                 std::string encoded, std::chrono::milliseconds timeout,
                 std::function<void(std::optional<bool>)> done) {
  self->request(target, timeout, atoms::verify_atom_v, std::move(password), std::move(encoded))
    .then([done](bool matches) { done(matches); },
          [done](caf::error&) { done(std::nullopt); });
}

void verify_with_password_actor(caf::actor_system& system, std::string password,
                                std::string encoded, std::chrono::milliseconds timeout,
                                std::function<void(std::optional<bool>)> done) {
  auto handle = system.registry().get(registry_keys::password);
  if (!handle) {
    done(std::nullopt);
    return;
  }
  system.spawn(verify_once, caf::actor_cast<password_actor>(handle), std::move(password),
               std::move(encoded), timeout, std::move(done));
}

}  // namespace crmd
