#pragma once

#include "tests/support/http_client.hpp"

#include <cstdint>
#include <string>

namespace crmd::testing {

// A signing secret for tests (base64, as OpenPhone shows secrets); never a real one.
inline constexpr const char* test_webhook_secret = "ZW11bGF0b3ItdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2Q=";

// A v3 message.received delivery from `from` to our +15085550199 (PN1).
std::string inbound_message_payload(const std::string& event_id, const std::string& activity_id,
                                    const std::string& from, const std::string& text);

// POSTs the body to /webhooks/openphone signed with `secret` at `timestamp_ms` (default: now).
http_reply post_webhook(std::uint16_t port, const std::string& body,
                        const std::string& secret = test_webhook_secret,
                        std::int64_t timestamp_ms = 0);

}  // namespace crmd::testing
