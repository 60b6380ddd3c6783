#include "actors/hub_actor.hpp"
#include "actors/ws_client_actor.hpp"
#include "tests/support/caf_testing.hpp"

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace crmd {
namespace {

using json = nlohmann::json;

// The deterministic scheduler runs everything on the test thread, so plain members suffice.
struct recording_connection : net::ws_connection {
  std::vector<json> sent;
  std::optional<std::uint16_t> closed;

  bool send(std::string text) override {
    sent.push_back(json::parse(text));
    return true;
  }
  void close(std::uint16_t code, std::string) override { closed = code; }
};

struct WsClientFixture : ::testing::Test {
  caf::actor_system_config cfg;
  caf::actor_system sys{crmd::testing::deterministic(cfg)};
  caf::scoped_actor self{sys, true};
  caf::scheduler::test_coordinator& sched
    = dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler());
  hub_actor hub = spawn_hub_actor(sys);
  std::shared_ptr<recording_connection> connection = std::make_shared<recording_connection>();
  std::optional<ws_client_actor> client;

  WsClientFixture() { sys.registry().put(registry_keys::hub, hub); }

  ~WsClientFixture() override {
    if (client)
      self->send(*client, atoms::ws_closed_atom_v);
    self->send_exit(hub, caf::exit_reason::user_shutdown);
    sys.registry().erase(registry_keys::hub);
    sched.run();
  }

  // A client past its hello.
  void start() {
    client = spawn_ws_client(sys, connection);
    sched.run();
    auto hello = take();
    ASSERT_EQ(hello.size(), 1u);
    EXPECT_EQ(hello[0]["type"], "hello");
  }

  void frame(const json& text) { self->send(*client, atoms::ws_frame_atom_v, text.dump()); }

  void publish(const std::string& topic, int n) {
    self->send(hub, atoms::publish_atom_v, topic,
               json{{"event", "x.y"}, {"data", n}}.dump());
  }

  hub_position position() {
    hub_position result;
    auto handle = self->request(hub, caf::infinite, atoms::position_atom_v);
    sched.run();
    handle.receive([&](hub_position& p) { result = std::move(p); },
                   [](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return result;
  }

  // The frames sent since the last call.
  std::vector<json> take() {
    auto frames = std::move(connection->sent);
    connection->sent.clear();
    return frames;
  }

  std::uint64_t subscribers(const std::string& topic) {
    std::uint64_t result = 99;
    auto handle = self->request(hub, caf::infinite, atoms::count_atom_v, topic);
    sched.run();
    handle.receive([&](std::uint64_t n) { result = n; }, [](caf::error&) {});
    return result;
  }
};

json event(std::uint64_t seq, const std::string& topic, int n) {
  return {{"type", "event"}, {"seq", seq}, {"topic", topic}, {"event", "x.y"}, {"data", n}};
}

TEST_F(WsClientFixture, SaysHelloBeforeAnsweringAnything) {
  publish("inbox", 1);
  client = spawn_ws_client(sys, connection, {.heartbeat_s = 7});
  frame({{"type", "ping"}});
  sched.run();
  auto now = position();
  EXPECT_EQ(take(), (std::vector<json>{{{"type", "hello"},
                                        {"epoch", now.epoch},
                                        {"seq", now.seq},
                                        {"heartbeat_s", 7}},
                                       {{"type", "pong"}}}));
}

TEST_F(WsClientFixture, ForwardsEventsOfItsTopicsOnly) {
  start();
  auto start_at = position();
  frame({{"type", "subscribe"}, {"topics", {"inbox"}}});
  sched.run();
  publish("imports", 1);
  publish("inbox", 2);
  sched.run();
  take();
  frame({{"type", "unsubscribe"}, {"topics", {"inbox"}}});
  publish("inbox", 3);
  sched.run();
  EXPECT_EQ(subscribers("inbox"), 0u);
  publish("inbox", 4);
  sched.run();
  auto frames = take();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0]["type"], "unsubscribed");
  frame({{"type", "subscribe"}, {"topics", {"inbox"}}});
  sched.run();
  publish("inbox", 5);
  sched.run();
  EXPECT_EQ(take().back(), event(start_at.seq + 5, "inbox", 5));
}

TEST_F(WsClientFixture, ResumeNeverSendsAnEventTwice) {
  start();
  auto start_at = position();
  frame({{"type", "subscribe"}, {"topics", {"inbox"}}});
  sched.run();
  publish("inbox", 1);
  publish("conversation:9", 2);
  sched.run();
  take();
  // The next publish reaches the hub before the resume's subscription and replay request: the
  // client gets it live while the replay is in flight, and the replay has it too.
  frame({{"type", "resume"},
         {"epoch", start_at.epoch},
         {"since", start_at.seq},
         {"topics", {"inbox", "conversation:9"}}});
  publish("inbox", 3);
  sched.prioritize(*client);
  sched.run_once();
  sched.run();
  EXPECT_EQ(take(), (std::vector<json>{event(start_at.seq + 2, "conversation:9", 2),
                                       event(start_at.seq + 3, "inbox", 3),
                                       {{"type", "resumed"}, {"seq", start_at.seq + 3}}}));
}

TEST_F(WsClientFixture, FramesWaitWhileAReplayIsInFlight) {
  start();
  auto start_at = position();
  publish("inbox", 1);
  frame({{"type", "resume"}, {"epoch", start_at.epoch}, {"since", start_at.seq},
         {"topics", {"inbox"}}});
  frame({{"type", "ping"}});
  sched.run();
  EXPECT_EQ(take(), (std::vector<json>{event(start_at.seq + 1, "inbox", 1),
                                       {{"type", "resumed"}, {"seq", start_at.seq + 1}},
                                       {{"type", "pong"}}}));
}

TEST_F(WsClientFixture, ResumeOfAnotherEpochResyncsButSubscribes) {
  start();
  frame({{"type", "resume"}, {"epoch", "other"}, {"since", 0}, {"topics", {"sync"}}});
  sched.run();
  EXPECT_EQ(take(), (std::vector<json>{{{"type", "resync"}, {"reason", "epoch"}}}));
  EXPECT_EQ(subscribers("sync"), 1u);
}

TEST_F(WsClientFixture, AConnectionHoldsAtMostFiftyTopics) {
  start();
  json topics = json::array();
  for (int i = 1; i <= 50; ++i)
    topics.push_back("conversation:" + std::to_string(i));
  frame({{"type", "subscribe"}, {"topics", topics}});
  frame({{"type", "subscribe"}, {"topics", {"inbox"}}});
  sched.run();
  auto frames = take();
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0]["type"], "subscribed");
  EXPECT_EQ(frames[1]["code"], "too_many_topics");
  EXPECT_EQ(subscribers("inbox"), 0u);
}

TEST_F(WsClientFixture, TheHubDropsTheClientWhenTheConnectionCloses) {
  start();
  frame({{"type", "subscribe"}, {"topics", {"inbox"}}});
  sched.run();
  EXPECT_EQ(subscribers("inbox"), 1u);
  self->send(*client, atoms::ws_closed_atom_v);
  sched.run();
  client.reset();
  EXPECT_EQ(subscribers("inbox"), 0u);
  EXPECT_FALSE(connection->closed);
}

TEST_F(WsClientFixture, AClosedClientLeavesNothingInTheHub) {
  start();
  auto weak = caf::actor_cast<caf::weak_actor_ptr>(*client);
  auto* control = caf::actor_cast<caf::actor_control_block*>(*client);
  self->send(*client, atoms::ws_closed_atom_v);
  sched.run();
  client.reset();
  sched.run();
  // Only `weak` is left: nothing in the long-lived hub (a monitor, a subscription) still
  // refers to the ended client, so its memory goes once `weak` does.
  EXPECT_EQ(control->strong_refs.load(), 0u);
  EXPECT_EQ(control->weak_refs.load(), 1u);
}

TEST_F(WsClientFixture, ClosesTheConnectionWhenTheHubGoesDown) {
  start();
  self->send_exit(hub, caf::exit_reason::kill);
  sched.run();
  EXPECT_EQ(connection->closed, std::optional<std::uint16_t>(net::ws_close_code::service_restart));
  client.reset();
}

}  // namespace
}  // namespace crmd
