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

using received = std::vector<hub_event>;

caf::behavior recorder(caf::event_based_actor* self, std::shared_ptr<received> log) {
  return {
    [log](atoms::hub_event_atom, const std::string& topic, std::uint64_t seq,
          const std::string& payload) { log->push_back({seq, topic, payload}); },
    [self](atoms::shutdown_atom) { self->quit(); },
  };
}

std::vector<std::uint64_t> seqs_of(const std::vector<hub_event>& events) {
  std::vector<std::uint64_t> seqs;
  for (const auto& event : events)
    seqs.push_back(event.seq);
  return seqs;
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

  hub_position position(const hub_actor& target) {
    hub_position result{"unanswered", 99};
    auto handle = self->request(target, caf::infinite, atoms::position_atom_v);
    sched.run();
    handle.receive([&](hub_position& p) { result = std::move(p); },
                   [](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return result;
  }

  hub_replay replay(const hub_actor& target, const std::string& epoch, std::uint64_t since,
                    std::vector<std::string> topics) {
    hub_replay result{.reason = "unanswered"};
    auto handle = self->request(target, caf::infinite, atoms::replay_atom_v, epoch, since,
                                std::move(topics));
    sched.run();
    handle.receive([&](hub_replay& r) { result = std::move(r); },
                   [](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return result;
  }

  void publish(const hub_actor& target, const std::string& topic, const std::string& payload) {
    self->send(target, atoms::publish_atom_v, topic, payload);
    sched.run();
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
  EXPECT_EQ(inbox_log->front().topic, "inbox");
  EXPECT_EQ(inbox_log->front().payload, R"({"event":"x"})");
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
  auto small_hub = spawn_hub_actor(sys, {.max_subscribers_per_topic = 1});
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

TEST_F(HubFixture, SeqGrowsByOnePerPublishAcrossTopics) {
  auto log = std::make_shared<received>();
  auto subscriber = sys.spawn(recorder, log);
  self->send(hub, atoms::subscribe_atom_v, std::string("inbox"), subscriber);
  auto start = position(hub);
  publish(hub, "inbox", "a");
  publish(hub, "imports", "b");  // nobody listens, it still takes a seq
  publish(hub, "inbox", "c");
  EXPECT_EQ(seqs_of(*log), (std::vector<std::uint64_t>{start.seq + 1, start.seq + 3}));
  auto now = position(hub);
  EXPECT_EQ(now.epoch, start.epoch);
  EXPECT_EQ(now.seq, start.seq + 3);
  self->send(subscriber, atoms::shutdown_atom_v);
  sched.run();
}

TEST_F(HubFixture, EachHubRunHasItsOwnEpoch) {
  auto other = spawn_hub_actor(sys);
  auto mine = position(hub);
  auto theirs = position(other);
  EXPECT_EQ(mine.epoch.size(), 16u);
  EXPECT_NE(mine.epoch, theirs.epoch);
  EXPECT_EQ(theirs.seq, 0u);
  self->send_exit(other, caf::exit_reason::user_shutdown);
  sched.run();
}

TEST_F(HubFixture, ReplayAnswersTheMissedEventsOfTheTopicsInOrder) {
  auto start = position(hub);
  publish(hub, "inbox", "1");
  publish(hub, "conversation:4", "2");
  publish(hub, "imports", "3");
  publish(hub, "inbox", "4");
  auto answer = replay(hub, start.epoch, start.seq + 1, {"inbox", "conversation:4"});
  EXPECT_FALSE(answer.gone);
  EXPECT_EQ(answer.latest, start.seq + 4);
  ASSERT_EQ(seqs_of(answer.events), (std::vector<std::uint64_t>{start.seq + 2, start.seq + 4}));
  EXPECT_EQ(answer.events[0].topic, "conversation:4");
  EXPECT_EQ(answer.events[0].payload, "2");
  EXPECT_EQ(answer.events[1].payload, "4");
}

TEST_F(HubFixture, ReplaySinceTheLatestSeqIsEmpty) {
  publish(hub, "inbox", "1");
  auto now = position(hub);
  auto answer = replay(hub, now.epoch, now.seq, {"inbox"});
  EXPECT_FALSE(answer.gone);
  EXPECT_TRUE(answer.events.empty());
  EXPECT_EQ(answer.latest, now.seq);
}

TEST_F(HubFixture, ReplayOfAnotherEpochIsGone) {
  publish(hub, "inbox", "1");
  auto answer = replay(hub, "0000000000000000", 0, {"inbox"});
  EXPECT_TRUE(answer.gone);
  EXPECT_EQ(answer.reason, "epoch");
  EXPECT_TRUE(answer.events.empty());
}

TEST_F(HubFixture, ReplayFromTheFutureIsGone) {
  auto now = position(hub);
  auto answer = replay(hub, now.epoch, now.seq + 1, {"inbox"});
  EXPECT_TRUE(answer.gone);
}

TEST_F(HubFixture, ReplayPastTheRetainedEventsIsGone) {
  auto small_hub = spawn_hub_actor(sys, {.replay_events = 2});
  auto start = position(small_hub);
  for (const char* payload : {"1", "2", "3"})
    publish(small_hub, "inbox", payload);
  // seq start+1 was evicted: a client that saw only `start` missed it.
  auto lost = replay(small_hub, start.epoch, start.seq, {"inbox"});
  EXPECT_TRUE(lost.gone);
  EXPECT_EQ(lost.reason, "evicted");
  // A client that saw start+1 missed only what is still retained.
  auto kept = replay(small_hub, start.epoch, start.seq + 1, {"inbox"});
  EXPECT_FALSE(kept.gone);
  EXPECT_EQ(seqs_of(kept.events), (std::vector<std::uint64_t>{start.seq + 2, start.seq + 3}));
  self->send_exit(small_hub, caf::exit_reason::user_shutdown);
  sched.run();
}

}  // namespace
}  // namespace crmd
