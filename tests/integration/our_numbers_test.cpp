// v4 call payloads list our number among the participants without marking it. With our numbers
// known (phone_numbers, filled by the import), crmd leaves it out of the conversation's parties,
// so the call joins the conversation the import or a v3 message made instead of a second one.
#include "storage/migrator.hpp"
#include "tests/support/crmd_process.hpp"
#include "tests/support/test_database.hpp"
#include "tests/support/webhook_client.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <thread>
#include <variant>

namespace crmd::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

std::string v4_call_payload(const std::string& event_id, const std::string& call_id) {
  json call{{"id", call_id},
            {"object", "call"},
            {"participants", json::array({"+15085550177", "+15085550199"})},
            {"direction", "incoming"},
            {"status", "completed"},
            {"createdAt", "2025-05-01T15:00:00.000Z"},
            {"answeredAt", "2025-05-01T15:00:05.000Z"},
            {"completedAt", "2025-05-01T15:03:00.000Z"},
            {"duration", 175},
            {"phoneNumberId", "PN1"},
            {"userId", "US1"},
            {"recordings", nullptr}};
  return json{{"id", event_id},
              {"object", "event"},
              {"apiVersion", "v4"},
              {"createdAt", "2025-05-01T15:03:01.000Z"},
              {"type", "call.completed"},
              {"data", {{"object", call}}}}
    .dump();
}

TEST(OurNumbers, AV4CallJoinsTheConversationOfItsCustomerOnly) {
  test_database database("our_numbers");
  ASSERT_TRUE(std::holds_alternative<storage::migrate_report>(storage::migrate(database.url())));
  database.scalar("INSERT INTO phone_numbers (openphone_id, phone_number, name) "
                  "VALUES ('PN1', '+15085550199', 'Main') RETURNING id");
  crmd_process crmd({{"CRM_DATABASE_URL", database.url()},
                     {"CRM_OPENPHONE_WEBHOOK_KEYS", test_webhook_secret}});
  ASSERT_EQ(post_webhook(crmd.port(), inbound_message_payload("EVo1", "ACo1", "+15085550177",
                                                              "Is Tuesday OK?"))
              .status,
            200u);
  ASSERT_EQ(post_webhook(crmd.port(), v4_call_payload("EVo2", "ACo2")).status, 200u);
  std::string applied;
  for (int i = 0; i < 150 && applied != "2"; ++i) {
    std::this_thread::sleep_for(100ms);
    applied = database.scalar("SELECT count(*) FROM webhook_events WHERE status = 'processed'");
  }
  ASSERT_EQ(applied, "2");
  EXPECT_EQ(database.scalar("SELECT count(*) FROM conversations"), "1");
  EXPECT_EQ(database.scalar("SELECT array_to_string(participants, ',') FROM activities "
                            "WHERE openphone_id = 'ACo2'"),
            "+15085550177");
  EXPECT_EQ(database.scalar("SELECT count(DISTINCT conversation_id) FROM activities"), "1");
}

}  // namespace
}  // namespace crmd::testing
