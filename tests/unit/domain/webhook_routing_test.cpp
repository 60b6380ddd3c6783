#include "domain/webhook_routing.hpp"

#include <gtest/gtest.h>

namespace crmd::domain {
namespace {

webhook_event message(std::vector<std::string> parties, std::optional<std::string> number_id) {
  activity_change change;
  change.openphone_id = "AC1";
  change.activity_type = "message";
  change.participants = std::move(parties);
  change.phone_number_id = std::move(number_id);
  return {"EV1", "message.received", "v3", "2025-05-01T14:00:00Z", change};
}

TEST(WebhookRouting, ConversationKeyIsOurNumberAndTheParties) {
  EXPECT_EQ(routing_key(message({"+15085550100"}, "PN1")), "conversation:PN1|+15085550100");
  EXPECT_EQ(routing_key(message({"+15085550100", "+15085550101"}, "PN1")),
            "conversation:PN1|+15085550100,+15085550101");
}

TEST(WebhookRouting, SameConversationSameKeyWhateverTheEvent) {
  auto a = message({"+15085550100"}, "PN1");
  auto b = message({"+15085550100"}, "PN1");
  std::get<activity_change>(b.change).openphone_id = "AC2";
  std::get<activity_change>(b.change).activity_type = "call";
  EXPECT_EQ(routing_key(a), routing_key(b));
  EXPECT_NE(routing_key(a), routing_key(message({"+15085550100"}, "PN2")));
}

TEST(WebhookRouting, EventsNamingOnlyTheCallAreKeyedByTheCall) {
  EXPECT_EQ(routing_key(message({}, "PN1")), "call:AC1");
}

TEST(WebhookRouting, ContactEventsAreKeyedByTheContact) {
  webhook_event updated{"EV2", "contact.updated", "v3", "", contact_change{.openphone_id = "CT9"}};
  webhook_event removed{"EV3", "contact.deleted", "v3", "", contact_removal{"CT9"}};
  EXPECT_EQ(routing_key(updated), "contact:CT9");
  EXPECT_EQ(routing_key(removed), routing_key(updated));
}

TEST(WebhookRouting, LockNamesAreTheActivityAndEveryNumberItNames) {
  using names = std::vector<std::string>;
  EXPECT_EQ(lock_names(message({"+15085550100", "+15085550101"}, "PN1")),
            (names{"activity:AC1", "number:+15085550100", "number:+15085550101"}));
  // A call's summary names only the call, yet locks the call's row as its call event does.
  EXPECT_EQ(lock_names(message({}, "PN1")), names{"activity:AC1"});
  contact_change contact{.openphone_id = "CT9"};
  contact.phone_numbers = {"+15085550100"};
  EXPECT_EQ(lock_names({"EV2", "contact.updated", "v3", "", contact}),
            (names{"contact:CT9", "number:+15085550100"}));
  EXPECT_EQ(lock_names({"EV3", "contact.deleted", "v3", "", contact_removal{"CT9"}}),
            names{"contact:CT9"});
}

}  // namespace
}  // namespace crmd::domain
