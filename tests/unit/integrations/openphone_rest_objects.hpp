#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

// One realistic OpenPhone REST object per resource (openphone-api.md §5), which each test then
// bends to the case it checks.
namespace crmd::integrations::openphone::rest_objects {

using nlohmann::json;
using strings = std::vector<std::string>;

inline const std::string customer = "+15085550100";
inline const std::string other_customer = "+15085550111";
inline const std::string ours = "+15085550199";

inline json list(json items, json next = nullptr) {
  return {{"data", std::move(items)}, {"totalItems", 3}, {"nextPageToken", std::move(next)}};
}

inline json phone_number() {
  return {{"id", "PN1"},
          {"groupId", "GR1"},
          {"createdAt", "2024-01-02T03:04:05.000Z"},
          {"updatedAt", "2024-01-02T03:04:05.000Z"},
          {"name", "Main line"},
          {"number", ours},
          {"formattedNumber", "(508) 555-0199"},
          {"forward", nullptr},
          {"users",
           json::array({{{"id", "US1"}, {"email", "owner@example.com"}, {"role", "owner"}},
                        {{"id", "US2"}, {"email", "tech@example.com"}, {"role", "member"}}})},
          {"restrictions",
           {{"messaging", {{"CA", "restricted"}, {"US", "unrestricted"}, {"Intl", "restricted"}}},
            {"calling", {{"CA", "restricted"}, {"US", "unrestricted"}, {"Intl", "restricted"}}}}}};
}

inline json user() {
  return {{"id", "US1"},          {"email", "owner@example.com"}, {"firstName", "Matt"},
          {"lastName", "Smith"},  {"pictureUrl", nullptr},        {"role", "owner"},
          {"createdAt", "2024-01-02T03:04:05.000Z"}, {"updatedAt", "2024-01-02T03:04:05.000Z"}};
}

inline json conversation() {
  return {{"id", "CN1"},
          {"phoneNumberId", "PN1"},
          {"participants", json::array({other_customer, customer})},
          {"name", "Jane Doe"},
          {"assignedTo", nullptr},
          {"createdAt", "2025-04-01T10:00:00.000Z"},
          {"updatedAt", "2025-05-01T14:00:00.000Z"},
          {"deletedAt", nullptr},
          {"lastActivityAt", "2025-05-01T14:00:00.000Z"},
          {"lastActivityId", "AC9"},
          {"mutedUntil", nullptr},
          {"snoozedUntil", nullptr}};
}

inline json message() {
  return {{"id", "AC1"},
          {"to", json::array({ours})},
          {"from", customer},
          {"text", "Is the basement crack covered?"},
          {"phoneNumberId", "PN1"},
          {"direction", "incoming"},
          {"userId", nullptr},
          {"status", "received"},
          {"createdAt", "2025-05-01T14:00:00.000Z"},
          {"updatedAt", "2025-05-01T14:00:00.000Z"}};
}

inline json call() {
  return {{"id", "AC2"},
          {"phoneNumberId", "PN1"},
          {"userId", "US1"},
          {"direction", "incoming"},
          {"status", "completed"},
          {"createdAt", "2025-05-01T15:00:00.000Z"},
          {"updatedAt", "2025-05-01T15:05:00.000Z"},
          {"answeredAt", "2025-05-01T15:00:10.000Z"},
          {"completedAt", "2025-05-01T15:05:00.000Z"},
          {"duration", 290},
          {"participants", json::array({customer, ours})},
          {"answeredBy", "US1"},
          {"initiatedBy", nullptr},
          {"forwardedFrom", nullptr},
          {"forwardedTo", nullptr},
          {"callRoute", "phone-number"},
          {"aiHandled", nullptr}};
}

inline json recordings() {
  return json::array(
    {{{"id", "CR1"}, {"url", "https://files.example/cr1.mp3"}, {"type", "audio/mpeg"},
      {"duration", 120}, {"startTime", "2025-05-01T15:00:10.000Z"}, {"status", "completed"}},
     {{"id", "CR2"}, {"url", "https://files.example/cr2.mp3"}, {"type", "audio/mpeg"},
      {"duration", 170.5}, {"startTime", "2025-05-01T15:02:10.000Z"}, {"status", "completed"}}});
}

inline json summary() {
  return {{"callId", "AC2"},
          {"status", "completed"},
          {"summary", json::array({"Customer reports a basement crack.", "Wants a quote."})},
          {"nextSteps", json::array({"Schedule an inspection."})},
          {"jobs", json::array()}};
}

inline json transcript() {
  return {{"callId", "AC2"},
          {"createdAt", "2025-05-01T15:06:00.000Z"},
          {"duration", 290},
          {"status", "completed"},
          {"dialogue", json::array({{{"content", "Hello, Attack-a-Crack."},
                                     {"start", 0.5},
                                     {"end", 2.1},
                                     {"identifier", ours},
                                     {"userId", "US1"}},
                                    {{"content", "Hi, I have a crack."},
                                     {"start", 2.4},
                                     {"end", 4.0},
                                     {"identifier", customer},
                                     {"userId", nullptr}}})}};
}

inline json voicemail() {
  return {{"id", "VM1"},
          {"duration", 31},
          {"transcript", "Please call me back about the foundation."},
          {"recordingUrl", "https://files.example/vm1.mp3"},
          {"status", "completed"}};
}

inline json contact() {
  return {{"id", "664d0db69fcac7cf2e6ec9a3"},
          {"externalId", nullptr},
          {"source", "public-api"},
          {"createdAt", "2025-01-01T00:00:00.000Z"},
          {"updatedAt", "2025-05-01T09:00:00.000Z"},
          {"createdByUserId", "US1"},
          {"defaultFields",
           {{"firstName", "Jane"},
            {"lastName", "Doe"},
            {"company", "Doe Homes"},
            {"role", nullptr},
            {"emails",
             json::array({{{"name", "work"}, {"value", "jane@example.com"}, {"id", "e1"}}})},
            {"phoneNumbers",
             json::array({{{"name", "mobile"}, {"value", customer}, {"id", "p1"}},
                          {{"name", "old"}, {"value", "(508) 555-0100"}, {"id", "p2"}}})}}},
          {"customFields", json::array()}};
}

}  // namespace crmd::integrations::openphone::rest_objects
