#include "integrations/openphone/webhook_parser.hpp"

#include "openphone_payloads.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace crmd::integrations::openphone {
namespace {

using namespace payloads;

TEST(OpenPhoneWebhookRejection, UnknownTypeKeepsTheEnvelope) {
  auto rejection = rejected(parse(envelope("call.missed", "v4", v4_call())));
  EXPECT_EQ(rejection.code, "unsupported_event_type");
  EXPECT_EQ(rejection.event_id, "EV7");
  EXPECT_EQ(rejection.event_type, "call.missed");
  EXPECT_EQ(rejection.api_version, "v4");
}

TEST(OpenPhoneWebhookRejection, MissingIdAndInvalidJsonHaveTheirOwnCodes) {
  auto payload = envelope("message.received", "v3", v3_message());
  payload.erase("id");
  auto rejection = rejected(parse(payload));
  EXPECT_EQ(rejection.code, "missing_event_id");
  EXPECT_EQ(rejection.event_type, "message.received");
  payload["id"] = 12;
  EXPECT_EQ(rejected(parse(payload)).code, "missing_event_id");
  for (std::string_view body : {"", "{", "not json", R"({"id":"EV1",})", "\xff\xfe"})
    EXPECT_EQ(rejected(parse_webhook(body)).code, "invalid_json") << body;
}

// Hostile or broken payloads must come back as invalid_payload, never as an exception.
TEST(OpenPhoneWebhookRejection, WrongTypesAreRejectedNotThrown) {
  struct row {
    std::string label;
    json payload;
  };
  auto message_with = [](std::string_view key, json value) {
    auto object = v3_message();
    object[std::string(key)] = std::move(value);
    return envelope("message.received", "v3", object);
  };
  auto with_envelope = [](std::string_view key, json value) {
    auto payload = envelope("message.received", "v3", v3_message());
    payload[std::string(key)] = std::move(value);
    return payload;
  };
  auto with_data = [&with_envelope](json data) { return with_envelope("data", std::move(data)); };
  std::vector<row> rows{
      {"to number", message_with("to", 5)},
      {"to array of numbers", message_with("to", json::array({5}))},
      {"media string", message_with("media", "x")},
      {"media of strings", message_with("media", json::array({"x"}))},
      {"media url number", message_with("media", json::array({{{"url", 1}}}))},
      {"text object", message_with("text", json::object())},
      {"direction inbound", message_with("direction", "inbound")},
      {"direction number", message_with("direction", 1)},
      {"no direction", message_with("direction", nullptr)},
      {"createdAt shape", message_with("createdAt", "May 1st")},
      {"no createdAt", message_with("createdAt", nullptr)},
      {"id number", message_with("id", 7)},
      {"id empty", message_with("id", "")},
      {"data array", with_data(json::array())},
      {"data.object array", with_data({{"object", json::array()}})},
      {"no data", with_data(nullptr)},
      {"body array", json::array({1, 2})},
      {"type number", with_envelope("type", 3)},
      {"object not event", with_envelope("object", "message")},
  };
  auto call_with = [](std::string_view key, json value) {
    auto object = v4_call();
    object[std::string(key)] = std::move(value);
    return envelope("call.completed", "v4", object);
  };
  rows.push_back({"participants object", call_with("participants", json::object())});
  rows.push_back({"duration string", call_with("duration", "35")});
  rows.push_back({"duration negative", call_with("duration", -1)});
  rows.push_back({"recordings object", call_with("recordings", json::object())});
  rows.push_back({"voicemail string", call_with("voicemail", "x")});
  rows.push_back({"answeredAt number", call_with("answeredAt", 1)});
  auto summary = v4_summary();
  summary["summary"] = json::array({1});
  rows.push_back({"summary of numbers", envelope("callSummary", "v4", summary)});
  auto transcript = v4_transcript();
  transcript["dialogue"] = "hello";
  rows.push_back({"dialogue string", envelope("callTranscript", "v4", transcript)});
  auto contact = v3_contact();
  contact["fields"] = json::array();
  rows.push_back({"fields array", envelope("contact.updated", "v3", contact)});
  auto nameless = rest_contact();
  nameless["defaultFields"]["phoneNumbers"] = json::array({"+15085550100"});
  rows.push_back({"phoneNumbers of strings", envelope("contact.updated", "v4", nameless)});
  for (const auto& r : rows) {
    SCOPED_TRACE(r.label);
    parse_result result;
    EXPECT_NO_THROW(result = parse(r.payload));
    auto rejection = rejected(result);
    EXPECT_EQ(rejection.code, "invalid_payload");
    EXPECT_FALSE(rejection.message.empty());
  }
}

TEST(OpenPhoneWebhookRejection, DeepNestingIsRejected) {
  auto object = v4_transcript();
  json deep = json::array();
  for (int i = 0; i < max_payload_depth; ++i)
    deep = json::array({deep});
  object["dialogue"] = json::array({deep});
  EXPECT_EQ(rejected(parse(envelope("callTranscript", "v4", object))).code, "invalid_payload");
  std::string very_deep = R"({"id":"EV1","type":"call.completed","x":)" + std::string(100000, '[') +
                          std::string(100000, ']') + "}";
  EXPECT_EQ(rejected(parse_webhook(very_deep)).code, "invalid_payload");
}

}  // namespace
}  // namespace crmd::integrations::openphone
