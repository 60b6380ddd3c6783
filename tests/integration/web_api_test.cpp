// The web app's JSON API against a serving crmd and a real PostgreSQL: contacts, inbox with
// unread marks, the timeline's keyset pages, and sending a text through the emulated OpenPhone
// (its 202, then its delivery webhook) without ever showing or sending it twice.
#include "tests/support/child_process.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>
#include <thread>

namespace crmd::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* webhook_key = "ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2Q=";

class WebApi : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("web_api");
    auto emulator_port = free_tcp_port();
    auto crmd_port = free_tcp_port();
    emulator_ = std::make_unique<child_process>(
      CRMD_EMULATOR,
      std::vector<std::string>{
        "--serve", "--listen", "127.0.0.1:" + std::to_string(emulator_port), "--api-key",
        "api-test-key", "--seed", "5", "--numbers", "1", "--users", "1", "--contacts", "1",
        "--conversations", "1", "--messages", "1", "--calls", "0", "--rate-limit", "0",
        "--webhooks-to", "http://127.0.0.1:" + std::to_string(crmd_port) + "/webhooks/openphone",
        "--key", webhook_key},
      "web_api_emulator.log");
    emulator_port_ = emulator_port;
    crmd_ = std::make_unique<crmd_process>(std::map<std::string, std::string>{
      {"CRM_DATABASE_URL", database_->url()},
      {"CRM_HTTP_LISTEN", "127.0.0.1:" + std::to_string(crmd_port)},
      {"CRM_OPENPHONE_API_URL", "http://127.0.0.1:" + std::to_string(emulator_port)},
      {"CRM_OPENPHONE_API_KEY", "api-test-key"},
      {"CRM_OPENPHONE_WEBHOOK_KEYS", webhook_key}});
    auto numbers = json::parse(
      http_request(emulator_port, "GET", "/v1/phone-numbers", {}, {{"Authorization", "api-test-key"}})
        .body);
    our_id_ = numbers["data"][0]["id"].get<std::string>();
    our_number_ = numbers["data"][0]["number"].get<std::string>();
    seed();
    session_ = login_new_user(crmd_->port(), database_->url());
    staff_ = login_new_user(crmd_->port(), database_->url(),
                            {.email = "staff@crmd.test", .role = "staff"});
  }
  static void TearDownTestSuite() {
    crmd_.reset();
    emulator_.reset();
    database_.reset();
  }

  // Our number is the emulator's, as after an import. Maria: 60 texts and 60 calls a minute
  // apart, all before the users exist; John: one conversation, nothing in it; Olive opted out.
  static void seed() {
    database_->exec("insert into phone_numbers (openphone_id, phone_number, name) values ('"
                    + our_id_ + "', '" + our_number_ + "', 'Main')");
    database_->exec(R"SQL(
      insert into contacts (first_name, last_name, phone, phone_numbers, email, company)
      values ('Maria', 'López', '+15085550100', '{+15085550100}', 'maria@example.com', null),
             ('John', 'Smith', '+15085550101', '{+15085550101}', null, 'Smith 100% Masonry'),
             ('Olive', 'Out', '+15085550102', '{+15085550102}', null, null);
      update contacts set opted_out_at = now() where first_name = 'Olive';
      insert into conversations (contact_id, participants, phone_number_id, last_activity_at)
      select id, phone_numbers, (select openphone_id from phone_numbers),
             now() - interval '1 hour' from contacts order by id;
      insert into activities (openphone_id, conversation_id, contact_id, activity_type, direction,
                              status, from_number, to_numbers, participants, body,
                              duration_seconds, ai_transcript, occurred_at)
      select 'AC' || g, 1, 1, case when g % 2 = 0 then 'message' else 'call' end,
             case when g % 3 = 0 then 'outgoing' else 'incoming' end,
             case when g % 2 = 0 then 'delivered' else 'completed' end,
             '+15085550100', '{+15550190001}', '{+15085550100}',
             case when g % 2 = 0 then 'text ' || g end,
             case when g % 2 = 1 then 60 end,
             case when g = 1 then '[{"identifier":"+15085550100","content":"Hi","start":0,"end":1}]'::jsonb end,
             now() - interval '2 hours' - g * interval '1 minute'
      from generate_series(1, 120) g;
    )SQL");
  }

  static http_reply get(const std::string& target, const test_session& as = session_) {
    return http_request(crmd_->port(), "GET", target, {}, as.headers());
  }
  static http_reply send(const std::string& method, const std::string& target,
                         const std::string& body,
                         std::vector<std::pair<std::string, std::string>> extra = {}) {
    extra.emplace_back("Content-Type", "application/json");
    return http_request(crmd_->port(), method, target, body, session_.headers(std::move(extra)));
  }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<child_process> emulator_;
  static std::unique_ptr<crmd_process> crmd_;
  static std::uint16_t emulator_port_;
  static test_session session_;
  static test_session staff_;
  static std::string our_id_;
  static std::string our_number_;
};

std::unique_ptr<test_database> WebApi::database_;
std::unique_ptr<child_process> WebApi::emulator_;
std::unique_ptr<crmd_process> WebApi::crmd_;
std::uint16_t WebApi::emulator_port_ = 0;
test_session WebApi::session_;
test_session WebApi::staff_;
std::string WebApi::our_id_;
std::string WebApi::our_number_;

json body_of(const http_reply& reply) {
  return json::parse(reply.body, nullptr, false);
}

std::string error_code(const http_reply& reply) {
  auto body = body_of(reply);
  return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
}

std::vector<std::string> names(const json& contacts) {
  std::vector<std::string> out;
  for (const auto& contact : contacts)
    out.push_back(contact["first_name"].get<std::string>());
  return out;
}

TEST_F(WebApi, EveryRouteNeedsASession) {
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{
         {"GET", "/api/v1/contacts"},
         {"GET", "/api/v1/contacts/1"},
         {"PATCH", "/api/v1/contacts/1"},
         {"GET", "/api/v1/contacts/1/timeline"},
         {"GET", "/api/v1/activities/1"},
         {"GET", "/api/v1/inbox"},
         {"POST", "/api/v1/conversations/1/read"},
         {"POST", "/api/v1/conversations/1/messages"},
         {"GET", "/api/v1/sync/health"}}) {
    auto reply = http_request(crmd_->port(), method, target, "{}");
    EXPECT_EQ(reply.status, 401u) << method << " " << target;
    EXPECT_EQ(error_code(reply), "unauthenticated") << method << " " << target;
  }
}

TEST_F(WebApi, SearchFindsByNameCompanyEmailAndNumber) {
  EXPECT_EQ(names(body_of(get("/api/v1/contacts?q=L%C3%93PEZ"))["data"]), std::vector<std::string>{"Maria"});
  EXPECT_EQ(names(body_of(get("/api/v1/contacts?q=maria%40example"))["data"]),
            std::vector<std::string>{"Maria"});
  // A literal % is text, not a wildcard.
  EXPECT_EQ(names(body_of(get("/api/v1/contacts?q=0%25%20mas"))["data"]), std::vector<std::string>{"John"});
  EXPECT_EQ(names(body_of(get("/api/v1/contacts?q=%25"))["data"]), std::vector<std::string>{"John"});
  EXPECT_EQ(names(body_of(get("/api/v1/contacts?q=(508)%20555-0101"))["data"]),
            std::vector<std::string>{"John"});
  EXPECT_TRUE(body_of(get("/api/v1/contacts?q=nobody"))["data"].empty());
}

TEST_F(WebApi, ContactPagesFollowTheCursorInNameOrder) {
  std::vector<std::string> seen;
  std::string target = "/api/v1/contacts?limit=2";
  for (int page = 0; page < 5; ++page) {
    auto body = body_of(get(target));
    for (const auto& name : names(body["data"]))
      seen.push_back(name);
    if (body["next_cursor"].is_null())
      break;
    target = "/api/v1/contacts?limit=2&cursor=" + body["next_cursor"].get<std::string>();
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"John", "Maria", "Olive"}));
  EXPECT_EQ(error_code(get("/api/v1/contacts?limit=0")), "invalid_limit");
  EXPECT_EQ(error_code(get("/api/v1/contacts?limit=101")), "invalid_limit");
  EXPECT_EQ(error_code(get("/api/v1/contacts?cursor=zz")), "invalid_cursor");
}

TEST_F(WebApi, AContactComesWithItsConversations) {
  auto reply = get("/api/v1/contacts/1");
  ASSERT_EQ(reply.status, 200u);
  auto contact = body_of(reply);
  EXPECT_EQ(contact["first_name"], "Maria");
  ASSERT_EQ(contact["conversations"].size(), 1u);
  EXPECT_EQ(contact["conversations"][0]["phone_number_id"], our_id_);
  EXPECT_EQ(get("/api/v1/contacts/999").status, 404u);
  EXPECT_EQ(error_code(get("/api/v1/contacts/abc")), "invalid_id");
}

TEST_F(WebApi, UpdatesAreValidatedAndNeedTheCsrfToken) {
  auto reply = send("PATCH", "/api/v1/contacts/2",
                    R"({"city":" Worcester ","time_zone":"America/New_York","tags":["lead"]})");
  ASSERT_EQ(reply.status, 200u) << reply.body;
  auto contact = body_of(reply);
  EXPECT_EQ(contact["city"], "Worcester");
  EXPECT_EQ(contact["tags"], json({"lead"}));
  EXPECT_EQ(database_->scalar("select time_zone from contacts where id = 2"), "America/New_York");
  auto bad_zone = send("PATCH", "/api/v1/contacts/2", R"({"time_zone":"Eastern"})");
  EXPECT_EQ(bad_zone.status, 400u);
  EXPECT_EQ(error_code(bad_zone), "invalid_field");
  EXPECT_EQ(error_code(send("PATCH", "/api/v1/contacts/2", R"({"phone":"+1"})")), "invalid_field");
  EXPECT_EQ(send("PATCH", "/api/v1/contacts/999", R"({"city":"x"})").status, 404u);
  auto no_csrf = http_request(crmd_->port(), "PATCH", "/api/v1/contacts/2", R"({"city":"x"})",
                              {{"Cookie", session_.cookie()}});
  EXPECT_EQ(no_csrf.status, 403u);
  EXPECT_EQ(database_->scalar("select city from contacts where id = 2"), "Worcester");
}

TEST_F(WebApi, TimelinePagesCoverEveryActivityOnceNewestFirst) {
  std::vector<std::int64_t> ids;
  std::set<std::string> types;
  std::string last_time = "9999";
  std::string target = "/api/v1/contacts/1/timeline?limit=50";
  int pages = 0;
  while (true) {
    auto reply = get(target);
    ASSERT_EQ(reply.status, 200u) << reply.body;
    auto body = body_of(reply);
    ++pages;
    for (const auto& activity : body["data"]) {
      if (activity["openphone_id"].is_null())
        continue;  // a text another test sent
      ids.push_back(activity["id"].get<std::int64_t>());
      types.insert(activity["activity_type"].get<std::string>());
      auto time = activity["occurred_at"].get<std::string>();
      EXPECT_LE(time, last_time);
      last_time = time;
    }
    if (body["next_cursor"].is_null())
      break;
    target = "/api/v1/contacts/1/timeline?limit=50&cursor=" + body["next_cursor"].get<std::string>();
  }
  EXPECT_GE(pages, 3);
  EXPECT_EQ(ids.size(), 120u);
  EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), 120u);
  EXPECT_EQ(types, (std::set<std::string>{"call", "message"}));
  auto oldest_call = body_of(get("/api/v1/activities/" + std::to_string(ids.back())));
  EXPECT_EQ(oldest_call["ai_transcript"].is_null(), oldest_call["openphone_id"] != "AC1");
  auto first = database_->scalar("select id from activities where openphone_id = 'AC1'");
  auto with_transcript = body_of(get("/api/v1/activities/" + first));
  EXPECT_TRUE(with_transcript["has_transcript"].get<bool>());
  EXPECT_EQ(with_transcript["ai_transcript"][0]["content"], "Hi");
  EXPECT_EQ(get("/api/v1/contacts/999/timeline").status, 404u);
}

TEST_F(WebApi, InboxMarksIncomingActivityUnreadUntilRead) {
  auto item_for = [](const json& inbox, int conversation) {
    for (const auto& item : inbox["data"])
      if (item["conversation_id"] == conversation)
        return item;
    return json();
  };
  // History from before the account existed is not news.
  auto before = item_for(body_of(get("/api/v1/inbox")), 1);
  ASSERT_TRUE(before.is_object());
  EXPECT_FALSE(before["unread"].get<bool>());
  database_->exec(R"SQL(
    insert into activities (openphone_id, conversation_id, contact_id, activity_type, direction,
                            status, from_number, participants, body, occurred_at)
    values ('ACnew1', 2, 2, 'message', 'incoming', 'received', '+15085550101', '{+15085550101}',
            'Is Tuesday OK?', now()),
           ('ACnew2', 2, 2, 'message', 'incoming', 'received', '+15085550101', '{+15085550101}',
            'Or Wednesday', now());
    update conversations set last_activity_at = now(), last_activity_type = 'message' where id = 2;
  )SQL");
  auto inbox = body_of(get("/api/v1/inbox"));
  EXPECT_EQ(inbox["data"][0]["conversation_id"], 2);
  auto unread = item_for(inbox, 2);
  EXPECT_TRUE(unread["unread"].get<bool>());
  EXPECT_EQ(unread["unread_count"], 2);
  EXPECT_EQ(unread["preview"]["body"], "Or Wednesday");
  EXPECT_EQ(send("POST", "/api/v1/conversations/2/read", "").status, 204u);
  EXPECT_FALSE(item_for(body_of(get("/api/v1/inbox")), 2)["unread"].get<bool>());
  // Read marks are per user: staff still has it unread.
  EXPECT_TRUE(item_for(body_of(get("/api/v1/inbox", staff_)), 2)["unread"].get<bool>());
  EXPECT_EQ(send("POST", "/api/v1/conversations/999/read", "").status, 404u);
}

TEST_F(WebApi, ATextIsSentOnceAndBecomesTheProvidersMessage) {
  auto reply = send("POST", "/api/v1/conversations/1/messages", R"({"body":"On our way"})",
                    {{"Idempotency-Key", "draft-1"}});
  ASSERT_EQ(reply.status, 202u) << reply.body;
  auto pending = body_of(reply);
  EXPECT_TRUE(pending["pending"].get<bool>());
  EXPECT_EQ(pending["status"], "queued");
  EXPECT_EQ(pending["direction"], "outgoing");
  auto id = std::to_string(pending["id"].get<std::int64_t>());
  json delivered;
  for (int i = 0; i < 100; ++i) {
    delivered = body_of(get("/api/v1/activities/" + id));
    if (delivered["status"] == "delivered")
      break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(delivered["status"], "delivered") << delivered.dump();
  EXPECT_FALSE(delivered["pending"].get<bool>());
  EXPECT_TRUE(delivered["openphone_id"].get<std::string>().starts_with("AC"));
  // The same draft again sends nothing and answers with the same text.
  auto again = send("POST", "/api/v1/conversations/1/messages", R"({"body":"On our way"})",
                    {{"Idempotency-Key", "draft-1"}});
  EXPECT_EQ(body_of(again)["id"], pending["id"]);
  EXPECT_EQ(database_->scalar("select count(*) from activities where body = 'On our way'"), "1");
  auto sent = json::parse(http_get(emulator_port_, "/_emulator/sent").body);
  ASSERT_EQ(sent["data"].size(), 1u);
  EXPECT_EQ(sent["data"][0]["content"], "On our way");
  EXPECT_EQ(sent["data"][0]["to"], json({"+15085550100"}));
  EXPECT_EQ(sent["data"][0]["phoneNumberId"], our_id_) << "the conversation's number";
  EXPECT_EQ(delivered["from_number"], our_number_);
}

TEST_F(WebApi, TextsThatMustNotGoAreRefusedBeforeStoring) {
  EXPECT_EQ(error_code(send("POST", "/api/v1/conversations/3/messages", R"({"body":"Hi"})")),
            "contact_opted_out");
  EXPECT_EQ(error_code(send("POST", "/api/v1/conversations/1/messages", R"({"body":"  "})")),
            "invalid_body");
  EXPECT_EQ(error_code(send("POST", "/api/v1/conversations/1/messages", R"({"body":"x"})",
                            {{"Idempotency-Key", "has space"}})),
            "invalid_idempotency_key");
  EXPECT_EQ(send("POST", "/api/v1/conversations/999/messages", R"({"body":"Hi"})").status, 404u);
  EXPECT_EQ(database_->scalar("select count(*) from activities where conversation_id = 3"), "0");
}

// The provider's webhook can be applied before its answer to the send comes back: the pending
// row absorbs the webhook's row, so the text still shows once.
TEST_F(WebApi, AWebhookAppliedBeforeTheSendAnswerFoldsIntoThePendingText) {
  database_->exec(R"SQL(
    insert into activities (conversation_id, contact_id, activity_type, direction, status, body,
                            occurred_at, send_key)
    values (2, 2, 'message', 'outgoing', 'queued', 'Race me', now(), 'race');
    insert into activities (openphone_id, conversation_id, contact_id, activity_type, direction,
                            status, from_number, body, occurred_at)
    values ('ACrace', 2, 2, 'message', 'outgoing', 'delivered', '+15550190001', 'Race me', now());
  )SQL");
  auto pending = database_->scalar("select id from activities where send_key = 'race'");
  auto early = database_->scalar("select id from activities where openphone_id = 'ACrace'");
  auto frames = database_->scalar(
    "select string_agg(f::text, '|') from attach_sent_message(" + pending + ", 'ACrace', 'sent') f");
  EXPECT_NE(frames.find("activity.deleted"), std::string::npos) << frames;
  EXPECT_NE(frames.find("\"replaced_by\": " + pending), std::string::npos) << frames;
  EXPECT_EQ(database_->scalar("select count(*) from activities where body = 'Race me'"), "1");
  EXPECT_EQ(database_->scalar("select status || ' ' || openphone_id || ' ' || from_number "
                              "from activities where id = " + pending),
            "delivered ACrace +15550190001");
  EXPECT_EQ(database_->scalar("select count(*) from activities where id = " + early), "0");
}

TEST_F(WebApi, SyncHealthSaysWhyItIsNotGreen) {
  auto health = body_of(get("/api/v1/sync/health"));
  EXPECT_EQ(health["provider"]["circuit"], "closed");
  EXPECT_TRUE(health["provider"]["error_ratio"].is_number());
  EXPECT_TRUE(health["webhooks"]["silence_business_seconds"].is_number());
  EXPECT_TRUE(health["phone_numbers"].is_array());
  EXPECT_TRUE(health.contains("import") && health.contains("reconcile"));
  database_->exec(
    "insert into webhook_events (event_id, event_type, payload, status, next_attempt_at, "
    "error_code) values ('EVdead', 'message.received', '{}', 'dead', null, 'x')");
  health = body_of(get("/api/v1/sync/health"));
  EXPECT_EQ(health["status"], "red");
  EXPECT_EQ(health["webhooks"]["dead"], 1);
  EXPECT_NE(health["reason"].get<std::string>().find("1 webhook event"), std::string::npos);
  // The check also set the gauges /metrics serves.
  auto metrics = http_get(crmd_->port(), "/metrics").body;
  EXPECT_NE(metrics.find(R"(crmd_sync_health{integration="openphone",phone_number="all"} 2)"),
            std::string::npos);
  EXPECT_NE(metrics.find(R"(crmd_sync_webhook_events{status="dead"} 1)"), std::string::npos);
  database_->exec("delete from webhook_events where event_id = 'EVdead'");
}

}  // namespace
}  // namespace crmd::testing
