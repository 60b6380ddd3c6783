#pragma once

#include "actors/openphone_client_types.hpp"
#include "integrations/http/http_types.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>

// The vocabulary of the LLM client actor (reply classification). Its own type-id block after
// the OpenPhone client's.
CAF_BEGIN_TYPE_ID_BLOCK(crmd_llm, caf::id_block::crmd_openphone::end)
  CAF_ADD_ATOM(crmd_llm, crmd::atoms, classify_reply_atom, "classify")
  CAF_ADD_ATOM(crmd_llm, crmd::atoms, llm_done_atom, "llm_done")
  CAF_ADD_ATOM(crmd_llm, crmd::atoms, llm_retry_atom, "llm_retry")
  CAF_ADD_ATOM(crmd_llm, crmd::atoms, llm_wake_atom, "llm_wake")
CAF_END_TYPE_ID_BLOCK(crmd_llm)

namespace crmd {

// Callers may write either atoms::classify_reply_atom_v or crmd::classify_reply_atom_v.
using atoms::classify_reply_atom;
using atoms::classify_reply_atom_v;

// A customer's reply to a campaign text, to be classified.
struct llm_classify_request {
  std::string reply_body;     // the incoming text, as received
  std::string campaign_text;  // the text of ours it answers (the body we sent)
};

// The model's verdict: "positive", "negative" or "neutral" (membership status replied_<verdict>)
// and a one-line reason of at most 200 bytes (campaign_memberships.reply_reason), maybe empty.
struct llm_classification {
  std::string verdict;
  std::string reason;
};

// An attempt's transport outcome, sent from the HTTP client's io thread back into the actor.
struct llm_attempt {
  std::uint64_t call = 0;
  http::http_result result;
};

// The LLM client (llm_client_actor.hpp). Callers send classify_reply_atom and get an
// llm_classification, or a caf::error (sec::runtime_error) whose context reads
// "[crmd.llm.<code>] <why>" once the call failed for good. The other messages are the actor's
// own completions and timers.
using llm_client_actor = caf::typed_actor<
  caf::replies_to<classify_reply_atom, llm_classify_request>::with<llm_classification>,
  caf::reacts_to<atoms::llm_done_atom, llm_attempt>,
  caf::reacts_to<atoms::llm_retry_atom, std::uint64_t>,
  caf::reacts_to<atoms::llm_wake_atom>>;

}  // namespace crmd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::llm_classify_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::llm_classification)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::llm_attempt)
