#include "tools/openphone-emulator/generator.hpp"
#include "tools/openphone-emulator/payloads.hpp"

#include "integrations/openphone/webhook_parser.hpp"

#include "tests/unit/tools/emulator_epoch.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <variant>

namespace crmd::openphone_emulator {
namespace {

using nlohmann::json;

using testing::may_first;

const std::regex iso_ms(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

message_fact group_message(const world& w, std::string direction) {
  rng random(1);
  return draw_message(w, random, 0, may_first,
                      {.direction = std::move(direction), .group = true, .mms = true});
}

call_fact call_with(const world& w, call_outcome outcome) {
  rng random(2);
  return draw_call(w, random, 1, may_first, {.direction = "incoming", .outcome = outcome});
}

TEST(EmulatorClock, FormatsIsoUtcWithMilliseconds) {
  EXPECT_EQ(iso_utc(may_first + 120), "2025-05-01T14:00:00.120Z");
  EXPECT_EQ(iso_utc(0), "1970-01-01T00:00:00.000Z");
}

TEST(EmulatorPayloads, V3MessageUsesBodyConversationAndCommaJoinedRecipients) {
  auto w = make_world(5);
  auto m = group_message(w, "incoming");
  auto object = message_object(m, dialect::v3, "received");
  EXPECT_EQ(object["body"], m.text);
  EXPECT_FALSE(object.contains("text"));
  EXPECT_EQ(object["conversationId"], m.conversation_id);
  ASSERT_TRUE(object["to"].is_string());
  EXPECT_NE(object["to"].get<std::string>().find(','), std::string::npos);
  EXPECT_EQ(object["to"].get<std::string>().substr(0, m.our_number.size()), m.our_number);
  ASSERT_FALSE(object["media"].empty());
  EXPECT_TRUE(object["media"][0].contains("url"));
  EXPECT_EQ(object["status"], "received");
  EXPECT_TRUE(std::regex_match(object["createdAt"].get<std::string>(), iso_ms));
}

TEST(EmulatorPayloads, V4MessageUsesTextContactIdsAndRecipientArray) {
  auto w = make_world(5);
  auto m = group_message(w, "outgoing");
  auto object = message_object(m, dialect::v4, "delivered");
  EXPECT_EQ(object["text"], m.text);
  EXPECT_FALSE(object.contains("body"));
  EXPECT_FALSE(object.contains("conversationId"));
  ASSERT_TRUE(object["to"].is_array());
  EXPECT_GE(object["to"].size(), 2u);
  EXPECT_EQ(object["from"], m.our_number);
  EXPECT_EQ(object["contactIds"].size(), m.contact_ids.size());
  EXPECT_EQ(object["userId"], m.user_id);
  EXPECT_TRUE(
      message_object(group_message(w, "incoming"), dialect::v4, "delivered")["userId"].is_null());
}

TEST(EmulatorPayloads, MissedCallHasNullAnsweredAt) {
  auto w = make_world(5);
  auto c = call_with(w, call_outcome::missed);
  for (auto version : {dialect::v3, dialect::v4}) {
    auto object = call_object(c, version, call_stage::completed);
    EXPECT_TRUE(object["answeredAt"].is_null());
    EXPECT_TRUE(object["completedAt"].is_string());
  }
}

TEST(EmulatorPayloads, V3VoicemailAndRecordingMedia) {
  auto w = make_world(5);
  auto voicemail =
      call_object(call_with(w, call_outcome::voicemail), dialect::v3, call_stage::completed);
  EXPECT_EQ(voicemail["voicemail"]["type"], "audio/mpeg");
  EXPECT_TRUE(voicemail["from"].is_string());
  auto recorded =
      call_object(call_with(w, call_outcome::answered), dialect::v3, call_stage::recording);
  ASSERT_EQ(recorded["media"].size(), 1u);
  EXPECT_TRUE(recorded["media"][0].contains("duration"));
  EXPECT_FALSE(recorded.contains("recordings"));
}

TEST(EmulatorPayloads, V4CallCarriesParticipantsRecordingsAndForwarding) {
  auto w = make_world(5);
  auto c = call_with(w, call_outcome::forwarded);
  auto completed = call_object(c, dialect::v4, call_stage::completed);
  EXPECT_EQ(completed["participants"].size(), 2u);
  EXPECT_FALSE(completed.contains("from"));
  EXPECT_TRUE(completed["recordings"].is_null());
  EXPECT_EQ(completed["answeredBy"], c.answered_by);
  EXPECT_EQ(completed["forwardedTo"], c.forwarded_to);
  EXPECT_FALSE(completed["answeredBy"].is_null());
  auto recorded = call_object(c, dialect::v4, call_stage::recording);
  ASSERT_EQ(recorded["recordings"].size(), 1u);
  EXPECT_EQ(recorded["recordings"][0]["id"].get<std::string>().substr(0, 2), "CR");
  auto ringing = call_object(c, dialect::v4, call_stage::ringing);
  EXPECT_EQ(ringing["status"], "ringing");
  EXPECT_TRUE(ringing["answeredAt"].is_null());
}

TEST(EmulatorPayloads, SummaryAndTranscriptNameTheCall) {
  auto w = make_world(5);
  auto c = call_with(w, call_outcome::answered);
  auto summary = summary_object(c);
  EXPECT_EQ(summary["callId"], c.id);
  EXPECT_TRUE(summary["summary"].is_array());
  EXPECT_TRUE(summary["nextSteps"].is_array());
  auto transcript = transcript_object(c);
  EXPECT_EQ(transcript["callId"], c.id);
  ASSERT_FALSE(transcript["dialogue"].empty());
  for (const auto& line : transcript["dialogue"]) {
    EXPECT_TRUE(line["identifier"] == c.our_number || line["identifier"] == c.contact_number);
    EXPECT_LE(line["start"].get<double>(), line["end"].get<double>());
  }
}

TEST(EmulatorPayloads, EnvelopeHasTheLegacyShape) {
  auto env = envelope("EV1", dialect::v4, "call.completed", may_first, json::object(), "https://x");
  EXPECT_EQ(env["id"], "EV1");
  EXPECT_EQ(env["object"], "event");
  EXPECT_EQ(env["apiVersion"], "v4");
  EXPECT_EQ(env["createdAt"], "2025-05-01T14:00:00.000Z");
  EXPECT_EQ(env["data"]["deepLink"], "https://x");
  EXPECT_TRUE(env["data"]["object"].is_object());
  EXPECT_FALSE(envelope("EV2", dialect::v3, "contact.updated", 0, json::object())["data"].contains(
      "deepLink"));
}

// The strongest check available without a running crmd: crmd's own parser understands every
// generated delivery and reads back the activity or contact the generator says it touches.
TEST(EmulatorPayloads, CrmdParsesEveryGeneratedEvent) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    auto w = make_world(seed);
    integrations::openphone::parse_options options;
    for (const auto& number : w.numbers)
      options.our_numbers.push_back(number.e164);
    for (auto full : {false, true}) {
      generation_options generation{.full_calls = full, .message_pairs = full};
      for (const auto& event : generate_events(w, generation, 600, may_first)) {
        auto parsed = integrations::openphone::parse_webhook(event.body, options);
        if (auto* rejection = std::get_if<domain::webhook_rejection>(&parsed)) {
          ADD_FAILURE() << rejection->code << ": " << rejection->message << "\n" << event.body;
          continue;
        }
        const auto& understood = std::get<domain::webhook_event>(parsed);
        EXPECT_EQ(understood.event_id, event.id);
        EXPECT_EQ(understood.event_type, event.type);
        if (const auto* activity = std::get_if<domain::activity_change>(&understood.change)) {
          EXPECT_EQ(activity->openphone_id, event.activity_id);
        } else if (const auto* contact = std::get_if<domain::contact_change>(&understood.change)) {
          EXPECT_EQ(contact->openphone_id, event.contact_id);
        } else {
          EXPECT_EQ(std::get<domain::contact_removal>(understood.change).openphone_id,
                    event.contact_id);
        }
      }
    }
  }
}

}  // namespace
}  // namespace crmd::openphone_emulator
