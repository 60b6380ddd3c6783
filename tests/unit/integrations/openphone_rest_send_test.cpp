#include "integrations/openphone/rest_send.hpp"

#include <gtest/gtest.h>

using namespace crmd::integrations::openphone;

TEST(RestSend, BodyNamesContentFromAndRecipients) {
  auto body = nlohmann::json::parse(
    send_message_body({.content = "Hi", .from = "PN1", .to = {"+15085550100"}, .user_id = "US1"}));
  EXPECT_EQ(body["content"], "Hi");
  EXPECT_EQ(body["from"], "PN1");
  EXPECT_EQ(body["to"], nlohmann::json({"+15085550100"}));
  EXPECT_EQ(body["userId"], "US1");
  auto anonymous = nlohmann::json::parse(send_message_body({.content = "Hi", .from = "PN1"}));
  EXPECT_FALSE(anonymous.contains("userId"));
}

TEST(RestSend, ReadsTheAcceptedMessage) {
  auto sent = read_sent_message(R"({"data":{"id":"AC9","status":"sent","to":["+15085550100"]}})");
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ(sent.value->id, "AC9");
  EXPECT_EQ(sent.value->status, "sent");
  auto unknown = read_sent_message(R"({"data":{"id":"AC9","status":"warp"}})");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown.value->status, "queued");
}

TEST(RestSend, RefusesAnswersWithoutAnId) {
  EXPECT_FALSE(read_sent_message(R"({"data":{"status":"sent"}})").ok());
  EXPECT_FALSE(read_sent_message(R"({"id":"AC9"})").ok());
  EXPECT_FALSE(read_sent_message("garbage").ok());
}
