#include "integrations/openphone/rest_directory.hpp"

#include "openphone_rest_objects.hpp"

#include <gtest/gtest.h>

namespace crmd::integrations::openphone {
namespace {

using namespace rest_objects;

TEST(OpenPhoneRestPhoneNumber, MapsNumberNameAndUsers) {
  auto result = map_phone_number(phone_number());
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.value->openphone_id, "PN1");
  EXPECT_EQ(result.value->number, ours);
  EXPECT_EQ(result.value->name, "Main line");
  EXPECT_EQ(result.value->user_ids, (strings{"US1", "US2"}));
}

TEST(OpenPhoneRestPhoneNumber, RefusesMissingOrMalformedFields) {
  auto no_number = phone_number();
  no_number.erase("number");
  EXPECT_EQ(map_phone_number(no_number).error, "phoneNumber.number is required");
  auto bad_users = phone_number();
  bad_users["users"] = json::array({"US1"});
  EXPECT_EQ(map_phone_number(bad_users).error, "phoneNumber.users must hold only objects");
  auto user_without_id = phone_number();
  user_without_id["users"] = json::array({{{"email", "x@example.com"}}});
  EXPECT_EQ(map_phone_number(user_without_id).error, "phoneNumber.users[].id is required");
}

TEST(OpenPhoneRestPhoneNumber, UnpaginatedListReadsAsLastPage) {
  auto page = map_phone_number_page(json{{"data", json::array({phone_number()})}}.dump());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page.items.size(), 1u);
  EXPECT_FALSE(page.next_page_token);
  EXPECT_FALSE(page.total_items);
}

TEST(OpenPhoneRestUser, MapsIdentityAndRole) {
  auto result = map_user(user());
  ASSERT_TRUE(result.ok()) << result.error;
  EXPECT_EQ(result.value->openphone_id, "US1");
  EXPECT_EQ(result.value->email, "owner@example.com");
  EXPECT_EQ(result.value->first_name, "Matt");
  EXPECT_EQ(result.value->last_name, "Smith");
  EXPECT_EQ(result.value->role, "owner");
}

TEST(OpenPhoneRestUser, NullNamesAreUnsetAndWrongTypesRefused) {
  auto item = user();
  item["firstName"] = nullptr;
  auto result = map_user(item);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value->first_name);
  item["email"] = 5;
  EXPECT_EQ(map_user(item).error, "user.email must be a string");
  EXPECT_EQ(map_user(json::array()).error, "user must be an object");
}

TEST(OpenPhoneRestConversation, MapsSortedParticipantsAndTimes) {
  auto result = map_conversation(conversation());
  ASSERT_TRUE(result.ok()) << result.error;
  const auto& record = *result.value;
  EXPECT_EQ(record.openphone_id, "CN1");
  EXPECT_EQ(record.phone_number_id, "PN1");
  EXPECT_EQ(record.participants, (strings{customer, other_customer}));
  EXPECT_EQ(record.name, "Jane Doe");
  EXPECT_EQ(record.created_at, "2025-04-01T10:00:00.000Z");
  EXPECT_EQ(record.updated_at, "2025-05-01T14:00:00.000Z");
  EXPECT_EQ(record.last_activity_at, "2025-05-01T14:00:00.000Z");
  EXPECT_EQ(record.last_activity_id, "AC9");
}

TEST(OpenPhoneRestConversation, RefusesBadParticipantsOrMissingNumberId) {
  auto item = conversation();
  item["participants"] = json::array({customer, "5085550111"});
  EXPECT_EQ(map_conversation(item).error,
            "conversation.participants must hold only E.164 numbers");
  item["participants"] = json::array();
  EXPECT_EQ(map_conversation(item).error, "conversation.participants name no E.164 party");
  item = conversation();
  item["phoneNumberId"] = nullptr;
  EXPECT_EQ(map_conversation(item).error, "conversation.phoneNumberId is required");
  item = conversation();
  item["lastActivityAt"] = "May 1st";
  EXPECT_EQ(map_conversation(item).error,
            "conversation.lastActivityAt must be an ISO-8601 UTC timestamp");
}

TEST(OpenPhoneRestConversation, PageMapsItems) {
  auto page = map_conversation_page(list(json::array({conversation()}), "c2").dump());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page.items.size(), 1u);
  EXPECT_EQ(page.next_page_token, "c2");
}

}  // namespace
}  // namespace crmd::integrations::openphone
