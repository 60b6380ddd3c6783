#pragma once

#include "actors/openphone_client_types.hpp"

#include <caf/type_id.hpp>

// The vocabulary of the LLM client actor (reply classification). Its own type-id block after
// the OpenPhone client's.
CAF_BEGIN_TYPE_ID_BLOCK(crmd_llm, caf::id_block::crmd_openphone::end)
  CAF_ADD_ATOM(crmd_llm, crmd::atoms, classify_reply_atom, "classify")
CAF_END_TYPE_ID_BLOCK(crmd_llm)
