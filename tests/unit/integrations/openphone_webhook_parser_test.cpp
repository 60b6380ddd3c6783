#include "integrations/openphone/webhook_parser.hpp"

#include "openphone_payloads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

namespace crmd::integrations::openphone {
namespace {

using namespace payloads;

TEST(OpenPhoneWebhookParser, ReadsTheReferenceExample) {
  auto event = accepted(parse_webhook(reference_v3_message));
  EXPECT_EQ(event.event_id, "EV1");
  EXPECT_EQ(event.event_type, "message.received");
  EXPECT_EQ(event.api_version, "v3");
  EXPECT_EQ(event.created_at, "2025-05-01T14:00:00.120Z");
  const auto& change = std::get<domain::activity_change>(event.change);
  EXPECT_EQ(change.openphone_id, "AC1");
  EXPECT_EQ(change.activity_type, "message");
  EXPECT_EQ(change.direction, "incoming");
  EXPECT_EQ(change.status, "received");
  EXPECT_EQ(change.from_number, "+15085550100");
  EXPECT_EQ(change.to_numbers, strings{"+15085550199"});
  EXPECT_EQ(change.participants, strings{"+15085550100"});
  EXPECT_EQ(change.our_number, "+15085550199");
  EXPECT_EQ(change.body, "Crack photo attached");
  ASSERT_EQ(change.media.size(), 1u);
  EXPECT_EQ(change.media[0].url, "https://…/a.jpg");
  EXPECT_EQ(change.media[0].type, "image/jpeg");
  EXPECT_EQ(change.occurred_at, "2025-05-01T14:00:00.010Z");
  EXPECT_EQ(change.user_openphone_id, "US1");
  EXPECT_EQ(change.phone_number_id, "PN1");
  EXPECT_EQ(change.conversation_openphone_id, "CN1");
}

TEST(OpenPhoneWebhookParser, AnEmptyUserIdNamesNoUser) {
  auto payload = nlohmann::json::parse(reference_v3_message);
  payload["data"]["object"]["userId"] = "";
  auto event = accepted(parse_webhook(payload.dump()));
  EXPECT_FALSE(std::get<domain::activity_change>(event.change).user_openphone_id);
}

// Every event type in both dialects lands on the right record with the right key fields.
TEST(OpenPhoneWebhookParser, EveryEventTypeInBothDialects) {
  struct row {
    std::string type;
    std::string version;
    json object;
    std::string expected_type;
    std::string expected_id;
    strings participants;
  };
  const strings external{std::string(customer)};
  std::vector<row> rows{
      {"message.received", "v3", v3_message(), "message.received", "AC1", external},
      {"message.received", "v4", v4_message(), "message.received", "AC2", external},
      {"message.delivered", "v3", v3_message("outgoing"), "message.delivered", "AC1", external},
      {"message.delivered", "v4", v4_message("outgoing"), "message.delivered", "AC2", external},
      {"call.ringing", "v3", v3_call("ringing"), "call.ringing", "AC3", external},
      {"call.ringing", "v4", v4_call("ringing"), "call.ringing", "AC4", external},
      {"call.completed", "v3", v3_call(), "call.completed", "AC3", external},
      {"call.completed", "v4", v4_call(), "call.completed", "AC4", external},
      {"call.recording.completed", "v3", v3_call(), "call.recording.completed", "AC3", external},
      {"call.recording.completed", "v4", v4_call(), "call.recording.completed", "AC4", external},
      {"call.summary.completed", "v3", v4_summary(), "call.summary.completed", "AC4", {}},
      {"call.summary.completed", "v4", v4_summary(), "call.summary.completed", "AC4", {}},
      {"call.transcript.completed", "v3", v4_transcript(), "call.transcript.completed", "AC4", {}},
      {"call.transcript.completed", "v4", v4_transcript(), "call.transcript.completed", "AC4", {}},
      {"callSummary", "v4", v4_summary(), "call.summary.completed", "AC4", {}},
      {"callTranscript", "v4", v4_transcript(), "call.transcript.completed", "AC4", {}},
  };
  parse_options options{{std::string(ours)}};
  for (const auto& r : rows) {
    SCOPED_TRACE(r.type + " " + r.version);
    auto event = accepted(parse(envelope(r.type, r.version, r.object), options));
    EXPECT_EQ(event.event_id, "EV7");
    EXPECT_EQ(event.event_type, r.expected_type);
    EXPECT_EQ(event.api_version, r.version);
    auto change = std::get<domain::activity_change>(event.change);
    EXPECT_EQ(change.openphone_id, r.expected_id);
    EXPECT_EQ(change.participants, r.participants);
  }
  for (std::string version : {"v3", "v4"}) {
    SCOPED_TRACE(version);
    auto updated = accepted(parse(
        envelope("contact.updated", version, version == "v3" ? v3_contact() : rest_contact())));
    EXPECT_TRUE(std::holds_alternative<domain::contact_change>(updated.change));
    auto deleted = accepted(parse(envelope("contact.deleted", version, v3_contact())));
    EXPECT_EQ(std::get<domain::contact_removal>(deleted.change).openphone_id, "CT1");
  }
}

TEST(OpenPhoneWebhookParser, V4MessageReadsTextAndToArray) {
  auto change = activity(parse(envelope("message.received", "v4", v4_message())));
  EXPECT_EQ(change.body, "Is Tuesday ok?");
  EXPECT_EQ(change.to_numbers, strings{std::string(ours)});
  EXPECT_EQ(change.our_number, ours);
  EXPECT_FALSE(change.conversation_openphone_id);
  EXPECT_FALSE(change.user_openphone_id);
}

TEST(OpenPhoneWebhookParser, OutgoingMessageHasOurNumberInFrom) {
  auto change = activity(parse(envelope("message.delivered", "v3", v3_message("outgoing"))));
  EXPECT_EQ(change.our_number, ours);
  EXPECT_EQ(change.from_number, ours);
  EXPECT_EQ(change.participants, strings{std::string(customer)});
  EXPECT_EQ(change.status, "delivered");
}

TEST(OpenPhoneWebhookParser, ToAcceptsArrayStringAndCommaString) {
  struct row {
    json to;
    strings expected;
  };
  std::vector<row> rows{
      {json::array({"+15085550101", "+15085550102"}), {"+15085550101", "+15085550102"}},
      {"+15085550101", {"+15085550101"}},
      {"+15085550102, +15085550101,,", {"+15085550102", "+15085550101"}},
      {" +15085550101 ", {"+15085550101"}},
  };
  for (const auto& r : rows) {
    SCOPED_TRACE(r.to.dump());
    auto object = v3_message("outgoing");
    object["to"] = r.to;
    auto change = activity(parse(envelope("message.delivered", "v3", object)));
    EXPECT_EQ(change.to_numbers, r.expected);
    strings sorted = r.expected;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(change.participants, sorted);
  }
}

TEST(OpenPhoneWebhookParser, IncomingGroupMessageNeedsOurNumbersToLeaveUsOut) {
  auto object = v3_message();
  object["to"] = std::string(ours) + ",+15085550102";
  auto change = activity(
      parse(envelope("message.received", "v3", object), parse_options{{std::string(ours)}}));
  EXPECT_EQ(change.our_number, ours);
  EXPECT_EQ(change.participants, (strings{std::string(customer), "+15085550102"}));
}

TEST(OpenPhoneWebhookParser, ParticipantsDropOurNumberAndNonE164) {
  auto object = v4_call();
  object["participants"] = json::array({ours, "+15085550102", customer, "anonymous", customer});
  auto change =
      activity(parse(envelope("call.completed", "v4", object), parse_options{{std::string(ours)}}));
  EXPECT_EQ(change.participants, (strings{std::string(customer), "+15085550102"}));
  EXPECT_EQ(change.our_number, ours);
  EXPECT_EQ(change.duration_seconds, 175);
  EXPECT_EQ(change.answered_by, "US1");
  EXPECT_FALSE(change.forwarded_to);
}

TEST(OpenPhoneWebhookParser, EmptyV4ParticipantsFallBackToFromAndTo) {
  auto object = v4_call();
  object["participants"] = json::array();
  object["from"] = ours;
  object["to"] = customer;
  auto change = activity(parse(envelope("call.completed", "v4", object)));
  EXPECT_EQ(change.participants, strings{std::string(customer)});
  EXPECT_EQ(change.our_number, ours);
}

TEST(OpenPhoneWebhookParser, CallWithoutAnyCounterpartIsRejected) {
  auto object = v4_call();
  object["participants"] = json::array();
  EXPECT_EQ(rejected(parse(envelope("call.completed", "v4", object))).code, "invalid_payload");
  auto hidden = v3_call();
  hidden["from"] = "anonymous";
  EXPECT_EQ(rejected(parse(envelope("call.completed", "v3", hidden))).code, "invalid_payload");
}

TEST(OpenPhoneWebhookParser, CompletedButNeverAnsweredIsMissed) {
  auto incoming = v3_call();
  incoming["answeredAt"] = nullptr;
  incoming["voicemail"] = {
      {"url", "https://files/vm.mp3"}, {"type", "audio/mpeg"}, {"duration", 21}};
  auto change = activity(parse(envelope("call.completed", "v3", incoming)));
  EXPECT_EQ(change.status, "missed");
  EXPECT_FALSE(change.answered_at);
  EXPECT_EQ(change.voicemail_url, "https://files/vm.mp3");

  auto outgoing = v4_call();
  outgoing["answeredAt"] = nullptr;
  EXPECT_EQ(activity(parse(envelope("call.completed", "v4", outgoing))).status, "no-answer");

  auto silent = v3_call();
  silent.erase("answeredAt");
  EXPECT_EQ(activity(parse(envelope("call.completed", "v3", silent))).status, "completed");

  auto provider_says = v3_call("no-answer");
  provider_says["answeredAt"] = nullptr;
  EXPECT_EQ(activity(parse(envelope("call.completed", "v3", provider_says))).status, "no-answer");
}

TEST(OpenPhoneWebhookParser, RecordingsKeepEverySegmentAndLinkTheFirst) {
  auto v3 = v3_call();
  v3["media"] =
      json::array({{{"url", "https://files/r1.mp3"}, {"type", "audio/mpeg"}, {"duration", 60}},
                   {{"url", "https://files/r2.mp3"}, {"type", "audio/mpeg"}}});
  auto change = activity(parse(envelope("call.recording.completed", "v3", v3)));
  EXPECT_EQ(change.recording_url, "https://files/r1.mp3");
  ASSERT_EQ(change.media.size(), 2u);
  EXPECT_EQ(change.media[0].duration, 60.0);
  EXPECT_FALSE(change.media[1].duration);

  auto v4 = v4_call();
  v4["recordings"] = json::array({{{"id", "CR1"},
                                   {"url", "https://files/r3.mp3"},
                                   {"type", "audio/mpeg"},
                                   {"duration", 42.5},
                                   {"startTime", "2025-05-01T15:00:05.000Z"}},
                                  {{"id", "CR2"}, {"url", nullptr}}});
  v4["media"] = json::array({{{"url", "https://files/ignored.mp3"}}});
  change = activity(parse(envelope("call.recording.completed", "v4", v4)));
  EXPECT_EQ(change.recording_url, "https://files/r3.mp3");
  ASSERT_EQ(change.media.size(), 1u);
  EXPECT_EQ(change.media[0].duration, 42.5);
}

// A recording can be delivered before its call.completed: it must stand on its own.
TEST(OpenPhoneWebhookParser, RecordingBeforeCallNeedsOnlyTheCallId) {
  json bare{
      {"id", "AC9"},
      {"object", "call"},
      {"recordings", json::array({{{"url", "https://files/r.mp3"}, {"type", "audio/mpeg"}}})}};
  auto change = activity(parse(envelope("call.recording.completed", "v4", bare)));
  EXPECT_EQ(change.openphone_id, "AC9");
  EXPECT_EQ(change.activity_type, "call");
  EXPECT_EQ(change.recording_url, "https://files/r.mp3");
  EXPECT_TRUE(change.participants.empty());
  EXPECT_FALSE(change.direction);
  EXPECT_FALSE(change.status);
  EXPECT_FALSE(change.occurred_at);
}

TEST(OpenPhoneWebhookParser, SummaryKeepsSentencesAndNextSteps) {
  auto event = accepted(parse(envelope("callSummary", "v4", v4_summary())));
  EXPECT_EQ(event.event_type, "call.summary.completed");
  const auto& change = std::get<domain::activity_change>(event.change);
  EXPECT_EQ(change.openphone_id, "AC4");
  EXPECT_EQ(change.activity_type, "call");
  EXPECT_EQ(change.ai_summary, (strings{"Customer reports a wall crack.", "Wants a quote."}));
  EXPECT_EQ(change.ai_next_steps, strings{"Send quote"});
  EXPECT_EQ(change.ai_content_status, "completed");
}

TEST(OpenPhoneWebhookParser, AiContentStatusIsPendingCompletedOrFailed) {
  struct row {
    json status;
    std::optional<std::string> expected;
  };
  std::vector<row> rows{{"completed", "completed"}, {"failed", "failed"},
                        {"absent", "pending"},      {"in-progress", "pending"},
                        {"exploded", std::nullopt}, {nullptr, std::nullopt}};
  for (const auto& r : rows) {
    SCOPED_TRACE(r.status.dump());
    auto summary = v4_summary();
    summary["status"] = r.status;
    summary["summary"] = nullptr;
    auto change = activity(parse(envelope("call.summary.completed", "v4", summary)));
    EXPECT_EQ(change.ai_content_status, r.expected);
    EXPECT_FALSE(change.ai_summary);
  }
}

TEST(OpenPhoneWebhookParser, TranscriptKeepsTheDialogueAsReceived) {
  auto change = activity(parse(envelope("callTranscript", "v4", v4_transcript())));
  EXPECT_EQ(change.openphone_id, "AC4");
  ASSERT_TRUE(change.ai_transcript);
  EXPECT_EQ(*change.ai_transcript, v4_transcript()["dialogue"]);
  EXPECT_EQ(change.ai_content_status, "completed");
  EXPECT_FALSE(change.duration_seconds);
}

TEST(OpenPhoneWebhookParser, StatusesOutsideTheSchemaAreLeftUnset) {
  struct row {
    std::string type;
    json object;
    std::string status;
    std::optional<std::string> expected;
  };
  std::vector<row> rows{
      {"message.received", v3_message(), "undelivered", "undelivered"},
      {"message.received", v3_message(), "ringing", std::nullopt},
      {"message.received", v3_message(), "Delivered", std::nullopt},
      {"call.ringing", v3_call(), "ringing", "ringing"},
      {"call.completed", v3_call(), "abandoned", "abandoned"},
      {"call.completed", v3_call(), "delivered", std::nullopt},
  };
  for (auto& r : rows) {
    SCOPED_TRACE(r.type + " " + r.status);
    r.object["status"] = r.status;
    EXPECT_EQ(activity(parse(envelope(r.type, "v3", r.object))).status, r.expected);
  }
}

TEST(OpenPhoneWebhookParser, ContactFieldsYieldPhonesAndEmails) {
  auto event = accepted(parse(envelope("contact.updated", "v3", v3_contact())));
  const auto& change = std::get<domain::contact_change>(event.change);
  EXPECT_EQ(change.openphone_id, "CT1");
  EXPECT_EQ(change.first_name, "Dana");
  EXPECT_EQ(change.last_name, "Reyes");
  EXPECT_EQ(change.company, "Reyes Homes");
  EXPECT_EQ(change.phone_numbers, (strings{"+15085550101", std::string(customer)}));
  EXPECT_EQ(change.emails, strings{"dana@example.com"});
  EXPECT_EQ(change.updated_at, "2025-05-01T10:00:00.000Z");
}

TEST(OpenPhoneWebhookParser, ContactReadsTheRestShapeToo) {
  auto event = accepted(parse(envelope("contact.updated", "v4", rest_contact())));
  const auto& change = std::get<domain::contact_change>(event.change);
  EXPECT_EQ(change.openphone_id, "6650f0c2e4b0a1b2c3d4e5f6");
  EXPECT_EQ(change.first_name, "Sam");
  EXPECT_FALSE(change.last_name);
  EXPECT_EQ(change.phone_numbers, strings{std::string(customer)});
  EXPECT_EQ(change.emails, strings{"sam@example.com"});
}

TEST(OpenPhoneWebhookParser, UnicodeBodiesArePreservedExactly) {
  const std::string text = "Crack 🧱 in the wall — café, naïve, 日本語, e\u0301";
  auto object = v4_message();
  object["text"] = text;
  EXPECT_EQ(activity(parse(envelope("message.received", "v4", object))).body, text);
  std::string escaped(reference_v3_message);
  escaped.replace(escaped.find("Crack photo attached"), 20, R"(\ud83e\uddf1 \u00e9\n)");
  EXPECT_EQ(activity(parse_webhook(escaped)).body, "\U0001F9F1 \u00e9\n");
}

TEST(OpenPhoneWebhookParser, KeyOrderDoesNotMatter) {
  std::string reordered =
      R"({"data":{"object":{"conversationId":"CN1","to":"+15085550199","from":"+15085550100","createdAt":"2025-05-01T14:00:00.010Z","direction":"incoming","id":"AC1","body":"x"}},"type":"message.received","createdAt":"2025-05-01T14:00:00.120Z","apiVersion":"v3","object":"event","id":"EV1"})";
  auto change = activity(parse_webhook(reordered));
  EXPECT_EQ(change.openphone_id, "AC1");
  EXPECT_EQ(change.participants, strings{std::string(customer)});
}

// The fuzz seeds are meant to be real-shaped deliveries: each must parse, or the fuzzer starts
// from the rejection paths only. Seeds named for a rejection must keep being rejected so.
TEST(OpenPhoneWebhookParser, FuzzSeedsAreRealShaped) {
  std::filesystem::path seeds{CRMD_SOURCE_DIR "/tests/fuzz/corpus/webhook_parser"};
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
    std::ifstream file(entry.path(), std::ios::binary);
    std::string body{std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>()};
    auto result = parse_webhook(body, parse_options{{std::string(ours)}});
    SCOPED_TRACE(entry.path().filename().string());
    std::string name = entry.path().filename().string();
    if (name.starts_with("unsupported_"))
      EXPECT_EQ(rejected(result).code, "unsupported_event_type");
    else if (name.starts_with("rejected_"))
      EXPECT_EQ(rejected(result).code, "invalid_payload");
    else
      accepted(result);
    ++count;
  }
  EXPECT_GE(count, 18);
}
}  // namespace
}  // namespace crmd::integrations::openphone
