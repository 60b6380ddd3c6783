// The webhook actors with the real pool and PostgreSQL: the intake applies what it stores before
// it answers and hands a failed apply to the conversation actors; events are applied and
// published on the hub, stored-but-unapplied events are re-driven at start, idle actors
// passivate, and an event that keeps failing ends dead.
#include "actors/conversation_registry_actor.hpp"
#include "actors/db_actor.hpp"
#include "actors/hub_actor.hpp"
#include "actors/webhook_apply_actor.hpp"
#include "actors/webhook_intake_actor.hpp"
#include "actors/webhook_metrics.hpp"
#include "storage/event_statements.hpp"
#include "storage/migrator.hpp"
#include "storage/pg_pool.hpp"
#include "tests/support/sync_pool.hpp"
#include "tests/support/test_database.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <future>
#include <map>
#include <mutex>
#include <thread>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;

caf::actor_system_config& two_threads(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", size_t{2});
  return cfg;
}

domain::webhook_event message_event(const std::string& event_id, const std::string& activity_id,
                                    const std::string& party, const std::string& status) {
  domain::activity_change change;
  change.openphone_id = activity_id;
  change.activity_type = "message";
  change.direction = "incoming";
  change.status = status;
  change.from_number = party;
  change.to_numbers = {"+15085550199"};
  change.participants = {party};
  change.phone_number_id = "PN1";
  change.body = "hello";
  change.occurred_at = "2025-05-01T14:00:00.000Z";
  return {event_id, "message.received", "v3", "2025-05-01T14:00:01.000Z", change};
}

class WebhookActors : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<test_database>("webhook_actors");
    ASSERT_TRUE(std::holds_alternative<storage::migrate_report>(storage::migrate(database_->url())));
    helper_ = std::make_unique<sync_pool>(database_->url());
    pool_ = std::make_unique<storage::pg_pool>(
      io_, storage::pg_pool_config{.conninfo = database_->url(), .size = 2}, metrics_);
    pool_->start();
    io_thread_ = std::thread([this] { io_.run(); });
    db_ = spawn_db_actor(system_, *pool_);
    hub_ = spawn_hub_actor(system_);
    system_.registry().put(registry_keys::db, db_);
    system_.registry().put(registry_keys::hub, hub_);
  }

  void TearDown() override {
    for (auto key : {registry_keys::db, registry_keys::hub, registry_keys::conversations})
      system_.registry().erase(key);
    for (const caf::actor& a : {intake_, registry_, caf::actor_cast<caf::actor>(hub_),
                                caf::actor_cast<caf::actor>(db_)})
      if (a)
        caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    system_.await_all_actors_done();
    std::promise<void> stopped;
    pool_->stop([&stopped] { stopped.set_value(); });
    stopped.get_future().wait();
    work_.reset();
    io_.stop();
    io_thread_.join();
    helper_.reset();
    database_.reset();
  }

  // Stored payloads are stand-ins ({"id": …}); the registry re-parses them through this lookup of
  // the events the test stored, since its start-up re-drive may find them before the test applies.
  conversation_registry_options options_with_lookup() {
    conversation_registry_options options;
    options.parse = [known = known_](std::string_view raw) -> std::optional<domain::webhook_event> {
      auto id = nlohmann::json::parse(raw)["id"].get<std::string>();
      std::lock_guard<std::mutex> lock(known->mutex);
      auto it = known->events.find(id);
      return it == known->events.end() ? std::nullopt : std::optional{it->second};
    };
    return options;
  }

  // Two attempts, retried within milliseconds: an event that keeps failing is dead at once.
  conversation_registry_options failing_fast() {
    auto options = options_with_lookup();
    options.conversation.max_attempts = 2;
    options.conversation.retry_min = 10ms;
    options.conversation.retry_max = 20ms;
    return options;
  }

  void start_registry(conversation_registry_options options) {
    registry_ = spawn_conversation_registry(system_, std::move(options), webhooks_);
    system_.registry().put(registry_keys::conversations, registry_);
  }

  // Lets the registry parse `event` again and returns the stand-in payload to store for it.
  std::string remember(const domain::webhook_event& event) {
    std::lock_guard<std::mutex> lock(known_->mutex);
    known_->events[event.event_id] = event;
    return R"({"id":")" + event.event_id + "\"}";
  }

  std::int64_t store(const domain::webhook_event& event) {
    auto outcome = helper_->run({storage::insert_inbox_rows(
      {{event.event_id, event.event_type, event.api_version, remember(event), "received", "",
        ""}})});
    EXPECT_TRUE(outcome.ok());
    return std::stoll(*outcome.results[0].rows[0][0]);
  }

  // Hands one delivery to `intake_` as the webhook route does and waits for its answer.
  ingest_reply submit(const domain::webhook_event& event) {
    auto answered = std::make_shared<std::promise<ingest_reply>>();
    auto answer = answered->get_future();
    caf::anon_send(intake_, atoms::ingest_atom_v,
                   webhook_submission{remember(event), event,
                                      [answered](ingest_reply reply) { answered->set_value(reply); }});
    if (answer.wait_for(30s) != std::future_status::ready) {
      ADD_FAILURE() << "the intake did not answer " << event.event_id;
      return {};
    }
    return answer.get();
  }

  // Polls a scalar query until it equals `expected` or 15 s pass; returns the last value.
  std::string wait_for(const std::string& sql, const std::string& expected) {
    std::string value;
    for (int i = 0; i < 300; ++i) {
      value = database_->scalar(sql);
      if (value == expected)
        break;
      std::this_thread::sleep_for(50ms);
    }
    return value;
  }

  struct known_events {
    std::mutex mutex;
    std::map<std::string, domain::webhook_event> events;
  };

  std::shared_ptr<known_events> known_ = std::make_shared<known_events>();
  std::unique_ptr<test_database> database_;
  std::unique_ptr<sync_pool> helper_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
    boost::asio::make_work_guard(io_)};
  prometheus::Registry metrics_;
  webhook_metrics webhooks_{metrics_};
  std::unique_ptr<storage::pg_pool> pool_;
  std::thread io_thread_;
  caf::actor_system_config cfg_;
  caf::actor_system system_{two_threads(cfg_)};
  db_actor db_;
  hub_actor hub_;
  caf::actor registry_;
  caf::actor intake_;
};

TEST_F(WebhookActors, AppliesAndPublishesOnInboxAndConversationTopics) {
  start_registry(options_with_lookup());
  caf::scoped_actor subscriber{system_};
  subscriber->send(hub_, atoms::subscribe_atom_v, std::string("inbox"),
                   caf::actor_cast<caf::actor>(subscriber));
  auto event = message_event("EVa1", "ACa1", "+15085550300", "received");
  auto row = store(event);
  subscriber->send(registry_, atoms::apply_atom_v, webhook_job{row, event});
  std::string frame;
  subscriber->receive(
    [&](atoms::hub_event_atom, const std::string& topic, std::uint64_t,
        const std::string& payload) {
      EXPECT_EQ(topic, "inbox");
      frame = payload;
    },
    caf::after(15s) >> [] { FAIL() << "nothing published"; });
  auto parsed = nlohmann::json::parse(frame);
  EXPECT_EQ(parsed["event"], "activity.created");
  EXPECT_EQ(parsed["data"]["openphone_id"], "ACa1");
  EXPECT_EQ(database_->scalar("SELECT status FROM webhook_events WHERE id = " + std::to_string(row)),
            "processed");
}

// The transaction that stores an event applies it: when the delivery is answered, the activity
// is committed and its frame published, and nothing is left for the conversation actors.
TEST_F(WebhookActors, TheIntakeAppliesWhatItStoresBeforeItAnswers) {
  start_registry(options_with_lookup());
  intake_ = spawn_webhook_intake_actor(system_, {}, webhooks_);
  caf::scoped_actor subscriber{system_};
  subscriber->send(hub_, atoms::subscribe_atom_v, std::string("inbox"),
                   caf::actor_cast<caf::actor>(subscriber));
  auto event = message_event("EVi1", "ACi1", "+15085550320", "received");
  auto reply = submit(event);
  ASSERT_EQ(reply.result, ingest_reply::outcome::stored);
  EXPECT_EQ(database_->scalar("SELECT status FROM webhook_events WHERE id = "
                              + std::to_string(reply.row_id)),
            "processed");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACi1'"), "1");
  std::vector<std::string> events;
  for (int frames = 0; frames < 2; ++frames)
    subscriber->receive(
      [&](atoms::hub_event_atom, const std::string&, std::uint64_t, const std::string& payload) {
        events.push_back(nlohmann::json::parse(payload)["event"]);
      },
      caf::after(15s) >> [] { ADD_FAILURE() << "no frame published"; });
  EXPECT_EQ(events, (std::vector<std::string>{"activity.created", "conversation.updated"}));
  EXPECT_EQ(webhooks_.applied("processed").Value(), 1);
  EXPECT_EQ(webhooks_.applied("handed_on").Value(), 0);
  EXPECT_EQ(submit(event).result, ingest_reply::outcome::duplicate);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM webhook_events WHERE event_id = 'EVi1'"), "1");
}

// An apply that fails rolls back alone: the event stays stored, is acknowledged, and its
// conversation actor takes it over, which counts its attempts until it is dead.
TEST_F(WebhookActors, AFailedApplyInTheIntakeLeavesTheEventToItsConversationActor) {
  start_registry(failing_fast());
  intake_ = spawn_webhook_intake_actor(system_, {}, webhooks_);
  auto event = message_event("EVi2", "ACi2", "+15085550321", "teleported");
  EXPECT_EQ(submit(event).result, ingest_reply::outcome::stored);
  EXPECT_EQ(wait_for("SELECT concat_ws(',', status, attempts, error_code) FROM webhook_events "
                     "WHERE event_id = 'EVi2'",
                     "dead,2,sqlstate_23514"),
            "dead,2,sqlstate_23514");
  // Counted when the event was handed on, which follows the answer.
  EXPECT_EQ(webhooks_.applied("handed_on").Value(), 1);
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACi2'"), "0");
}

// A row another transaction holds does not hold back the answer past the apply's lock timeout:
// the event is acknowledged as stored and applied by its conversation actor once the row is free.
TEST_F(WebhookActors, ARowHeldElsewhereDoesNotHoldBackTheIntakesAnswer) {
  start_registry(options_with_lookup());
  intake_ = spawn_webhook_intake_actor(system_, {.apply_lock_timeout = 50ms}, webhooks_);
  const std::string party = "+15085550322";
  ASSERT_EQ(submit(message_event("EVi3a", "ACi3", party, "sent")).result,
            ingest_reply::outcome::stored);
  std::unique_ptr<PGconn, decltype(&PQfinish)> holder{PQconnectdb(database_->url().c_str()),
                                                      &PQfinish};
  for (const char* sql :
       {"BEGIN", "SELECT 1 FROM activities WHERE openphone_id = 'ACi3' FOR UPDATE"})
    PQclear(PQexec(holder.get(), sql));
  EXPECT_EQ(submit(message_event("EVi3b", "ACi3", party, "delivered")).result,
            ingest_reply::outcome::stored);
  EXPECT_EQ(database_->scalar("SELECT status FROM webhook_events WHERE event_id = 'EVi3b'"),
            "received");
  PQclear(PQexec(holder.get(), "COMMIT"));
  EXPECT_EQ(wait_for("SELECT status FROM webhook_events WHERE event_id = 'EVi3b'", "processed"),
            "processed");
  EXPECT_EQ(webhooks_.applied("handed_on").Value(), 1);
  EXPECT_EQ(database_->scalar("SELECT status FROM activities WHERE openphone_id = 'ACi3'"),
            "delivered");
}

TEST_F(WebhookActors, RedrivesStoredEventsAtStart) {
  auto first = message_event("EVr1", "ACr1", "+15085550301", "received");
  auto second = message_event("EVr2", "ACr2", "+15085550302", "received");
  store(first);
  store(second);
  start_registry(options_with_lookup());
  EXPECT_EQ(wait_for("SELECT count(*) FROM webhook_events WHERE status = 'processed'", "2"), "2");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE openphone_id IN "
                              "('ACr1','ACr2')"),
            "2");
}

TEST_F(WebhookActors, IdleConversationActorsPassivate) {
  auto options = options_with_lookup();
  options.idle_timeout = 200ms;
  start_registry(options);
  auto event = message_event("EVp1", "ACp1", "+15085550303", "received");
  caf::scoped_actor self{system_};
  self->send(registry_, atoms::apply_atom_v, webhook_job{store(event), event});
  ASSERT_EQ(wait_for("SELECT status FROM webhook_events WHERE event_id = 'EVp1'", "processed"),
            "processed");
  std::uint64_t live = 99;
  for (int i = 0; i < 100 && live != 0; ++i) {
    std::this_thread::sleep_for(50ms);
    self->request(registry_, 5s, atoms::count_atom_v)
      .receive([&](std::uint64_t n) { live = n; },
               [](caf::error& e) { ADD_FAILURE() << caf::to_string(e); });
  }
  EXPECT_EQ(live, 0u);
}

TEST_F(WebhookActors, AnEventThatKeepsFailingEndsDead) {
  start_registry(failing_fast());
  // A status outside the schema's set violates a CHECK constraint on every attempt.
  auto event = message_event("EVd1", "ACd1", "+15085550304", "teleported");
  caf::scoped_actor self{system_};
  self->send(registry_, atoms::apply_atom_v, webhook_job{store(event), event});
  EXPECT_EQ(wait_for("SELECT concat_ws(',', status, attempts) FROM webhook_events WHERE "
                     "event_id = 'EVd1'",
                     "dead,2"),
            "dead,2");
  EXPECT_EQ(database_->scalar("SELECT error_code FROM webhook_events WHERE event_id = 'EVd1'"),
            "sqlstate_23514");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACd1'"), "0");
}

TEST_F(WebhookActors, ABadEventInAGroupDoesNotHoldBackItsNeighbours) {
  start_registry(failing_fast());
  const std::string party = "+15085550305";
  std::vector<domain::webhook_event> events{
    message_event("EVg1", "ACg1", party, "received"), message_event("EVg2", "ACg2", party, "received"),
    message_event("EVg3", "ACg3", party, "teleported"),
    message_event("EVg4", "ACg4", party, "received"), message_event("EVg5", "ACg5", party, "received")};
  std::vector<webhook_job> jobs;
  for (const auto& event : events)
    jobs.push_back({store(event), event});
  caf::scoped_actor self{system_};
  // Sent back to back: while the first applies, the rest queue and go as one group.
  for (auto& job : jobs)
    self->send(registry_, atoms::apply_atom_v, std::move(job));
  EXPECT_EQ(wait_for("SELECT string_agg(event_id || '=' || status, ',' ORDER BY event_id) FROM "
                     "webhook_events WHERE event_id LIKE 'EVg%'",
                     "EVg1=processed,EVg2=processed,EVg3=dead,EVg4=processed,EVg5=processed"),
            "EVg1=processed,EVg2=processed,EVg3=dead,EVg4=processed,EVg5=processed");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE openphone_id LIKE 'ACg%'"), "4");
}

// Past max_inflight, new events are not held in memory: they stay received in the database and
// the periodic re-drive applies them once there is room.
TEST_F(WebhookActors, EventsPastTheInflightLimitWaitInTheDatabaseForTheRedrive) {
  auto options = options_with_lookup();
  options.max_inflight = 1;
  options.redrive_min_age = 0ms;
  options.redrive_interval = 300ms;
  // Stored first, so the start-up re-drive does not see them: they arrive as new events do.
  start_registry(options);
  std::this_thread::sleep_for(200ms);
  caf::scoped_actor sender{system_};
  std::vector<std::int64_t> rows;
  for (int i = 0; i < 6; ++i) {
    auto event = message_event("EVd" + std::to_string(i), "ACd" + std::to_string(i),
                               "+1508555031" + std::to_string(i), "received");
    rows.push_back(store(event));
    sender->send(registry_, atoms::apply_atom_v, webhook_job{rows.back(), event});
  }
  EXPECT_EQ(wait_for("SELECT count(*) FROM webhook_events WHERE status = 'processed' AND "
                     "event_id LIKE 'EVd%'",
                     "6"),
            "6");
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE openphone_id LIKE 'ACd%'"),
            "6");
  EXPECT_GT(webhooks_.applied("deferred").Value(), 0) << "no event was deferred";
}

// The applier shares transactions between conversations' groups: every group gets exactly its
// own rows back, and a bad group in a shared transaction fails alone while the others land.
TEST_F(WebhookActors, TheApplierSharesTransactionsButFailsOnlyTheBadGroup) {
  auto applier = spawn_webhook_apply_actor(system_, {.max_in_flight = 1});
  std::vector<domain::webhook_event> events;
  for (int i = 0; i < 6; ++i)
    events.push_back(message_event("EVap" + std::to_string(i), "ACap" + std::to_string(i),
                                   "+1508555017" + std::to_string(i), "received"));
  auto bad = std::get<domain::activity_change>(events[3].change);
  bad.from_number = "not-a-number";
  events[3].change = bad;
  std::vector<std::future<storage::pg_outcome>> replies;
  for (auto& event : events) {
    auto row_id = store(event);
    apply_request request{storage::apply_events_json({{row_id, &event}}), {row_id}};
    replies.push_back(std::async(std::launch::async, [this, applier, request] {
      caf::scoped_actor self{system_};
      storage::pg_outcome outcome;
      self->request(applier, std::chrono::seconds(30), atoms::apply_atom_v, request)
        .receive([&](storage::pg_outcome& reply) { outcome = std::move(reply); },
                 [&](caf::error& error) {
                   outcome.error = storage::pg_error{"caf", "", caf::to_string(error)};
                 });
      return outcome;
    }));
  }
  for (std::size_t i = 0; i < replies.size(); ++i) {
    auto outcome = replies[i].get();
    if (i == 3) {
      ASSERT_FALSE(outcome.ok());
      EXPECT_EQ(outcome.error->sqlstate, "23514");
      continue;
    }
    ASSERT_TRUE(outcome.ok()) << i << ": " << outcome.error->message;
    // The group's activity frame; the shared transaction's conversation frames go to its first
    // group only, so they are published once.
    const auto& rows = outcome.results.front().rows;
    auto activity_rows = std::count_if(rows.begin(), rows.end(), [](const auto& row) { return row[0].has_value(); });
    ASSERT_EQ(activity_rows, 1) << i;
    auto activity = nlohmann::json::parse(*rows[0][2]);
    EXPECT_EQ(activity["data"]["openphone_id"], "ACap" + std::to_string(i));
  }
  EXPECT_EQ(database_->scalar("SELECT count(*) FROM activities WHERE openphone_id LIKE 'ACap%'"),
            "5");
  caf::anon_send_exit(applier, caf::exit_reason::user_shutdown);
}

}  // namespace
}  // namespace crmd::testing
