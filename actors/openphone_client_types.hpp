#pragma once

#include "actors/type_ids.hpp"
#include "integrations/http/http_types.hpp"

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/replies_to.hpp>
#include <caf/type_id.hpp>
#include <caf/typed_actor.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

// The vocabulary of provider client actors (the OpenPhone client first). A second type-id block
// placed after crmd's own, so this header can grow without touching actors/type_ids.hpp.
CAF_BEGIN_TYPE_ID_BLOCK(crmd_openphone, caf::id_block::crmd::end)
  CAF_ADD_ATOM(crmd_openphone, crmd::atoms, provider_request_atom, "prov_req")
  CAF_ADD_ATOM(crmd_openphone, crmd::atoms, provider_done_atom, "prov_done")
  CAF_ADD_ATOM(crmd_openphone, crmd::atoms, provider_retry_atom, "prov_retry")
  CAF_ADD_ATOM(crmd_openphone, crmd::atoms, provider_wake_atom, "prov_wake")
  CAF_ADD_ATOM(crmd_openphone, crmd::atoms, send_text_atom, "send_text")
  CAF_ADD_ATOM(crmd_openphone, crmd::atoms, provider_status_atom, "prov_stat")
  CAF_ADD_ATOM(crmd_openphone, crmd::atoms, provider_health_atom, "prov_hlth")
CAF_END_TYPE_ID_BLOCK(crmd_openphone)

namespace crmd {

// Callers may write either atoms::provider_request_atom_v or crmd::provider_request_atom_v.
using atoms::provider_request_atom;
using atoms::provider_request_atom_v;

// One call to the provider's REST API. The client adds Authorization, Accept and (with a body)
// Content-Type; `headers` carries anything else.
struct provider_request {
  std::string method = "GET";
  // Path + query, e.g.
  // "/v1/messages?phoneNumberId=PN1&participants=%2B15085550100&maxResults=100"
  // (integrations/openphone/rest_query.hpp builds these).
  std::string target;
  std::string body;      // JSON for POST/PATCH, else empty
  std::string endpoint;  // metric label, e.g. "messages.list"
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers, e.g. Quo-Api-Version
};

// Any 2xx, or 404 (a resource that does not exist is an answer, not a failure).
struct provider_response {
  int status = 0;
  std::string body;
};

struct provider_failure {
  // "http_400", "http_401", … (not retried); "timeout", "connect_failed", … (a transport
  // failure not retried); "retries_exhausted"; "circuit_open"; "shutdown".
  std::string code;
  std::string message;
  int status = 0;  // last HTTP status, 0 for transport errors
};

using provider_result = std::variant<provider_response, provider_failure>;

// An attempt's transport outcome, sent from the HTTP client's io thread back into the actor.
struct provider_attempt {
  std::uint64_t call = 0;
  http::http_result result;
};

// The OpenPhone REST client: paces, retries and guards every call to OpenPhone (see
// openphone_client_actor.hpp). provider_request_atom and provider_status_atom are for callers;
// the other messages are the actor's own timers and completions.
using openphone_client_actor = caf::typed_actor<
  caf::replies_to<provider_request_atom, provider_request>::with<provider_result>,
  caf::reacts_to<atoms::provider_done_atom, provider_attempt>,
  caf::reacts_to<atoms::provider_retry_atom, std::uint64_t>,
  caf::reacts_to<atoms::provider_wake_atom>,
  // The circuit breaker's state: closed, open or half_open.
  caf::replies_to<atoms::provider_status_atom>::with<std::string>,
  // For sync health: the breaker's state, then failed / all attempts and all attempts over the
  // last 15 minutes (a ratio of 0 when there were none).
  caf::replies_to<atoms::provider_health_atom>::with<std::string, double, std::int64_t>>;

}  // namespace crmd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::provider_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::provider_result)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::provider_attempt)
