#pragma once

#include "actors/llm_client_types.hpp"

#include <caf/type_id.hpp>

// The vocabulary of the campaign actors (registry, campaigns, sending numbers, replies). Its
// own type-id block after the LLM client's.
CAF_BEGIN_TYPE_ID_BLOCK(crmd_campaign, caf::id_block::crmd_llm::end)
  CAF_ADD_ATOM(crmd_campaign, crmd::atoms, campaign_command_atom, "camp_cmd")
CAF_END_TYPE_ID_BLOCK(crmd_campaign)
