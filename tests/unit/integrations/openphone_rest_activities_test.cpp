#include "integrations/openphone/rest_activities.hpp"

#include "openphone_rest_objects.hpp"

#include <gtest/gtest.h>

namespace crmd::integrations::openphone {
namespace {

using namespace rest_objects;

const rest_options known{.our_numbers = {{"PN1", ours}}};

domain::activity_change mapped_message(const json& item, const rest_options& options = known) {
  auto result = map_message(item, options);
  EXPECT_TRUE(result.ok()) << result.error;
  return result.ok() ? *result.value : domain::activity_change{};
}

domain::activity_change mapped_call(const json& item, const rest_options& options = known) {
  auto result = map_call(item, options);
  EXPECT_TRUE(result.ok()) << result.error;
  return result.ok() ? *result.value : domain::activity_change{};
}

TEST(OpenPhoneRestMessage, MapsAnIncomingMessage) {
  auto change = mapped_message(message());
  EXPECT_EQ(change.openphone_id, "AC1");
  EXPECT_EQ(change.activity_type, "message");
  EXPECT_EQ(change.direction, "incoming");
  EXPECT_EQ(change.status, "received");
  EXPECT_EQ(change.from_number, customer);
  EXPECT_EQ(change.to_numbers, strings{ours});
  EXPECT_EQ(change.participants, strings{customer});
  EXPECT_EQ(change.our_number, ours);
  EXPECT_EQ(change.body, "Is the basement crack covered?");
  EXPECT_EQ(change.phone_number_id, "PN1");
  EXPECT_FALSE(change.user_openphone_id);
  EXPECT_EQ(change.occurred_at, "2025-05-01T14:00:00.000Z");
  EXPECT_TRUE(change.media.empty());
  EXPECT_FALSE(change.conversation_openphone_id);
}

TEST(OpenPhoneRestMessage, OutgoingGroupMessageListsEveryoneButUsSorted) {
  auto item = message();
  item["direction"] = "outgoing";
  item["from"] = ours;
  item["to"] = json::array({other_customer, customer});
  item["userId"] = "US1";
  item["status"] = "delivered";
  auto change = mapped_message(item);
  EXPECT_EQ(change.participants, (strings{customer, other_customer}));
  EXPECT_EQ(change.user_openphone_id, "US1");
  EXPECT_EQ(change.status, "delivered");
}

TEST(OpenPhoneRestMessage, WithoutTheNumberMapTheDirectionPicksOurSide) {
  auto change = mapped_message(message(), {});
  EXPECT_EQ(change.our_number, ours);
  EXPECT_EQ(change.participants, strings{customer});
  auto outgoing = message();
  outgoing["direction"] = "outgoing";
  outgoing["from"] = ours;
  outgoing["to"] = json::array({customer});
  EXPECT_EQ(mapped_message(outgoing, {}).participants, strings{customer});
}

TEST(OpenPhoneRestMessage, UnknownStatusSaysNothing) {
  auto item = message();
  item["status"] = "teleported";
  EXPECT_FALSE(mapped_message(item).status);
}

TEST(OpenPhoneRestMessage, RefusesMalformedMessagesWithAClearReason) {
  struct bad_case {
    const char* key;
    json value;
    const char* error;
  };
  const bad_case cases[] = {
    {"id", nullptr, "message.id is required"},
    {"direction", "inbound", "message.direction must be incoming or outgoing"},
    {"direction", nullptr, "message.direction is required"},
    {"from", "5085550100", "message.from must be an E.164 number"},
    {"from", nullptr, "message.from is required"},
    {"to", json::array({"not a number"}), "message.to must hold only E.164 numbers"},
    {"to", 5, "message.to must be a string or an array of strings"},
    {"text", json::array(), "message.text must be a string"},
    {"createdAt", "yesterday", "message.createdAt must be an ISO-8601 UTC timestamp"},
    {"createdAt", nullptr, "message.createdAt is required"},
  };
  for (const auto& c : cases) {
    auto item = message();
    item[c.key] = c.value;
    auto result = map_message(item, known);
    ASSERT_FALSE(result.ok()) << c.key;
    EXPECT_EQ(result.error, c.error) << c.key;
  }
  EXPECT_EQ(map_message("AC1", known).error, "message must be an object");
}

TEST(OpenPhoneRestMessage, AMessageBetweenOurOwnNumbersHasNoCounterpart) {
  auto item = message();
  item["from"] = ours;
  auto result = map_message(item, known);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error, "message.participants name no external E.164 party");
}

TEST(OpenPhoneRestCall, MapsAnAnsweredIncomingCall) {
  auto change = mapped_call(call());
  EXPECT_EQ(change.openphone_id, "AC2");
  EXPECT_EQ(change.activity_type, "call");
  EXPECT_EQ(change.direction, "incoming");
  EXPECT_EQ(change.status, "completed");
  EXPECT_EQ(change.participants, strings{customer});
  EXPECT_EQ(change.our_number, ours);
  EXPECT_EQ(change.from_number, customer);
  EXPECT_EQ(change.to_numbers, strings{ours});
  EXPECT_EQ(change.duration_seconds, 290);
  EXPECT_EQ(change.answered_at, "2025-05-01T15:00:10.000Z");
  EXPECT_EQ(change.completed_at, "2025-05-01T15:05:00.000Z");
  EXPECT_EQ(change.answered_by, "US1");
  EXPECT_FALSE(change.initiated_by);
  EXPECT_EQ(change.user_openphone_id, "US1");
  EXPECT_EQ(change.occurred_at, "2025-05-01T15:00:00.000Z");
  EXPECT_FALSE(change.recording_url);
}

TEST(OpenPhoneRestCall, UnansweredCompletedCallIsMissedOrNoAnswer) {
  auto incoming = call();
  incoming["answeredAt"] = nullptr;
  incoming["answeredBy"] = nullptr;
  EXPECT_EQ(mapped_call(incoming).status, "missed");
  auto outgoing = incoming;
  outgoing["direction"] = "outgoing";
  outgoing["initiatedBy"] = "US1";
  auto change = mapped_call(outgoing);
  EXPECT_EQ(change.status, "no-answer");
  EXPECT_EQ(change.from_number, ours);
  EXPECT_EQ(change.to_numbers, strings{customer});
  EXPECT_EQ(change.initiated_by, "US1");
}

TEST(OpenPhoneRestCall, RingingCallWithoutAnswerKeepsItsStatus) {
  auto item = call();
  item["status"] = "ringing";
  item["answeredAt"] = nullptr;
  EXPECT_EQ(mapped_call(item).status, "ringing");
}

TEST(OpenPhoneRestCall, WithoutOurNumberNoSidesAreGuessed) {
  auto item = call();
  item["participants"] = json::array({customer});
  auto change = mapped_call(item, {});
  EXPECT_EQ(change.participants, strings{customer});
  EXPECT_FALSE(change.from_number);
  EXPECT_TRUE(change.to_numbers.empty());
}

TEST(OpenPhoneRestCall, ForwardingFieldsPassThrough) {
  auto item = call();
  item["status"] = "forwarded";
  item["forwardedTo"] = "+16175550123";
  item["forwardedFrom"] = "US1";
  auto change = mapped_call(item);
  EXPECT_EQ(change.status, "forwarded");
  EXPECT_EQ(change.forwarded_to, "+16175550123");
  EXPECT_EQ(change.forwarded_from, "US1");
}

TEST(OpenPhoneRestCall, RefusesMalformedCalls) {
  struct bad_case {
    const char* key;
    json value;
    const char* error;
  };
  const bad_case cases[] = {
    {"participants", json::array({"15085550100"}),
     "call.participants must hold only E.164 numbers"},
    {"participants", json::array(), "call.participants name no external E.164 party"},
    {"duration", -3, "call.duration must be a non-negative number of seconds"},
    {"duration", "290", "call.duration must be a number"},
    {"answeredAt", 17, "call.answeredAt must be a string"},
    {"direction", "sideways", "call.direction must be incoming or outgoing"},
  };
  for (const auto& c : cases) {
    auto item = call();
    item[c.key] = c.value;
    auto result = map_call(item, known);
    ASSERT_FALSE(result.ok()) << c.key;
    EXPECT_EQ(result.error, c.error) << c.key;
  }
}

TEST(OpenPhoneRestActivities, PagesMapEveryItemAndKeepTheToken) {
  auto bad = message();
  bad["from"] = "bogus";
  auto page = map_message_page(list(json::array({message(), bad}), "next").dump(), known);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page.items.size(), 1u);
  ASSERT_EQ(page.item_errors.size(), 1u);
  EXPECT_EQ(page.item_errors[0].id, "AC1");
  EXPECT_EQ(page.next_page_token, "next");
  auto calls = map_call_page(list(json::array({call()})).dump(), known);
  ASSERT_TRUE(calls.ok());
  EXPECT_EQ(calls.items.size(), 1u);
  EXPECT_FALSE(calls.next_page_token);
}

}  // namespace
}  // namespace crmd::integrations::openphone
