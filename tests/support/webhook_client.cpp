#include "tests/support/webhook_client.hpp"

#include "integrations/openphone/signature.hpp"

#include <nlohmann/json.hpp>

#include <chrono>

namespace crmd::testing {

std::string inbound_message_payload(const std::string& event_id, const std::string& activity_id,
                                    const std::string& from, const std::string& text) {
  nlohmann::json object{{"id", activity_id},
                        {"object", "message"},
                        {"from", from},
                        {"to", "+15085550199"},
                        {"direction", "incoming"},
                        {"body", text},
                        {"media", nlohmann::json::array()},
                        {"status", "received"},
                        {"createdAt", "2025-05-01T14:00:00.010Z"},
                        {"userId", "US1"},
                        {"phoneNumberId", "PN1"},
                        {"conversationId", "CN" + from.substr(1)}};
  nlohmann::json envelope{{"id", event_id},
                          {"object", "event"},
                          {"apiVersion", "v3"},
                          {"createdAt", "2025-05-01T14:00:00.120Z"},
                          {"type", "message.received"},
                          {"data", {{"object", object}}}};
  return envelope.dump();
}

http_reply post_webhook(std::uint16_t port, const std::string& body, const std::string& secret,
                        std::int64_t timestamp_ms) {
  if (timestamp_ms == 0)
    timestamp_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                     std::chrono::system_clock::now().time_since_epoch())
                     .count();
  auto header = integrations::openphone::sign(body, secret, timestamp_ms).value_or("");
  return http_request(port, "POST", "/webhooks/openphone", body,
                      {{"Content-Type", "application/json"}, {"openphone-signature", header}});
}

}  // namespace crmd::testing
