// The campaign runtime (registry, campaign actors, sending-number throttle) with the real pool,
// PostgreSQL, the OpenPhone client and the emulator's REST API, under an injected clock the test
// moves so that hours pass in milliseconds: the window opening across a DST change, throttle
// pacing, pause/resume, cancel, settlement of texts left 'sending' and of dropped answers.
#include "actors/campaign_registry_actor.hpp"
#include "actors/campaign_sql.hpp"
#include "actors/campaign_types.hpp"
#include "actors/db_actor.hpp"
#include "actors/hub_actor.hpp"
#include "actors/openphone_client_actor.hpp"
#include "storage/migrator.hpp"
#include "storage/pg_pool.hpp"
#include "tests/support/child_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <caf/all.hpp>
#include <date/date.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <prometheus/registry.h>

#include <atomic>
#include <future>
#include <map>
#include <set>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;
using time_point = std::chrono::system_clock::time_point;

constexpr const char* api_key = "campaign-runtime-key";
constexpr const char* number_id = "PNcampaign1";

caf::actor_system_config& two_threads(caf::actor_system_config& cfg) {
  cfg.set("scheduler.max-threads", size_t{2});
  return cfg;
}

// "YYYY-MM-DDTHH:MM:SSZ" (the test's own literals).
time_point at(const std::string& iso) {
  auto n = [&](std::size_t from, std::size_t length) { return std::stoi(iso.substr(from, length)); };
  auto day = date::year{n(0, 4)} / n(5, 2) / n(8, 2);
  return date::sys_days{day} + std::chrono::hours{n(11, 2)} + std::chrono::minutes{n(14, 2)}
         + std::chrono::seconds{n(17, 2)};
}

// The emulator's REST API on an ephemeral port; `extra` adds flags (--send-drop-rate).
class emulator {
 public:
  explicit emulator(std::vector<std::string> extra)
    : output_("/tmp/crmd-campaign-runtime-" + std::to_string(::getpid()) + "-"
              + std::to_string(counter_++)),
      process_(CRMD_EMULATOR, arguments(std::move(extra)), output_) {
    port_ = wait_for_listening_port(output_, 10s);
  }
  ~emulator() { std::remove(output_.c_str()); }

  std::uint16_t port() const { return port_; }

  // Every accepted text: recipient → how many.
  std::map<std::string, int> sent_by_recipient() const {
    std::map<std::string, int> out;
    auto reply = http_request(port_, "GET", "/_emulator/sent");
    auto parsed = json::parse(reply.body, nullptr, false);
    if (parsed.is_discarded())
      return out;
    for (const auto& text : parsed["data"])
      ++out[text["to"][0].get<std::string>()];
    return out;
  }

  std::string send_directly(const std::string& to, const std::string& content) const {
    json body{{"from", number_id}, {"to", {to}}, {"content", content}};
    auto reply = http_request(port_, "POST", "/v1/messages", body.dump(),
                              {{"Authorization", api_key}, {"Content-Type", "application/json"}});
    return json::parse(reply.body)["data"]["id"].get<std::string>();
  }

 private:
  static std::vector<std::string> arguments(std::vector<std::string> extra) {
    std::vector<std::string> args{"--serve",       "--api-key", api_key, "--seed",     "7",
                                  "--numbers",     "1",         "--users", "1",        "--contacts",
                                  "0",             "--conversations", "1", "--messages", "0",
                                  "--calls",       "0",         "--rate-limit", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }

  static inline int counter_ = 0;
  std::string output_;
  child_process process_;
  std::uint16_t port_ = 0;
};

struct test_clock {
  std::atomic<std::int64_t> ms{0};
  void set(time_point t) { ms = campaign_sql::to_ms(t); }
  void advance(std::chrono::milliseconds by) { ms += by.count(); }
  time_point now() const { return campaign_sql::from_ms(ms.load()); }
};

class CampaignRuntime : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<test_database>("campaign_runtime");
    ASSERT_TRUE(
      std::holds_alternative<storage::migrate_report>(storage::migrate(database_->url())));
    pool_ = std::make_unique<storage::pg_pool>(
      io_, storage::pg_pool_config{.conninfo = database_->url(), .size = 3}, metrics_);
    pool_->start();
    io_thread_ = std::thread([this] { io_.run(); });
    db_ = spawn_db_actor(system_, *pool_);
    hub_ = spawn_hub_actor(system_);
    system_.registry().put(registry_keys::db, db_);
    system_.registry().put(registry_keys::hub, hub_);
    database_->exec("INSERT INTO phone_numbers (openphone_id, phone_number, name) "
                    "VALUES ('" + std::string(number_id) + "', '+15085550100', 'Campaigns')");
  }

  void TearDown() override {
    for (auto key : {registry_keys::db, registry_keys::hub, registry_keys::openphone,
                     registry_keys::campaigns})
      system_.registry().erase(key);
    for (const caf::actor& a : {registry_, caf::actor_cast<caf::actor>(client_),
                                caf::actor_cast<caf::actor>(hub_),
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
    emulator_.reset();
    database_.reset();
  }

  void start(std::vector<std::string> emulator_flags = {}) {
    emulator_ = std::make_unique<emulator>(std::move(emulator_flags));
    ASSERT_NE(emulator_->port(), 0);
    client_ = spawn_openphone_client(
      system_,
      {.base_url = "http://127.0.0.1:" + std::to_string(emulator_->port()),
       .api_key = api_key,
       .rate_per_second = 1000,
       .timeout = 3000ms,
       .max_attempts = 3,
       .backoff_min = 20ms,
       .backoff_max = 200ms},
      provider_metrics_);
    system_.registry().put(registry_keys::openphone, client_);
  }

  void start_registry() {
    campaign_runtime_options options;
    options.now = [clock = clock_] { return clock->now(); };
    options.max_timer = 20ms;
    options.settle_after = 300ms;
    options.in_transit_grace = 200ms;
    options.ambiguous_settle_delay = 100ms;
    options.retry_delay = 100ms;
    options.progress_interval = 100ms;
    options.page_size = 50;
    options.run_id = "test-run";
    registry_ = spawn_campaign_registry(system_, options);
    system_.registry().put(registry_keys::campaigns, registry_);
  }

  // A draft campaign from PNcampaign1 with quiet hours 20:00-09:00 (window 09:00-20:00).
  std::int64_t make_campaign(int per_minute, int per_day = 1000) {
    return std::stoll(database_->scalar(
      "INSERT INTO campaigns (name, template_a, from_phone_number_id, throttle_per_minute, "
      "daily_cap, opt_out_line) VALUES ('Spring', 'Hi {first_name|there}, foundation check?', '"
      + std::string(number_id) + "', " + std::to_string(per_minute) + ", "
      + std::to_string(per_day) + ", 'Reply STOP to opt out') RETURNING id"));
  }

  // A contact in `zone` with a pending membership of `campaign`; returns the number.
  std::string add_member(std::int64_t campaign, int n, const std::string& zone,
                         bool opted_out = false) {
    char phone[16];
    std::snprintf(phone, sizeof phone, "+1617555%04d", n);
    auto contact = database_->scalar(
      "INSERT INTO contacts (first_name, phone, phone_numbers, time_zone, opted_out_at) VALUES "
      "('Ann" + std::to_string(n) + "', '" + phone + "', ARRAY['" + phone + "'], '" + zone + "', "
      + (opted_out ? "now()" : "NULL") + ") RETURNING id");
    database_->exec("INSERT INTO campaign_memberships (campaign_id, contact_id, phone) VALUES ("
                    + std::to_string(campaign) + ", " + contact + ", '" + phone + "')");
    return phone;
  }

  campaign_command_result command(std::int64_t campaign, const std::string& action) {
    caf::scoped_actor self{system_};
    campaign_command_result result;
    self->request(registry_, 10s, atoms::campaign_command_atom_v,
                  campaign_command{campaign, action, 1, std::nullopt})
      .receive([&](campaign_command_result& r) { result = std::move(r); },
               [&](caf::error& e) { result.error_code = caf::to_string(e); });
    return result;
  }

  std::string scalar(const std::string& sql) { return database_->scalar(sql); }

  std::string count_status(std::int64_t campaign, const std::string& status) {
    return scalar("SELECT count(*) FROM campaign_memberships WHERE campaign_id = "
                  + std::to_string(campaign) + " AND status = '" + status + "'");
  }

  // Polls until the query answers `expected` or `limit` passes; returns the last value.
  std::string wait_for(const std::string& sql, const std::string& expected,
                       std::chrono::milliseconds limit = 15s) {
    std::string value;
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      value = scalar(sql);
      if (value == expected)
        break;
      std::this_thread::sleep_for(20ms);
    }
    return value;
  }

  // Moves the clock on in `step`s, one every `pause` of real time, until the query answers
  // `expected` or `limit` of test time passes.
  std::string run_clock_until(const std::string& sql, const std::string& expected,
                              std::chrono::milliseconds step, std::chrono::milliseconds limit,
                              std::chrono::milliseconds pause = 30ms) {
    std::string value;
    for (auto moved = 0ms; moved <= limit; moved += step) {
      value = scalar(sql);
      if (value == expected)
        break;
      clock_->advance(step);
      std::this_thread::sleep_for(pause);
    }
    return value;
  }

  std::shared_ptr<test_clock> clock_ = std::make_shared<test_clock>();
  std::unique_ptr<test_database> database_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_{
    boost::asio::make_work_guard(io_)};
  prometheus::Registry metrics_;
  prometheus::Registry provider_metrics_;
  std::unique_ptr<storage::pg_pool> pool_;
  std::thread io_thread_;
  std::unique_ptr<emulator> emulator_;
  caf::actor_system_config cfg_;
  caf::actor_system system_{two_threads(cfg_)};
  db_actor db_;
  hub_actor hub_;
  openphone_client_actor client_;
  caf::actor registry_;
};

// 2026-03-08 is the spring-forward day in the US: 09:00 in New York is 13:00Z that day (EDT),
// not 14:00Z as the day before, and 09:00 in Los Angeles is 16:00Z.
TEST_F(CampaignRuntime, WindowOpensAtLocalNineAcrossTheDstChange) {
  start();
  clock_->set(at("2026-03-08T06:00:00Z"));  // 01:00 EST, before the change
  start_registry();
  auto campaign = make_campaign(1000);
  auto east_1 = add_member(campaign, 1, "America/New_York");
  auto east_2 = add_member(campaign, 2, "America/New_York");
  auto west = add_member(campaign, 3, "America/Los_Angeles");
  auto opted_out = add_member(campaign, 4, "America/New_York", true);
  auto launched = command(campaign, "launch");
  ASSERT_TRUE(launched.ok) << launched.error_code << " " << launched.message;
  EXPECT_EQ(json::parse(launched.campaign_json)["status"], "running");

  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(count_status(campaign, "sent"), "0");
  clock_->set(at("2026-03-08T12:59:00Z"));  // 08:59 EDT
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(count_status(campaign, "sent"), "0");
  EXPECT_TRUE(emulator_->sent_by_recipient().empty());

  clock_->set(at("2026-03-08T13:00:05Z"));  // 09:00:05 EDT
  EXPECT_EQ(wait_for("SELECT count(*) FROM campaign_memberships WHERE status = 'sent'", "2"), "2");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count_status(campaign, "pending"), "1");  // Los Angeles is at 06:00
  EXPECT_EQ(scalar("SELECT status FROM campaign_memberships WHERE phone = '" + opted_out + "'"),
            "suppressed");
  EXPECT_EQ(scalar("SELECT min(sent_at) >= '2026-03-08T13:00:00Z' FROM campaign_memberships "
                   "WHERE status = 'sent'"),
            "t");

  clock_->set(at("2026-03-08T15:59:00Z"));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(count_status(campaign, "pending"), "1");
  clock_->set(at("2026-03-08T16:00:05Z"));
  EXPECT_EQ(wait_for("SELECT status FROM campaigns WHERE id = " + std::to_string(campaign),
                     "complete"),
            "complete");
  auto sent = emulator_->sent_by_recipient();
  EXPECT_EQ(sent, (std::map<std::string, int>{{east_1, 1}, {east_2, 1}, {west, 1}}));
  // The first contact's text carries the opt-out line; the activity is the provider's row.
  EXPECT_EQ(scalar("SELECT body FROM campaign_memberships WHERE phone = '" + east_1 + "'"),
            "Hi Ann1, foundation check?\nReply STOP to opt out");
  EXPECT_EQ(scalar("SELECT count(*) FROM activities a JOIN campaign_memberships m "
                   "ON m.activity_id = a.id WHERE a.openphone_id = m.provider_message_id "
                   "AND a.direction = 'outgoing' AND a.conversation_id IS NOT NULL"),
            "3");
}

TEST_F(CampaignRuntime, ThrottlePacesSendsToThePerMinuteRate) {
  start();
  clock_->set(at("2026-06-01T15:00:00Z"));  // 11:00 in New York
  start_registry();
  auto campaign = make_campaign(6);
  for (int i = 0; i < 15; ++i)
    add_member(campaign, 100 + i, "America/New_York");
  ASSERT_TRUE(command(campaign, "launch").ok);
  EXPECT_EQ(run_clock_until("SELECT count(*) FROM campaign_memberships WHERE status = 'sent'",
                            "15", 1s, 10min),
            "15");
  // Sorted by the instant each send began: any seven span at least a minute (less the clock's
  // steps while a batch was being recorded).
  std::vector<std::int64_t> begun;
  std::istringstream rows(scalar(
    "SELECT string_agg((extract(epoch FROM sending_at) * 1000)::bigint::text, ' ' ORDER BY "
    "sending_at) FROM campaign_memberships WHERE campaign_id = " + std::to_string(campaign)));
  for (std::int64_t ms; rows >> ms;)
    begun.push_back(ms);
  ASSERT_EQ(begun.size(), 15u);
  for (std::size_t i = 0; i + 6 < begun.size(); ++i)
    EXPECT_GE(begun[i + 6] - begun[i], 55000) << "sends " << i << " and " << i + 6;
  EXPECT_GE(begun.back() - begun.front(), 115000);
  for (const auto& [phone, copies] : emulator_->sent_by_recipient())
    EXPECT_EQ(copies, 1) << phone;
}

TEST_F(CampaignRuntime, PauseStopsSendingAndResumeFinishes) {
  start();
  clock_->set(at("2026-06-01T15:00:00Z"));
  start_registry();
  auto campaign = make_campaign(2);
  for (int i = 0; i < 6; ++i)
    add_member(campaign, 200 + i, "America/New_York");
  ASSERT_TRUE(command(campaign, "launch").ok);
  EXPECT_EQ(wait_for("SELECT count(*) FROM campaign_memberships WHERE status = 'sent'", "2"), "2");
  auto paused = command(campaign, "pause");
  ASSERT_TRUE(paused.ok) << paused.message;
  EXPECT_EQ(json::parse(paused.campaign_json)["status"], "paused");
  // Ten minutes of throttle budget pass: nothing more goes out while paused.
  run_clock_until("SELECT 'never'", "", 30s, 10min, 20ms);
  EXPECT_EQ(count_status(campaign, "sent"), "2");
  EXPECT_EQ(count_status(campaign, "pending"), "4");
  auto again = command(campaign, "pause");
  EXPECT_FALSE(again.ok);
  EXPECT_EQ(again.error_code, "invalid_transition");

  ASSERT_TRUE(command(campaign, "resume").ok);
  EXPECT_EQ(run_clock_until("SELECT status FROM campaigns WHERE id = " + std::to_string(campaign),
                            "complete", 10s, 30min),
            "complete");
  EXPECT_EQ(count_status(campaign, "sent"), "6");
  EXPECT_EQ(emulator_->sent_by_recipient().size(), 6u);
}

TEST_F(CampaignRuntime, CancelSuppressesWhatWasNotSent) {
  start();
  clock_->set(at("2026-06-01T15:00:00Z"));
  start_registry();
  auto campaign = make_campaign(1);
  for (int i = 0; i < 4; ++i)
    add_member(campaign, 300 + i, "America/New_York");
  ASSERT_TRUE(command(campaign, "launch").ok);
  EXPECT_EQ(wait_for("SELECT count(*) FROM campaign_memberships WHERE status = 'sent'", "1"), "1");
  auto cancelled = command(campaign, "cancel");
  ASSERT_TRUE(cancelled.ok) << cancelled.message;
  EXPECT_EQ(json::parse(cancelled.campaign_json)["status"], "cancelled");
  run_clock_until("SELECT 'never'", "", 30s, 5min, 20ms);
  EXPECT_EQ(count_status(campaign, "sent"), "1");
  EXPECT_EQ(scalar("SELECT count(*) FROM campaign_memberships WHERE suppressed_reason = "
                   "'cancelled'"),
            "3");
  EXPECT_EQ(emulator_->sent_by_recipient().size(), 1u);
  EXPECT_FALSE(command(campaign, "resume").ok);
}

TEST_F(CampaignRuntime, ScheduledLaunchStartsWhenItsTimeComes) {
  start();
  clock_->set(at("2026-06-01T14:00:00Z"));
  start_registry();
  auto campaign = make_campaign(1000);
  auto phone = add_member(campaign, 600, "America/New_York");
  caf::scoped_actor self{system_};
  campaign_command_result result;
  self->request(registry_, 10s, atoms::campaign_command_atom_v,
                campaign_command{campaign, "launch", 1, std::string("2026-06-01T15:30:00Z")})
    .receive([&](campaign_command_result& r) { result = std::move(r); },
             [&](caf::error& e) { result.error_code = caf::to_string(e); });
  ASSERT_TRUE(result.ok) << result.error_code << " " << result.message;
  EXPECT_EQ(json::parse(result.campaign_json)["status"], "scheduled");
  clock_->set(at("2026-06-01T15:29:00Z"));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(scalar("SELECT status FROM campaigns WHERE id = " + std::to_string(campaign)),
            "scheduled");
  EXPECT_TRUE(emulator_->sent_by_recipient().empty());
  clock_->set(at("2026-06-01T15:30:01Z"));
  EXPECT_EQ(wait_for("SELECT status FROM campaigns WHERE id = " + std::to_string(campaign),
                     "complete"),
            "complete");
  EXPECT_EQ(emulator_->sent_by_recipient(), (std::map<std::string, int>{{phone, 1}}));
  auto bad = command(campaign, "launch");
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.error_code, "invalid_transition");
}

// A crash left two memberships 'sending' (another process run): the provider has one of them.
// That one is recorded sent with the provider's id and never sent again; the other goes out once.
TEST_F(CampaignRuntime, SettlesTextsLeftSendingByACrashedRun) {
  start();
  clock_->set(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  auto campaign = make_campaign(1000);
  auto delivered = add_member(campaign, 400, "Etc/UTC");
  auto lost = add_member(campaign, 401, "Etc/UTC");
  database_->exec("UPDATE campaign_memberships SET status = 'sending', body = 'Hi there', "
                  "sending_at = now(), sending_run = 'dead-run', variant_sent = 'A', "
                  "send_key = 'campaign:' || campaign_id || ':' || id WHERE campaign_id = "
                  + std::to_string(campaign));
  database_->exec("UPDATE campaigns SET status = 'running', started_at = now() WHERE id = "
                  + std::to_string(campaign));
  auto provider_id = emulator_->send_directly(delivered, "Hi there");
  // Etc/UTC may be outside 08:00-21:00 now: the test's clock stays at a UTC noon after settling.
  clock_->set(at("2026-06-01T12:00:00Z"));
  start_registry();
  EXPECT_EQ(wait_for("SELECT status FROM campaigns WHERE id = " + std::to_string(campaign),
                     "complete"),
            "complete");
  EXPECT_EQ(scalar("SELECT provider_message_id FROM campaign_memberships WHERE phone = '"
                   + delivered + "'"),
            provider_id);
  EXPECT_EQ(emulator_->sent_by_recipient(),
            (std::map<std::string, int>{{delivered, 1}, {lost, 1}}));
}

// Half the sends' answers are cut off after the provider accepted them: every member still gets
// exactly one text, and each ends 'sent'.
TEST_F(CampaignRuntime, DroppedAnswersAreSettledWithoutSecondCopies) {
  start({"--send-drop-rate", "0.5"});
  clock_->set(at("2026-06-01T15:00:00Z"));
  start_registry();
  auto campaign = make_campaign(1000);
  std::set<std::string> phones;
  for (int i = 0; i < 20; ++i)
    phones.insert(add_member(campaign, 500 + i, "America/New_York"));
  ASSERT_TRUE(command(campaign, "launch").ok);
  EXPECT_EQ(wait_for("SELECT status FROM campaigns WHERE id = " + std::to_string(campaign),
                     "complete", 30s),
            "complete");
  EXPECT_EQ(count_status(campaign, "sent"), "20");
  auto sent = emulator_->sent_by_recipient();
  EXPECT_EQ(sent.size(), 20u);
  for (const auto& phone : phones)
    EXPECT_EQ(sent[phone], 1) << phone;
}

}  // namespace
}  // namespace crmd::testing
