#include "storage/event_statements.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace crmd::storage {
namespace {

using nlohmann::json;

domain::webhook_event message(const std::string& event_id, const std::string& activity_id) {
  domain::activity_change change;
  change.openphone_id = activity_id;
  change.activity_type = "message";
  change.participants = {"+15085550100"};
  return {event_id, "message.received", "v3", "2025-05-01T14:00:01.000Z", change};
}

TEST(EventStatements, StoreAndApplyNamesEachEventToApplyByItsEventId) {
  auto first = message("EV1", "AC1");
  auto second = message("EV2", "AC2");
  inbox_row row{"EV1", "message.received", "v3", R"({"id":"EV1","raw":[1, 2]})", "received", "", ""};
  inbox_row odd{"EV3", "mystery.event", "v3", R"({"id":"EV3"})", "failed", "unknown_type", "no"};
  auto statement = store_and_apply({row, odd}, {&first, &second}, std::chrono::milliseconds{75});

  EXPECT_EQ(statement.sql_or_name, "store_webhook_events");
  ASSERT_EQ(statement.params.size(), 3u);
  auto inbox = json::parse(*statement.params[0]);
  ASSERT_EQ(inbox.size(), 2u);
  EXPECT_EQ(inbox[0]["payload"], json::parse(R"({"id":"EV1","raw":[1,2]})"));
  EXPECT_TRUE(inbox[0]["error_code"].is_null());
  EXPECT_EQ(inbox[1]["status"], "failed");
  EXPECT_EQ(inbox[1]["error_code"], "unknown_type");

  auto changes = json::parse(*statement.params[1]);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0]["event_id"], "EV1");
  EXPECT_EQ(changes[0]["kind"], "activity");
  EXPECT_EQ(changes[0]["change"]["openphone_id"], "AC1");
  EXPECT_FALSE(changes[0].contains("row_id")) << "the row is only known once stored";
  EXPECT_EQ(changes[1]["event_id"], "EV2");
  EXPECT_EQ(*statement.params[2], "75");
}

TEST(EventStatements, InsertingOnlyAppliesNothing) {
  inbox_row row{"EV1", "message.received", "v3", R"({"id":"EV1"})", "received", "", ""};
  auto statement = insert_inbox_rows({row});
  EXPECT_EQ(statement.sql_or_name, "store_webhook_events");
  EXPECT_EQ(json::parse(*statement.params[1]), json::array());
}

TEST(EventStatements, ApplyingStoredEventsNamesTheirRows) {
  auto event = message("EV1", "AC1");
  auto applied = json::parse(apply_events_json({{42, &event}}));
  ASSERT_EQ(applied.size(), 1u);
  EXPECT_EQ(applied[0]["row_id"], 42);
  EXPECT_EQ(applied[0]["created_at"], "2025-05-01T14:00:01.000Z");
  EXPECT_EQ(applied[0]["change"]["openphone_id"], "AC1");
}

// The apply leaves for the reply processor only incoming texts that may concern it; a carrier
// keyword is one, flagged here where the keyword rules live.
TEST(EventStatements, IncomingCarrierKeywordsAreFlaggedForTheReplyProcessor) {
  auto text = [](std::string direction, std::string body) {
    auto event = message("EV1", "AC1");
    auto& change = std::get<domain::activity_change>(event.change);
    change.direction = std::move(direction);
    change.body = std::move(body);
    return event;
  };
  auto flagged = [](const domain::webhook_event& event) {
    return json::parse(apply_events_json({{1, &event}}))[0].value("carrier_keyword", false);
  };
  EXPECT_TRUE(flagged(text("incoming", "STOP")));
  EXPECT_TRUE(flagged(text("incoming", " help! ")));
  EXPECT_FALSE(flagged(text("incoming", "stop by tomorrow?")));
  EXPECT_FALSE(flagged(text("outgoing", "Reply STOP")));
  EXPECT_FALSE(flagged(text("outgoing", "STOP")));
  EXPECT_FALSE(flagged(message("EV2", "AC2"))) << "no body, no direction";
}

}  // namespace
}  // namespace crmd::storage
