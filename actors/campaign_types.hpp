#pragma once

#include "actors/llm_client_types.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/type_id.hpp>

#include <cstdint>
#include <optional>
#include <string>

// The vocabulary of the campaign actors (registry, campaigns, sending numbers, replies). Its
// own type-id block after the LLM client's.
CAF_BEGIN_TYPE_ID_BLOCK(crmd_campaign, caf::id_block::crmd_llm::end)
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, campaign_command_atom, "camp_cmd")
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, reply_nudge_atom, "reply_nudg")
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, campaign_wake_atom, "camp_wake")
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, campaign_stop_atom, "camp_stop")
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, permit_request_atom, "permit_req")
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, permit_grant_atom, "permit_ok")
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, sending_number_atom, "send_num")
CAF_END_TYPE_ID_BLOCK(crmd_campaign)

namespace crmd {

// (campaign_command_atom, campaign_command) to the campaign registry (registry_keys::campaigns),
// answered with a campaign_command_result. The API's launch/pause/resume/cancel routes forward
// here and answer what the registry answers.
struct campaign_command {
  std::int64_t campaign_id = 0;
  std::string action;  // "launch" | "pause" | "resume" | "cancel"
  std::int64_t user_id = 0;
  std::optional<std::string> scheduled_at;  // launch only: ISO 8601; absent = now
};

struct campaign_command_result {
  bool ok = false;
  std::string error_code;     // "not_found", "invalid_transition", … when !ok
  std::string message;
  std::string campaign_json;  // campaign_json(campaigns) text when ok
};

}  // namespace crmd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::campaign_command)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::campaign_command_result)
