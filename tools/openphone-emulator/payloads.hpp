#pragma once

#include "tools/openphone-emulator/facts.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

// Renders facts as the `data.object` of a webhook, in the dialects of openphone-api.md §6:
// v3 (app-created webhooks: `body`, `to` as a string, conversationId, media[], voicemail) and
// v4 (API-created: `text`, `to` as an array, contactIds, participants[], recordings[]).
namespace crmd::openphone_emulator {

using nlohmann::json;

// The point in a call's life an event reports.
enum class call_stage { ringing, completed, recording };

// `status` is what the event says about the message: v3 incoming "received", v4's docs sample
// "delivered" even on received, "sent" for an outgoing message still on its way.
json message_object(const message_fact& fact, dialect version, std::string_view status);

json call_object(const call_fact& fact, dialect version, call_stage stage);

// Summaries and transcripts name the call by `callId`; both dialects share one shape.
json summary_object(const call_fact& fact);
json transcript_object(const call_fact& fact);

// The v3 app-webhook contact (contact.updated and contact.deleted).
json contact_object(const contact_fact& fact);

// `https://my.quo.com/inbox/<PN>/c/<CN>?at=<AC>`, the link v3 and v4 deliveries carry.
std::string deep_link(std::string_view phone_number_id, std::string_view conversation_id,
                      std::string_view activity_id);

// `{"id","object":"event","apiVersion","createdAt","type","data":{"object",…}}`; `link` is
// left out when empty (contact events).
json envelope(std::string_view event_id, dialect version, std::string_view type,
              std::int64_t created_ms, json object, std::string_view link = {});

}  // namespace crmd::openphone_emulator
