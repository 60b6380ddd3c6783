#pragma once

#include "integrations/openphone/webhook_parser.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <string>
#include <variant>
#include <vector>

// Payload builders for the OpenPhone webhook tests: one realistic object per event and dialect
// (openphone-api.md §6), which each test then bends to the case it checks.
namespace crmd::integrations::openphone::payloads {

using nlohmann::json;
using strings = std::vector<std::string>;

inline constexpr std::string_view customer = "+15085550100";
inline constexpr std::string_view ours = "+15085550199";

// The reference's constructed example (openphone-api.md §6), byte for byte.
inline constexpr std::string_view reference_v3_message =
    R"({"id":"EV1","object":"event","apiVersion":"v3","createdAt":"2025-05-01T14:00:00.120Z","type":"message.received","data":{"object":{"id":"AC1","object":"message","from":"+15085550100","to":"+15085550199","direction":"incoming","body":"Crack photo attached","media":[{"url":"https://…/a.jpg","type":"image/jpeg"}],"status":"received","createdAt":"2025-05-01T14:00:00.010Z","userId":"US1","phoneNumberId":"PN1","conversationId":"CN1"}}})";

inline json envelope(std::string_view type, std::string_view version, json object) {
  return {{"id", "EV7"},
          {"object", "event"},
          {"apiVersion", version},
          {"createdAt", "2025-05-01T14:05:00.000Z"},
          {"type", type},
          {"data", {{"object", std::move(object)}, {"deepLink", "https://my.quo.com/inbox/x"}}}};
}

inline json v3_message(std::string_view direction = "incoming") {
  bool in = direction == "incoming";
  return {{"id", "AC1"},
          {"object", "message"},
          {"from", in ? customer : ours},
          {"to", in ? ours : customer},
          {"direction", direction},
          {"body", "Is Tuesday ok?"},
          {"media", json::array()},
          {"status", in ? "received" : "delivered"},
          {"createdAt", "2025-05-01T14:00:00.010Z"},
          {"userId", "US1"},
          {"phoneNumberId", "PN1"},
          {"conversationId", "CN1"}};
}

inline json v4_message(std::string_view direction = "incoming") {
  bool in = direction == "incoming";
  return {{"id", "AC2"},
          {"object", "message"},
          {"from", in ? customer : ours},
          {"to", json::array({in ? ours : customer})},
          {"direction", direction},
          {"text", "Is Tuesday ok?"},
          {"status", "delivered"},
          {"createdAt", "2025-05-01T14:00:00.010Z"},
          {"userId", nullptr},
          {"phoneNumberId", "PN1"},
          {"contactIds", json::array({"CT1"})}};
}

inline json v3_call(std::string_view status = "completed") {
  return {{"id", "AC3"},
          {"object", "call"},
          {"from", customer},
          {"to", ours},
          {"direction", "incoming"},
          {"status", status},
          {"createdAt", "2025-05-01T15:00:00.000Z"},
          {"answeredAt", "2025-05-01T15:00:05.000Z"},
          {"completedAt", "2025-05-01T15:03:00.000Z"},
          {"userId", "US1"},
          {"phoneNumberId", "PN1"},
          {"voicemail", nullptr}};
}

inline json v4_call(std::string_view status = "completed") {
  return {{"id", "AC4"},
          {"object", "call"},
          {"participants", json::array({customer, ours})},
          {"direction", "outgoing"},
          {"status", status},
          {"createdAt", "2025-05-01T15:00:00.000Z"},
          {"updatedAt", "2025-05-01T15:03:00.000Z"},
          {"answeredAt", "2025-05-01T15:00:05.000Z"},
          {"answeredBy", "US1"},
          {"initiatedBy", "US1"},
          {"completedAt", "2025-05-01T15:03:00.000Z"},
          {"duration", 175},
          {"forwardedFrom", nullptr},
          {"forwardedTo", nullptr},
          {"phoneNumberId", "PN1"},
          {"userId", "US1"},
          {"contactIds", json::array({"CT1"})},
          {"recordings", nullptr}};
}

inline json v4_summary() {
  return {{"object", "callSummary"},
          {"callId", "AC4"},
          {"status", "completed"},
          {"summary", json::array({"Customer reports a wall crack.", "Wants a quote."})},
          {"nextSteps", json::array({"Send quote"})},
          {"jobs", json::array()}};
}

inline json v4_transcript() {
  return {{"object", "callTranscript"},
          {"callId", "AC4"},
          {"createdAt", "2025-05-01T15:04:00.000Z"},
          {"duration", 175.5},
          {"status", "completed"},
          {"dialogue", json::array({{{"content", "Hello"},
                                     {"start", 0.5},
                                     {"end", 1.2},
                                     {"identifier", customer},
                                     {"userId", nullptr}}})}};
}

inline json v3_contact() {
  return {{"id", "CT1"},
          {"object", "contact"},
          {"firstName", "Dana"},
          {"lastName", "Reyes"},
          {"company", "Reyes Homes"},
          {"role", nullptr},
          {"fields",
           {{"Phone", customer},
            {"Mobile", json::array({" +15085550101 ", "(508) 555-0102"})},
            {"Email", "dana@example.com"},
            {"Address", "12 Elm St"},
            {"Jobs", 3}}},
          {"notes", json::array()},
          {"sharedWith", json::array({"OR1"})},
          {"userId", "US1"},
          {"createdAt", "2025-04-01T10:00:00.000Z"},
          {"updatedAt", "2025-05-01T10:00:00.000Z"}};
}

inline json rest_contact() {
  return {{"id", "6650f0c2e4b0a1b2c3d4e5f6"},
          {"defaultFields",
           {{"firstName", "Sam"},
            {"lastName", nullptr},
            {"company", nullptr},
            {"phoneNumbers", json::array({{{"name", "mobile"}, {"value", customer}, {"id", "x"}}})},
            {"emails", json::array({{{"name", "work"}, {"value", "sam@example.com"}}})}}},
          {"updatedAt", "2025-05-01T10:00:00.000Z"}};
}

inline parse_result parse(const json& payload, const parse_options& options = {}) {
  return parse_webhook(payload.dump(), options);
}

inline domain::webhook_event accepted(const parse_result& result) {
  if (const auto* rejection = std::get_if<domain::webhook_rejection>(&result)) {
    ADD_FAILURE() << rejection->code << ": " << rejection->message;
    return {};
  }
  return std::get<domain::webhook_event>(result);
}

inline domain::activity_change activity(const parse_result& result) {
  auto event = accepted(result);
  if (const auto* change = std::get_if<domain::activity_change>(&event.change))
    return *change;
  ADD_FAILURE() << "not an activity change";
  return {};
}

inline domain::webhook_rejection rejected(const parse_result& result) {
  if (const auto* rejection = std::get_if<domain::webhook_rejection>(&result))
    return *rejection;
  ADD_FAILURE() << "accepted: " << std::get<domain::webhook_event>(result).event_type;
  return {};
}

}  // namespace crmd::integrations::openphone::payloads
