#pragma once

#include "domain/webhook_event.hpp"
#include "storage/pg_types.hpp"

#include <caf/actor.hpp>
#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/atom.hpp>
#include <caf/type_id.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

// The vocabulary of crmd's actors: atoms and message types. Messages never leave the process,
// so plain structs are allowed as unsafe (unserialised) message types.
CAF_BEGIN_TYPE_ID_BLOCK(crmd, caf::first_custom_type_id)
  CAF_ADD_ATOM(crmd, crmd::atoms, execute_atom, "execute")
  CAF_ADD_ATOM(crmd, crmd::atoms, completed_atom, "completed")
  CAF_ADD_ATOM(crmd, crmd::atoms, restart_atom, "restart")
  CAF_ADD_ATOM(crmd, crmd::atoms, shutdown_atom, "shutdown")
  CAF_ADD_ATOM(crmd, crmd::atoms, children_atom, "children")
  CAF_ADD_ATOM(crmd, crmd::atoms, ingest_atom, "ingest")
  CAF_ADD_ATOM(crmd, crmd::atoms, flush_atom, "flush")
  CAF_ADD_ATOM(crmd, crmd::atoms, apply_atom, "apply")
  CAF_ADD_ATOM(crmd, crmd::atoms, applied_atom, "applied")
  CAF_ADD_ATOM(crmd, crmd::atoms, retry_atom, "retry")
  CAF_ADD_ATOM(crmd, crmd::atoms, redrive_atom, "redrive")
  CAF_ADD_ATOM(crmd, crmd::atoms, passivate_atom, "passivate")
  CAF_ADD_ATOM(crmd, crmd::atoms, tick_atom, "tick")
  CAF_ADD_ATOM(crmd, crmd::atoms, subscribe_atom, "subscribe")
  CAF_ADD_ATOM(crmd, crmd::atoms, unsubscribe_atom, "unsub")
  CAF_ADD_ATOM(crmd, crmd::atoms, publish_atom, "publish")
  CAF_ADD_ATOM(crmd, crmd::atoms, hub_event_atom, "hub_event")
  CAF_ADD_ATOM(crmd, crmd::atoms, count_atom, "count")
  CAF_ADD_ATOM(crmd, crmd::atoms, start_atom, "start")
  CAF_ADD_ATOM(crmd, crmd::atoms, replay_atom, "replay")
  CAF_ADD_ATOM(crmd, crmd::atoms, position_atom, "position")
  CAF_ADD_ATOM(crmd, crmd::atoms, ws_frame_atom, "ws_frame")
  CAF_ADD_ATOM(crmd, crmd::atoms, ws_closed_atom, "ws_closed")
  CAF_ADD_ATOM(crmd, crmd::atoms, hash_atom, "hash")
  CAF_ADD_ATOM(crmd, crmd::atoms, verify_atom, "verify")
CAF_END_TYPE_ID_BLOCK(crmd)

namespace crmd {

// One atomic batch for the database actor.
struct db_batch {
  std::vector<storage::statement> statements;
};

// The intake's answer to one webhook delivery.
struct ingest_reply {
  enum class outcome { stored, duplicate, stored_not_understood, unavailable, overloaded };
  outcome result = outcome::unavailable;
  std::int64_t row_id = 0;
  std::string detail;  // the rejection code for stored_not_understood
};

// A verified delivery on its way into the inbox; `reply` is called exactly once, from the intake
// actor's thread.
struct webhook_submission {
  std::string raw_body;
  std::variant<domain::webhook_event, domain::webhook_rejection> parsed;
  std::function<void(ingest_reply)> reply;
};

// A stored event to apply (webhook_events.id = row_id).
struct webhook_job {
  std::int64_t row_id = 0;
  domain::webhook_event event;
};

// One conversation's group of stored events for the webhook applier: the JSON of
// storage::apply_events_json, the webhook_events ids it holds and the rows it may lock
// (domain::lock_names).
struct apply_request {
  std::string events_json;
  std::vector<std::int64_t> row_ids;
  std::vector<std::string> locks;
};

// The outcome of one media download, already written to disk when ok.
struct media_download {
  std::int64_t id = 0;
  int attempts = 0;  // this one included
  bool ok = false;
  std::string sha256;
  std::string content_type;
  std::int64_t size = 0;
  std::string error;
};

// One published hub frame: `seq` grows by one per publish across all topics.
struct hub_event {
  std::uint64_t seq = 0;
  std::string topic;
  std::string payload;  // {"event":…,"data":…}
};

// Where the hub stands: its run id (new at every start) and the seq of its latest publish.
struct hub_position {
  std::string epoch;
  std::uint64_t seq = 0;
};

// The hub's answer to a replay request: the retained events after `since` on the asked topics,
// in seq order, or `gone` with a reason ("epoch", "evicted") when it cannot tell what was missed.
struct hub_replay {
  bool gone = false;
  std::string reason;
  std::vector<hub_event> events;
  std::uint64_t latest = 0;  // the hub's latest seq when it answered
};

}  // namespace crmd

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::hub_position)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::hub_replay)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::media_download)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::apply_request)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::db_batch)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::storage::pg_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::webhook_submission)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(crmd::webhook_job)
