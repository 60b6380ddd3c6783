#include "actors/interfaces.hpp"
#include "actors/password_actor.hpp"

#include <caf/all.hpp>
#include <gtest/gtest.h>

#include <future>

namespace crmd {
namespace {

using namespace std::chrono_literals;

// The actor is detached (its own thread), so these tests run on CAF's real scheduler.
struct PasswordActor : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  password_actor actor = caf::actor_cast<password_actor>(
    spawn_password_actor(sys, {.time_cost = 1, .memory_kib = 64, .parallelism = 1}));

  ~PasswordActor() override { self->send_exit(actor, caf::exit_reason::user_shutdown); }

  std::string hash(const std::string& password) {
    std::string encoded;
    self->request(actor, 10s, atoms::hash_atom_v, password)
      .receive([&](std::string& result) { encoded = std::move(result); },
               [&](caf::error& error) { ADD_FAILURE() << sys.render(error); });
    return encoded;
  }

  std::optional<bool> verify(const std::string& password, const std::string& encoded) {
    std::promise<std::optional<bool>> answer;
    verify_with_password_actor(sys, password, encoded, 10s,
                               [&answer](std::optional<bool> matches) {
                                 answer.set_value(matches);
                               });
    auto result = answer.get_future();
    if (result.wait_for(15s) != std::future_status::ready)
      return std::nullopt;
    return result.get();
  }
};

TEST_F(PasswordActor, HashesIntoAnArgon2idStringItVerifies) {
  auto encoded = hash("long enough password");
  ASSERT_EQ(encoded.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << encoded;
  bool matches = false;
  self->request(actor, 10s, atoms::verify_atom_v, std::string("long enough password"), encoded)
    .receive([&](bool result) { matches = result; },
             [&](caf::error& error) { ADD_FAILURE() << sys.render(error); });
  EXPECT_TRUE(matches);
}

TEST_F(PasswordActor, CallersOutsideActorsReachTheRegisteredActor) {
  auto encoded = hash("long enough password");
  sys.registry().put(registry_keys::password, caf::actor_cast<caf::strong_actor_ptr>(actor));
  EXPECT_EQ(verify("long enough password", encoded), std::optional<bool>(true));
  EXPECT_EQ(verify("another password!!", encoded), std::optional<bool>(false));
  EXPECT_EQ(verify("long enough password", "not a hash"), std::optional<bool>(false));
  sys.registry().erase(registry_keys::password);
}

TEST_F(PasswordActor, WithoutARegisteredActorTheAnswerIsUnknown) {
  EXPECT_EQ(verify("long enough password", "$argon2id$"), std::nullopt);
}

}  // namespace
}  // namespace crmd
