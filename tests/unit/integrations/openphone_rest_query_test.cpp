#include "integrations/openphone/rest_query.hpp"

#include <gtest/gtest.h>

namespace crmd::integrations::openphone {
namespace {

TEST(OpenPhoneRestQuery, PercentEncodesEverythingButUnreserved) {
  EXPECT_EQ(percent_encode("+15085550100"), "%2B15085550100");
  EXPECT_EQ(percent_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
  EXPECT_EQ(percent_encode("AZaz09-._~"), "AZaz09-._~");
}

TEST(OpenPhoneRestQuery, MessagesUseRepeatedBareParticipantKeys) {
  activity_query query{.phone_number_id = "PN1",
                       .participants = {"+15085550100", "+15085550111"},
                       .page = {.max_results = 100, .page_token = "abc/+="}};
  EXPECT_EQ(messages_target(query),
            "/v1/messages?phoneNumberId=PN1&participants=%2B15085550100"
            "&participants=%2B15085550111&maxResults=100&pageToken=abc%2F%2B%3D");
}

TEST(OpenPhoneRestQuery, CallsCarryTheOptionalFilters) {
  activity_query query{.phone_number_id = "PN1",
                       .participants = {"+15085550100"},
                       .user_id = "US1",
                       .created_after = "2025-01-01T00:00:00Z",
                       .page = {.max_results = 500}};
  EXPECT_EQ(calls_target(query),
            "/v1/calls?phoneNumberId=PN1&participants=%2B15085550100&userId=US1"
            "&createdAfter=2025-01-01T00%3A00%3A00Z&maxResults=100");
}

TEST(OpenPhoneRestQuery, PageSizesAreClampedToEachEndpointsBounds) {
  EXPECT_EQ(users_target({.max_results = 100}), "/v1/users?maxResults=50");
  EXPECT_EQ(contacts_target({.max_results = 0, .page_token = "t"}),
            "/v1/contacts?maxResults=1&pageToken=t");
}

TEST(OpenPhoneRestQuery, ConversationsFilterByPhoneNumbers) {
  conversation_query query{.phone_numbers = {"PN1", "+15085550199"},
                           .updated_after = "2025-05-01T00:00:00Z",
                           .exclude_inactive = true};
  EXPECT_EQ(conversations_target(query),
            "/v1/conversations?phoneNumbers=PN1&phoneNumbers=%2B15085550199"
            "&updatedAfter=2025-05-01T00%3A00%3A00Z&excludeInactive=true&maxResults=100");
}

TEST(OpenPhoneRestQuery, PhoneNumbersAndSingleResources) {
  EXPECT_EQ(phone_numbers_target(), "/v1/phone-numbers");
  EXPECT_EQ(phone_numbers_target("US1"), "/v1/phone-numbers?userId=US1");
  EXPECT_EQ(resource_target("call-recordings", "AC2"), "/v1/call-recordings/AC2");
  EXPECT_EQ(resource_target("contacts", "../x?y"), "/v1/contacts/..%2Fx%3Fy");
}

TEST(OpenPhoneRestQuery, GenericBuilderKeepsOrderAndSkipsUnsetOptionals) {
  query_target target("/v1/x");
  target.add("a", "1").add_if("b", std::nullopt).add_each("c", {"2", "3"});
  EXPECT_EQ(target.str(), "/v1/x?a=1&c=2&c=3");
  EXPECT_EQ(query_target("/v1/y").str(), "/v1/y");
}

}  // namespace
}  // namespace crmd::integrations::openphone
