// POST /webhooks/openphone on the real crmd against real PostgreSQL: signatures, durable and
// idempotent intake, not-understood deliveries, and the webhook-events API.
#include "tests/support/crmd_process.hpp"
#include "tests/support/test_accounts.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/webhook_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>
#include <vector>

namespace crmd::testing {
namespace {

using namespace std::chrono_literals;

class WebhookHttp : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<test_database>("webhook_http");
    server_ = std::make_unique<crmd_process>(std::map<std::string, std::string>{
      {"CRM_DATABASE_URL", database_->url()},
      {"CRM_OPENPHONE_WEBHOOK_KEYS", std::string("b2xkLXNlY3JldC1vbGQtc2VjcmV0, ")
                                       + test_webhook_secret},
      {"CRM_WEBHOOK_BODY_LIMIT_BYTES", "8192"},
      {"CRM_DB_POOL_SIZE", "4"}});
    session_ = login_new_user(server_->port(), database_->url());
  }
  static void TearDownTestSuite() {
    server_.reset();
    database_.reset();
  }

  static std::uint16_t port() { return server_->port(); }
  static std::string scalar(const std::string& sql) { return database_->scalar(sql); }
  // The webhook-events API as a logged-in owner.
  static http_reply api(const std::string& method, const std::string& target) {
    return http_request(port(), method, target, {}, session_.headers());
  }

  // Polls until the query answers `expected` (applying is asynchronous) or 20 s pass.
  static std::string eventually(const std::string& sql, const std::string& expected) {
    std::string value;
    for (int i = 0; i < 400; ++i) {
      value = scalar(sql);
      if (value == expected)
        break;
      std::this_thread::sleep_for(50ms);
    }
    return value;
  }

  static std::unique_ptr<test_database> database_;
  static std::unique_ptr<crmd_process> server_;
  static test_session session_;
};

std::unique_ptr<test_database> WebhookHttp::database_;
std::unique_ptr<crmd_process> WebhookHttp::server_;
test_session WebhookHttp::session_;

TEST_F(WebhookHttp, StoresAndAppliesASignedDelivery) {
  auto reply = post_webhook(port(), inbound_message_payload("EVh1", "ACh1", "+15085550400", "hi"));
  ASSERT_EQ(reply.status, 200u) << reply.body;
  EXPECT_EQ(nlohmann::json::parse(reply.body)["status"], "stored");
  // Durable and applied before acknowledged: the row and its activity exist the moment the 200
  // arrives.
  EXPECT_EQ(scalar("SELECT status FROM webhook_events WHERE event_id = 'EVh1'"), "processed");
  EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACh1'"), "1");
}

TEST_F(WebhookHttp, AnyConfiguredKeyVerifiesDuringRotation) {
  auto body = inbound_message_payload("EVh2", "ACh2", "+15085550401", "rotated");
  auto reply = post_webhook(port(), body, "b2xkLXNlY3JldC1vbGQtc2VjcmV0");
  EXPECT_EQ(reply.status, 200u) << reply.body;
}

TEST_F(WebhookHttp, BadSignaturesAreRefusedAndNothingIsStored) {
  auto body = inbound_message_payload("EVbad", "ACbad", "+15085550402", "forged");
  auto wrong_key = post_webhook(port(), body, "d3Jvbmcta2V5LXdyb25nLWtleS13cm9uZw==");
  auto stale = post_webhook(port(), body, test_webhook_secret,
                            std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch() - 10min)
                              .count());
  auto missing = http_request(port(), "POST", "/webhooks/openphone", body);
  auto garbled = http_request(port(), "POST", "/webhooks/openphone", body,
                              {{"openphone-signature", "hmac;1;abc;%%%"}});
  for (const auto* reply : {&wrong_key, &stale, &missing, &garbled}) {
    EXPECT_EQ(reply->status, 401u) << reply->body;
    EXPECT_EQ(nlohmann::json::parse(reply->body)["error"]["code"], "bad_signature");
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM webhook_events WHERE event_id = 'EVbad'"), "0");
}

TEST_F(WebhookHttp, ThousandDistinctConcurrentDeliveriesGiveThousandRows) {
  constexpr int events = 1000;
  std::atomic<int> next{0};
  std::atomic<int> acknowledged{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 32; ++t)
    senders.emplace_back([&] {
      for (int i = next++; i < events; i = next++) {
        auto n = std::to_string(i);
        auto party = "+1508556" + std::string(4 - std::min<std::size_t>(4, n.size()), '0') + n;
        auto reply = post_webhook(port(), inbound_message_payload("EVk" + n, "ACk" + n, party, n));
        if (reply.status == 200)
          ++acknowledged;
      }
    });
  for (auto& sender : senders)
    sender.join();
  EXPECT_EQ(acknowledged.load(), events);
  EXPECT_EQ(scalar("SELECT count(*) FROM webhook_events WHERE event_id LIKE 'EVk%'"), "1000");
  EXPECT_EQ(eventually("SELECT count(*) FROM activities WHERE openphone_id LIKE 'ACk%'", "1000"),
            "1000");
}

TEST_F(WebhookHttp, OneEventSentAHundredTimesConcurrentlyIsStoredAndAppliedOnce) {
  auto body = inbound_message_payload("EVdup", "ACdup", "+15085550403", "again and again");
  std::atomic<int> stored{0};
  std::atomic<int> duplicates{0};
  std::atomic<int> other{0};
  std::vector<std::thread> senders;
  for (int t = 0; t < 100; ++t)
    senders.emplace_back([&] {
      auto reply = post_webhook(port(), body);
      auto parsed = nlohmann::json::parse(reply.body, nullptr, false);
      if (reply.status == 200 && parsed.value("status", "") == "stored")
        ++stored;
      else if (reply.status == 200 && parsed.value("duplicate", false))
        ++duplicates;
      else
        ++other;
    });
  for (auto& sender : senders)
    sender.join();
  EXPECT_EQ(stored.load(), 1);
  EXPECT_EQ(duplicates.load(), 99);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(scalar("SELECT count(*) FROM webhook_events WHERE event_id = 'EVdup'"), "1");
  EXPECT_EQ(eventually("SELECT status FROM webhook_events WHERE event_id = 'EVdup'", "processed"),
            "processed");
  EXPECT_EQ(scalar("SELECT count(*) FROM activities WHERE openphone_id = 'ACdup'"), "1");
}

TEST_F(WebhookHttp, SignedButNotUnderstoodIsStoredAcknowledgedAndCounted) {
  std::string body = R"({"id":"EVodd","object":"event","apiVersion":"v4",)"
                     R"("createdAt":"2025-05-01T14:00:00Z","type":"call.teleported",)"
                     R"("data":{"object":{"id":"ACodd"}}})";
  auto reply = post_webhook(port(), body);
  ASSERT_EQ(reply.status, 202u) << reply.body;
  EXPECT_EQ(nlohmann::json::parse(reply.body)["reason"], "unsupported_event_type");
  EXPECT_EQ(scalar("SELECT concat_ws(',', status, error_code) FROM webhook_events WHERE "
                   "event_id = 'EVodd'"),
            "failed,unsupported_event_type");
  auto metrics = http_get(port(), "/metrics").body;
  EXPECT_NE(metrics.find("crmd_webhook_not_understood_total{reason=\"unsupported_event_type\"} 1"),
            std::string::npos);
  auto listed = api("GET", "/api/v1/webhook-events?status=failed");
  ASSERT_EQ(listed.status, 200u);
  auto data = nlohmann::json::parse(listed.body)["data"];
  ASSERT_FALSE(data.empty());
  EXPECT_EQ(data[0]["event_id"], "EVodd");
  EXPECT_EQ(data[0]["error_code"], "unsupported_event_type");
}

TEST_F(WebhookHttp, SignedInvalidJsonAndOversizedBodiesAreRejected) {
  EXPECT_EQ(post_webhook(port(), "{not json").status, 400u);
  auto big = inbound_message_payload("EVbig", "ACbig", "+15085550404", std::string(9000, 'x'));
  auto reply = post_webhook(port(), big);
  EXPECT_EQ(reply.status, 413u);
  EXPECT_EQ(nlohmann::json::parse(reply.body)["error"]["code"], "payload_too_large");
  EXPECT_EQ(scalar("SELECT count(*) FROM webhook_events WHERE event_id = 'EVbig'"), "0");
}

TEST_F(WebhookHttp, ReplayReappliesADeadEvent) {
  auto body = inbound_message_payload("EVre", "ACre", "+15085550405", "replay me");
  ASSERT_EQ(post_webhook(port(), body).status, 200u);
  ASSERT_EQ(eventually("SELECT status FROM webhook_events WHERE event_id = 'EVre'", "processed"),
            "processed");
  // As if every attempt had failed: dead, and its activity lost.
  database_->exec("DELETE FROM activities WHERE openphone_id = 'ACre'");
  database_->exec("UPDATE webhook_events SET status = 'dead', next_attempt_at = NULL, "
                  "error_code = 'sqlstate_23514' WHERE event_id = 'EVre'");
  auto id = scalar("SELECT id FROM webhook_events WHERE event_id = 'EVre'");
  auto dead = nlohmann::json::parse(api("GET", "/api/v1/webhook-events?status=dead").body);
  ASSERT_FALSE(dead["data"].empty());
  EXPECT_EQ(dead["data"][0]["event_id"], "EVre");

  auto replay = api("POST", "/api/v1/webhook-events/" + id + "/replay");
  ASSERT_EQ(replay.status, 202u) << replay.body;
  EXPECT_EQ(eventually("SELECT count(*) FROM activities WHERE openphone_id = 'ACre'", "1"), "1");
  EXPECT_EQ(eventually("SELECT status FROM webhook_events WHERE event_id = 'EVre'", "processed"),
            "processed");
  auto again = api("POST", "/api/v1/webhook-events/" + id + "/replay");
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(api("POST", "/api/v1/webhook-events/999999/replay").status, 404u);
  EXPECT_EQ(api("POST", "/api/v1/webhook-events/abc/replay").status, 400u);
  EXPECT_EQ(api("GET", "/api/v1/webhook-events?status=bogus").status, 400u);
}

}  // namespace
}  // namespace crmd::testing
