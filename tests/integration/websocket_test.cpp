// /ws on real sockets: an http_server with the app's WebSocket route, the hub and one client
// actor per connection, driven by Beast WebSocket clients (tests/support/ws_client).
#include "actors/hub_actor.hpp"
#include "app/ws_routes.hpp"
#include "net/http_server.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/ws_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <future>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

namespace crmd {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using testing::ws_client;

const ws_client::headers signed_in = {{"Cookie", "crm_session=good"}};

caf::actor_system_config& two_threads(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", static_cast<std::size_t>(2));
  return cfg;
}

class Websocket : public ::testing::Test {
 protected:
  ~Websocket() override {
    if (server_ && !shut_down_)
      shutdown().wait_for(10s);
    work_.reset();
    io_.stop();
    for (auto& thread : threads_)
      thread.join();
    server_.reset();
    system_.registry().erase(registry_keys::hub);
    caf::anon_send_exit(hub_, caf::exit_reason::user_shutdown);
  }

  void start(hub_options hub = {}, net::websocket_config websocket = {}) {
    hub_ = spawn_hub_actor(system_, hub);
    system_.registry().put(registry_keys::hub, hub_);
    net::router routes;
    // The session check stands in for the login's: one cookie value is signed in.
    app::add_ws_routes(routes, system_,
                       [](const net::http_request& request, std::function<void(bool)> done) {
                         done(request.header("cookie") == "crm_session=good");
                       });
    net::http_server_config config;
    config.address = "127.0.0.1";
    config.port = 0;
    config.websocket = websocket;
    server_ = std::make_unique<net::http_server>(io_, config, std::move(routes), metrics_);
    port_ = server_->start();
    for (int i = 0; i < 2; ++i)
      threads_.emplace_back([this] { io_.run(); });
  }

  std::future<void> shutdown() {
    auto done = std::make_shared<std::promise<void>>();
    auto future = done->get_future();
    server_->shutdown(5s, [done] { done->set_value(); });
    shut_down_ = true;
    return future;
  }

  // A signed-in client that has read its hello.
  std::unique_ptr<ws_client> connect(int receive_buffer = 0) {
    auto client = std::make_unique<ws_client>(port_, signed_in, "/ws", receive_buffer);
    EXPECT_EQ(client->read_json()["type"], "hello");
    return client;
  }

  void subscribe(ws_client& client, std::vector<std::string> topics) {
    client.send(json{{"type", "subscribe"}, {"topics", topics}});
    EXPECT_EQ(client.read_json(), (json{{"type", "subscribed"}, {"topics", topics}}));
  }

  void publish(const std::string& topic, const json& data, const std::string& event = "x.y") {
    caf::anon_send(hub_, atoms::publish_atom_v, topic, json{{"event", event}, {"data", data}}.dump());
  }

  hub_position position() {
    hub_position result;
    caf::scoped_actor self{system_};
    self->request(hub_, 10s, atoms::position_atom_v)
      .receive([&](hub_position& p) { result = std::move(p); },
               [](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
    return result;
  }

  double counter(const std::string& name) {
    for (const auto& family : metrics_.Collect())
      if (family.name == name && !family.metric.empty())
        return family.metric.front().counter.value;
    return -1;
  }

  caf::actor_system_config cfg_;
  caf::actor_system system_{two_threads(cfg_)};
  hub_actor hub_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
    boost::asio::make_work_guard(io_)};
  prometheus::Registry metrics_;
  std::unique_ptr<net::http_server> server_;
  std::vector<std::thread> threads_;
  std::uint16_t port_ = 0;
  bool shut_down_ = false;
};

TEST_F(Websocket, SaysHelloWithTheHubsEpochAndLatestSeq) {
  start();
  publish("inbox", 1);
  auto expected = position();
  ws_client client(port_, signed_in);
  EXPECT_EQ(client.read_json(), (json{{"type", "hello"},
                                      {"epoch", expected.epoch},
                                      {"seq", expected.seq},
                                      {"heartbeat_s", 20}}));
}

TEST_F(Websocket, DeliversPublishedEventsWithTheirSeq) {
  start();
  auto client = connect();
  subscribe(*client, {"inbox"});
  auto before = position();
  publish("inbox", {{"id", 7}}, "activity.created");
  EXPECT_EQ(client->read_json(), (json{{"type", "event"},
                                       {"seq", before.seq + 1},
                                       {"topic", "inbox"},
                                       {"event", "activity.created"},
                                       {"data", {{"id", 7}}}}));
}

TEST_F(Websocket, UnsubscribeStopsTheTopicsEvents) {
  start();
  auto client = connect();
  subscribe(*client, {"inbox", "imports"});
  client->send(json{{"type", "unsubscribe"}, {"topics", {"inbox"}}});
  EXPECT_EQ(client->read_json(), (json{{"type", "unsubscribed"}, {"topics", {"inbox"}}}));
  auto before = position();
  publish("inbox", "dropped");
  publish("imports", "kept");
  auto frame = client->read_json();
  EXPECT_EQ(frame["seq"], before.seq + 2);
  EXPECT_EQ(frame["topic"], "imports");
}

TEST_F(Websocket, ResumeReplaysExactlyTheMissedEventsOfItsTopics) {
  start();
  auto start_at = position();
  publish("inbox", 1);            // seen by the client before it went away
  publish("conversation:1", 2);   // missed
  publish("imports", 3);          // missed, but not asked for
  publish("inbox", 4);            // missed
  auto client = connect();
  client->send(json{{"type", "resume"},
                    {"epoch", start_at.epoch},
                    {"since", start_at.seq + 1},
                    {"topics", {"inbox", "conversation:1"}}});
  auto first = client->read_json();
  EXPECT_EQ(first["seq"], start_at.seq + 2);
  EXPECT_EQ(first["topic"], "conversation:1");
  EXPECT_EQ(first["data"], 2);
  auto second = client->read_json();
  EXPECT_EQ(second["seq"], start_at.seq + 4);
  EXPECT_EQ(second["data"], 4);
  EXPECT_EQ(client->read_json(), (json{{"type", "resumed"}, {"seq", start_at.seq + 4}}));
  publish("inbox", 5);
  auto live = client->read_json();
  EXPECT_EQ(live["seq"], start_at.seq + 5);
  EXPECT_EQ(live["data"], 5);
}

TEST_F(Websocket, ResumeInAnotherEpochResyncsAndStaysSubscribed) {
  start();
  publish("inbox", 1);
  auto client = connect();
  client->send(
    json{{"type", "resume"}, {"epoch", "0000000000000000"}, {"since", 1}, {"topics", {"inbox"}}});
  EXPECT_EQ(client->read_json(), (json{{"type", "resync"}, {"reason", "epoch"}}));
  publish("inbox", 2);
  EXPECT_EQ(client->read_json()["data"], 2);
}

TEST_F(Websocket, ResumePastTheRetainedEventsResyncs) {
  start({.replay_events = 2});
  auto start_at = position();
  for (int i = 1; i <= 4; ++i)
    publish("inbox", i);
  auto client = connect();
  client->send(json{
    {"type", "resume"}, {"epoch", start_at.epoch}, {"since", start_at.seq}, {"topics", {"inbox"}}});
  EXPECT_EQ(client->read_json(), (json{{"type", "resync"}, {"reason", "evicted"}}));
}

TEST_F(Websocket, AnInvalidFrameGetsAnErrorAndTheConnectionStays) {
  start();
  auto client = connect();
  client->send(std::string("nope"));
  auto error = client->read_json();
  EXPECT_EQ(error["type"], "error");
  EXPECT_EQ(error["code"], "invalid_message");
  client->send(json{{"type", "subscribe"}, {"topics", {"contacts"}}});
  EXPECT_EQ(client->read_json()["code"], "unknown_topic");
  client->send(json{{"type", "ping"}});
  EXPECT_EQ(client->read_json(), (json{{"type", "pong"}}));
}

TEST_F(Websocket, AnUnauthenticatedUpgradeIsRefusedWith401) {
  start();
  try {
    ws_client client(port_, {{"Cookie", "crm_session=stale"}});
    FAIL() << "the upgrade was accepted";
  } catch (const testing::ws_refused& refused) {
    EXPECT_EQ(refused.status, 401u);
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "unauthenticated");
  }
}

TEST_F(Websocket, AnOriginOfAnotherSiteIsRefusedWith403) {
  start();
  auto headers = signed_in;
  headers.emplace_back("Origin", "http://evil.example");
  try {
    ws_client client(port_, headers);
    FAIL() << "the upgrade was accepted";
  } catch (const testing::ws_refused& refused) {
    EXPECT_EQ(refused.status, 403u);
    EXPECT_EQ(json::parse(refused.body)["error"]["code"], "bad_origin");
  }
  auto same_site = signed_in;
  same_site.emplace_back("Origin", "http://127.0.0.1:" + std::to_string(port_));
  ws_client client(port_, same_site);
  EXPECT_EQ(client.read_json()["type"], "hello");
}

TEST_F(Websocket, APlainRequestIsAskedToUpgrade) {
  start();
  auto reply = testing::http_get(port_, "/ws");
  EXPECT_EQ(reply.status, 426u);
  EXPECT_EQ(json::parse(reply.body)["error"]["code"], "upgrade_required");
}

TEST_F(Websocket, AClientThatNeverReadsIsClosedWith1008WhileOthersGetEveryEvent) {
  // The close handshake waits for the slow client to start reading at the end of the test.
  start({.replay_events = 16},
        {.queue_frames = 16, .queue_bytes = 256 * 1024, .close_timeout = 120s});
  auto fast = connect();
  auto slow = connect(4096);
  subscribe(*fast, {"inbox"});
  subscribe(*slow, {"inbox"});
  const std::string filler(16 * 1024, 'x');
  std::uint64_t last_seq = 0;
  int published = 0;
  // Publish one at a time, each read by the fast client, until the slow one overflows.
  while (counter("crmd_ws_slow_disconnects_total") < 1 && published < 20000) {
    publish("inbox", {{"n", ++published}, {"filler", filler}});
    auto frame = fast->read_json();
    ASSERT_EQ(frame["data"]["n"], published);
    if (last_seq != 0) {
      ASSERT_EQ(frame["seq"], last_seq + 1);
    }
    last_seq = frame["seq"];
  }
  EXPECT_EQ(counter("crmd_ws_slow_disconnects_total"), 1);
  for (int i = 1; i <= 3; ++i) {
    publish("inbox", {{"after", i}});
    auto frame = fast->read_json();
    EXPECT_EQ(frame["seq"], last_seq + i);
    EXPECT_EQ(frame["data"]["after"], i);
  }
  EXPECT_EQ(slow->read_until_closed(), 1008);
}

TEST_F(Websocket, ShutdownClosesClientsWithGoingAway) {
  start();
  auto client = connect();
  auto done = shutdown();
  EXPECT_EQ(client->read_until_closed(), 1001);
  EXPECT_EQ(done.wait_for(10s), std::future_status::ready);
}

}  // namespace
}  // namespace crmd
