// The sync health actor with the real pool and PostgreSQL: the facts it gathers become the pinned
// health JSON, the crmd_sync_* gauges follow them, and a changed verdict is published on `sync`.
#include "actors/db_actor.hpp"
#include "actors/hub_actor.hpp"
#include "actors/openphone_client_types.hpp"
#include "actors/sync_health_actor.hpp"
#include "actors/sync_health_metrics.hpp"
#include "domain/business_hours.hpp"
#include "storage/migrator.hpp"
#include "storage/pg_pool.hpp"
#include "tests/support/test_database.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <future>
#include <thread>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

caf::actor_system_config& two_threads(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", size_t{2});
  return cfg;
}

// Stands in for the OpenPhone client: answers only the health question, with fixed figures.
openphone_client_actor::behavior_type fake_client(std::string circuit, double ratio,
                                                  std::int64_t calls) {
  return {
    [](provider_request_atom, provider_request&) -> provider_result {
      return provider_failure{"shutdown", "fake", 0};
    },
    [](atoms::provider_done_atom, provider_attempt&) {},
    [](atoms::provider_retry_atom, std::uint64_t) {},
    [](atoms::provider_wake_atom) {},
    [circuit](atoms::provider_status_atom) { return circuit; },
    [=](atoms::provider_health_atom) -> caf::result<std::string, double, std::int64_t> {
      return {circuit, ratio, calls};
    },
  };
}

class SyncHealth : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<test_database>("sync_health");
    ASSERT_TRUE(std::holds_alternative<storage::migrate_report>(storage::migrate(database_->url())));
    pool_ = std::make_unique<storage::pg_pool>(
      io_, storage::pg_pool_config{.conninfo = database_->url(), .size = 2}, registry_);
    pool_->start();
    io_thread_ = std::thread([this] { io_.run(); });
    db_ = spawn_db_actor(system_, *pool_);
    hub_ = spawn_hub_actor(system_);
    system_.registry().put(registry_keys::db, db_);
    system_.registry().put(registry_keys::hub, hub_);
    // Two numbers of ours, both known for a day.
    database_->exec(R"SQL(
      insert into phone_numbers (openphone_id, phone_number, name, created_at)
      values ('PN1', '+15085550199', 'Main line', now() - interval '1 day'),
             ('PN2', '+15085550188', null, now() - interval '1 day');
    )SQL");
  }

  void TearDown() override {
    for (auto key : {registry_keys::db, registry_keys::hub, registry_keys::openphone})
      system_.registry().erase(key);
    for (const caf::actor& a : {watcher_, client_, caf::actor_cast<caf::actor>(hub_),
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
    database_.reset();
  }

  // Always open, so silence is plain elapsed time; an hour's quiet limit; no timer in the way.
  void start_watcher() {
    watcher_ = spawn_sync_health_actor(
      system_, {.webhook_quiet = 1h,
                .interval = 1h,
                .business_hours = domain::parse_business_hours("Sun-Sat 00:00-24:00").value(),
                .time_zone = "America/New_York",
                .metrics = &gauges_});
  }

  json health() {
    caf::scoped_actor self{system_};
    std::string text;
    self->request(watcher_, 15s, caf::get_atom_v)
      .receive([&](const std::string& answer) { text = answer; },
               [&](caf::error& error) { ADD_FAILURE() << caf::to_string(error); });
    EXPECT_FALSE(text.empty()) << "the database did not answer";
    return text.empty() ? json() : json::parse(text);
  }

  std::string scrape() {
    return prometheus::TextSerializer().Serialize(registry_.Collect());
  }

  void add_event(const std::string& id, const std::string& status, const std::string& payload,
                 const std::string& age = "0 seconds") {
    database_->exec(
      "insert into webhook_events (event_id, event_type, payload, status, next_attempt_at, "
      "processed_at, received_at) values ('" + id + "', 'message.received', '" + payload + "', '"
      + status + "', " + (status == "dead" || status == "processed" ? "null" : "now()") + ", "
      + (status == "processed" ? "now()" : "null") + ", now() - interval '" + age + "')");
  }

  std::unique_ptr<test_database> database_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
    boost::asio::make_work_guard(io_)};
  prometheus::Registry registry_;
  sync_health_metrics gauges_{registry_};
  std::unique_ptr<storage::pg_pool> pool_;
  std::thread io_thread_;
  caf::actor_system_config cfg_;
  caf::actor_system system_{two_threads(cfg_)};
  db_actor db_;
  hub_actor hub_;
  caf::actor watcher_;
  caf::actor client_;
};

TEST_F(SyncHealth, FactsBecomeThePinnedJson) {
  // A number that merely starts with PN2's digits names neither; PN2 two hours ago as a party
  // of a v4 call without phoneNumberId; PN1 just now by its id (the newest event id is the
  // newest arrival, as in real life).
  add_event("EV3", "processed", R"({"data":{"object":{"to":"+150855501881"}}})", "10 minutes");
  add_event("EV2", "processed",
            R"({"data":{"object":{"participants":["+15085550100","+15085550188"]}}})", "2 hours");
  add_event("EV1", "processed",
            R"({"data":{"object":{"phoneNumberId":"PN1","from":"+15085550100","to":"+15085550199"}}})");
  database_->exec(R"SQL(
    insert into import_jobs (kind, status, finished_at) values ('openphone_history', 'completed', now());
    insert into reconciliations (trigger, status, finished_at, report)
    values ('schedule', 'completed', now() - interval '1 hour',
            '{"missing_found": {"messages": 2, "calls": 1}, "still_failing": {"webhook_events": 0}}');
    insert into reconciliations (trigger, status) values ('api', 'running');
  )SQL");
  auto first_run = database_->scalar("select min(id) from reconciliations");
  auto running = database_->scalar("select max(id) from reconciliations");
  start_watcher();
  auto body = health();

  EXPECT_EQ(body["status"], "amber");
  // The integration's finding outranks a number's of the same colour; the judged run is the
  // newest finished one, the shown one the newest.
  EXPECT_EQ(body["reason"], "the last reconciliation #" + first_run
                              + " found 3 items webhooks had missed");
  EXPECT_TRUE(body["checked_at"].is_string());
  EXPECT_TRUE(body["webhooks"]["last_received_at"].is_string());
  EXPECT_EQ(body["webhooks"]["failed"], 0);
  EXPECT_EQ(body["webhooks"]["dead"], 0);
  EXPECT_LT(body["webhooks"]["silence_business_seconds"].get<std::int64_t>(), 300);
  EXPECT_EQ(body["provider"]["circuit"], "closed");
  EXPECT_EQ(body["provider"]["error_ratio"], 0.0);
  EXPECT_EQ(body["import"]["status"], "completed");
  EXPECT_TRUE(body["import"]["id"].is_number());
  EXPECT_TRUE(body["import"]["finished_at"].is_string());
  EXPECT_EQ(std::to_string(body["reconcile"]["id"].get<std::int64_t>()), running);
  EXPECT_EQ(body["reconcile"]["status"], "running");
  EXPECT_TRUE(body["reconcile"]["finished_at"].is_null());
  EXPECT_EQ(body["reconcile"]["missing_found"], 0);
  EXPECT_EQ(body["reconcile"]["still_failing"], 0);

  const auto& numbers = body["phone_numbers"];
  ASSERT_EQ(numbers.size(), 2u);
  EXPECT_EQ(numbers[0]["phone_number"], "+15085550188");
  EXPECT_TRUE(numbers[0]["name"].is_null());
  EXPECT_EQ(numbers[0]["status"], "amber");
  EXPECT_EQ(numbers[0]["reason"], "no webhook for this number for 2 h 0 min of business hours");
  EXPECT_TRUE(numbers[0]["last_webhook_at"].is_string());
  EXPECT_GE(numbers[0]["silence_business_seconds"].get<std::int64_t>(), 7200);
  EXPECT_EQ(numbers[1]["phone_number"], "+15085550199");
  EXPECT_EQ(numbers[1]["name"], "Main line");
  EXPECT_EQ(numbers[1]["status"], "green");
  EXPECT_EQ(numbers[1]["reason"], "in sync");
  EXPECT_LT(numbers[1]["silence_business_seconds"].get<std::int64_t>(), 600);

  // Once a run finds nothing, the silent number decides the overall verdict.
  database_->exec("update reconciliations set status = 'completed', finished_at = now(), "
                  "report = '{}' where id = " + running);
  body = health();
  EXPECT_EQ(body["status"], "amber");
  EXPECT_EQ(body["reason"],
            "+15085550188: no webhook for this number for 2 h 0 min of business hours");
  EXPECT_EQ(body["reconcile"]["status"], "completed");
}

TEST_F(SyncHealth, GaugesFollowTheFacts) {
  // Registered before any check, so a scrape names them from the start.
  auto before = scrape();
  for (const char* family : {"crmd_sync_health", "crmd_sync_webhook_silence_business_seconds",
                             "crmd_sync_webhook_events", "crmd_provider_error_ratio"})
    EXPECT_NE(before.find(std::string("# TYPE ") + family + " gauge"), std::string::npos)
      << family;

  add_event("EV1", "processed", R"({"data":{"object":{"phoneNumberId":"PN1"}}})");
  add_event("EV2", "processed", R"({"data":{"object":{"phoneNumberId":"PN2"}}})", "3 hours");
  add_event("EVf", "failed", R"({"data":{"object":{}}})");
  add_event("EVd", "dead", R"({"data":{"object":{}}})");
  client_ = caf::actor_cast<caf::actor>(system_.spawn(fake_client, "half_open", 0.5, 10));
  system_.registry().put(registry_keys::openphone, client_);
  start_watcher();
  auto body = health();
  EXPECT_EQ(body["status"], "red");
  EXPECT_EQ(body["provider"]["circuit"], "half_open");
  EXPECT_EQ(body["provider"]["error_ratio"], 0.5);

  auto text = scrape();
  for (const char* line :
       {R"(crmd_sync_health{integration="openphone",phone_number="all"} 2)",
        R"(crmd_sync_health{integration="openphone",phone_number="+15085550199"} 0)",
        R"(crmd_sync_health{integration="openphone",phone_number="+15085550188"} 1)",
        R"(crmd_sync_webhook_events{status="failed"} 1)",
        R"(crmd_sync_webhook_events{status="dead"} 1)",
        R"(crmd_provider_error_ratio{provider="openphone"} 0.5)"})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;
  auto silence_of = [&text](const std::string& number) {
    auto key = "crmd_sync_webhook_silence_business_seconds{phone_number=\"" + number + "\"} ";
    auto at = text.find(key);
    return at == std::string::npos ? -1.0 : std::stod(text.substr(at + key.size()));
  };
  EXPECT_GE(silence_of("+15085550188"), 3 * 3600);
  EXPECT_GE(silence_of("+15085550199"), 0);
  EXPECT_LT(silence_of("+15085550199"), 600);
  EXPECT_GE(silence_of("all"), 0);

  // The dead event replayed and the failed one applied: the gauges come back down.
  database_->exec("update webhook_events set status = 'processed', processed_at = now(), "
                  "next_attempt_at = null where event_id in ('EVf', 'EVd')");
  health();
  text = scrape();
  EXPECT_NE(text.find(R"(crmd_sync_webhook_events{status="dead"} 0)"), std::string::npos);
  EXPECT_NE(text.find(R"(crmd_sync_health{integration="openphone",phone_number="all"} 1)"),
            std::string::npos)
    << text;
}

TEST_F(SyncHealth, AChangedVerdictIsPublishedOnTheSyncTopic) {
  add_event("EV1", "processed", R"({"data":{"object":{"phoneNumberId":"PN1"}}})");
  add_event("EV2", "processed", R"({"data":{"object":{"phoneNumberId":"PN2"}}})");
  caf::scoped_actor subscriber{system_};
  subscriber->send(hub_, atoms::subscribe_atom_v, std::string("sync"),
                   caf::actor_cast<caf::actor>(subscriber));
  auto next_frame = [&subscriber] {
    json frame;
    subscriber->receive(
      [&](atoms::hub_event_atom, const std::string& topic, std::uint64_t,
          const std::string& payload) {
        EXPECT_EQ(topic, "sync");
        frame = json::parse(payload);
      },
      caf::after(15s) >> [] { ADD_FAILURE() << "nothing published"; });
    return frame;
  };
  start_watcher();
  // The first check always publishes: there is no earlier verdict.
  auto first = next_frame();
  EXPECT_EQ(first["event"], "sync.health");
  EXPECT_EQ(first["data"]["status"], "green");
  EXPECT_EQ(first["data"]["phone_numbers"].size(), 2u);

  health();  // the same verdict: nothing published
  add_event("EVd", "dead", R"({"data":{"object":{}}})");
  health();
  auto changed = next_frame();
  EXPECT_EQ(changed["data"]["status"], "red");
  EXPECT_EQ(changed["data"]["reason"], "1 webhook event could not be applied");
  EXPECT_EQ(changed["data"]["webhooks"]["dead"], 1);

  // A number's own verdict changing is a change too, the overall one staying red.
  database_->exec("update phone_numbers set is_active = false where openphone_id = 'PN2'");
  health();
  auto fewer = next_frame();
  EXPECT_EQ(fewer["data"]["status"], "red");
  EXPECT_EQ(fewer["data"]["phone_numbers"].size(), 1u);
}

}  // namespace
}  // namespace crmd::testing
