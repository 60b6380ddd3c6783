#pragma once

#include "domain/webhook_event.hpp"
#include "integrations/openphone/rest_envelope.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <string_view>

// OpenPhone REST messages and calls (GET /v1/messages, /v1/calls and their /{id} forms) →
// domain::activity_change, normalised exactly like the webhook mapper so an import and a
// webhook for the same activity converge on one row.
namespace crmd::integrations::openphone {

struct rest_options {
  // Our numbers by OpenPhone id (PN… → E.164), from GET /v1/phone-numbers. REST messages and
  // calls name only their phoneNumberId; this says which of their numbers is ours, so it stays
  // out of the external participants.
  std::map<std::string, std::string> our_numbers;
};

// Message: direction, status, from, to[], participants (the external parties), body (`text`),
// user, phone number id, occurred_at = createdAt.
rest_mapped<domain::activity_change> map_message(const nlohmann::json& item,
                                                 const rest_options& options);

// Call: participants, duration, answeredAt/completedAt/answeredBy/initiatedBy, forwarding and
// status; a completed call with answeredAt null is "missed" (incoming) or "no-answer"
// (outgoing). With our number known and one external party, from/to follow the direction.
rest_mapped<domain::activity_change> map_call(const nlohmann::json& item,
                                              const rest_options& options);

// The dated surface's GET /messages/{id} (Quo-Api-Version 2026-03-30) `data`: the one place
// OpenPhone's REST API lists a message's media. The change names the message and its media only.
rest_mapped<domain::activity_change> map_message_media(const nlohmann::json& data);

rest_page<domain::activity_change> map_message_page(std::string_view body,
                                                    const rest_options& options);
rest_page<domain::activity_change> map_call_page(std::string_view body,
                                                 const rest_options& options);

}  // namespace crmd::integrations::openphone
