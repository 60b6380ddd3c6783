#include "actors/hub_actor.hpp"
#include "tests/support/caf_testing.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace crmd {
namespace {

using received = std::vector<std::pair<std::string, std::string>>;

caf::behavior recorder(caf::event_based_actor* self, std::shared_ptr<received> log) {
  return {
    [log](atoms::hub_event_atom, const std::string& topic, const std::string& payload) {
      log->emplace_back(topic, payload);
    },
    [self](atoms::shutdown_atom) { self->quit(); },
  };
}


struct HubFixture : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{crmd::testing::deterministic(cfg)};
  caf::scoped_actor self{sys, true};
  caf::scheduler::test_coordinator& sched
    = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  hub_actor hub = spawn_hub_actor(sys);

  std::uint64_t count(const std::string& topic) {
    std::uint64_t result = 99;
    auto handle = self->request(hub, caf::infinite, atoms::count_atom_v, topic);
    sched.run();
    handle.receive([&](std::uint64_t n) { result = n; }, [](caf::error&) {});
    return result;
  }

  ~HubFixture() override { self->send_exit(hub, caf::exit_reason::user_shutdown); sched.run(); }
};

TEST_F(HubFixture, DeliversOnlyToSubscribersOfTheTopic) {
  auto inbox_log = std::make_shared<received>();
  auto other_log = std::make_shared<received>();
  auto inbox = sys.spawn(recorder, inbox_log);
  auto other = sys.spawn(recorder, other_log);
  self->send(hub, atoms::subscribe_atom_v, std::string("inbox"), inbox);
  self->send(hub, atoms::subscribe_atom_v, std::string("conversation:7"), other);
  self->send(hub, atoms::publish_atom_v, std::string("inbox"), std::string(R"({"event":"x"})"));
  sched.run();
  ASSERT_EQ(inbox_log->size(), 1u);
  EXPECT_EQ(inbox_log->front().first, "inbox");
  EXPECT_EQ(inbox_log->front().second, R"({"event":"x"})");
  EXPECT_TRUE(other_log->empty());
  self->send(inbox, atoms::shutdown_atom_v);
  self->send(other, atoms::shutdown_atom_v);
  sched.run();
}

TEST_F(HubFixture, SubscribingTwiceDeliversOnce) {
  auto log = std::make_shared<received>();
  auto subscriber = sys.spawn(recorder, log);
  self->send(hub, atoms::subscribe_atom_v, std::string("inbox"), subscriber);
  self->send(hub, atoms::subscribe_atom_v, std::string("inbox"), subscriber);
  self->send(hub, atoms::publish_atom_v, std::string("inbox"), std::string("1"));
  sched.run();
  EXPECT_EQ(log->size(), 1u);
  self->send(subscriber, atoms::shutdown_atom_v);
  sched.run();
}

TEST_F(HubFixture, UnsubscribeStopsDelivery) {
  auto log = std::make_shared<received>();
  auto subscriber = sys.spawn(recorder, log);
  self->send(hub, atoms::subscribe_atom_v, std::string("inbox"), subscriber);
  self->send(hub, atoms::unsubscribe_atom_v, std::string("inbox"), subscriber);
  self->send(hub, atoms::publish_atom_v, std::string("inbox"), std::string("1"));
  sched.run();
  EXPECT_TRUE(log->empty());
  EXPECT_EQ(count("inbox"), 0u);
  self->send(subscriber, atoms::shutdown_atom_v);
  sched.run();
}

TEST_F(HubFixture, ATopicRefusesSubscribersBeyondItsLimit) {
  auto small_hub = spawn_hub_actor(sys, 1);
  auto first_log = std::make_shared<received>();
  auto second_log = std::make_shared<received>();
  auto first = sys.spawn(recorder, first_log);
  auto second = sys.spawn(recorder, second_log);
  self->send(small_hub, atoms::subscribe_atom_v, std::string("inbox"), first);
  self->send(small_hub, atoms::subscribe_atom_v, std::string("inbox"), second);
  self->send(small_hub, atoms::publish_atom_v, std::string("inbox"), std::string("1"));
  sched.run();
  EXPECT_EQ(first_log->size(), 1u);
  EXPECT_TRUE(second_log->empty());
  for (const auto& a : {first, second})
    self->send(a, atoms::shutdown_atom_v);
  self->send_exit(small_hub, caf::exit_reason::user_shutdown);
  sched.run();
}

TEST_F(HubFixture, TerminatedSubscribersAreDropped) {
  auto log = std::make_shared<received>();
  auto subscriber = sys.spawn(recorder, log);
  self->send(hub, atoms::subscribe_atom_v, std::string("conversation:1"), subscriber);
  sched.run();
  EXPECT_EQ(count("conversation:1"), 1u);
  self->send(subscriber, atoms::shutdown_atom_v);
  sched.run();
  EXPECT_EQ(count("conversation:1"), 0u);
}

}  // namespace
}  // namespace crmd
