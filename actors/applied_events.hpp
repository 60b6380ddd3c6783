#pragma once

#include "domain/webhook_event.hpp"
#include "storage/pg_types.hpp"

#include <caf/fwd.hpp>

namespace crmd {

struct webhook_metrics;

// What follows a committed apply of webhook events, wherever it ran (the intake's storing
// transaction or a conversation actor's group). `applied` holds the apply's rows as
// (row_id, conversation_id, frame, lag_seconds): activity frames carry their event's row_id,
// conversation.updated frames none.

// Each frame goes live on the hub's `inbox` and `conversation:<id>` topics.
void publish_applied_frames(caf::local_actor* self, const storage::pg_result& applied);

// Each applied event's lag, once per event: an event may own several frames.
void observe_apply_lag(webhook_metrics& metrics, const storage::pg_result& applied);

// An inbound text may be a reply to a campaign or an opt-out: once one is applied, the reply
// processor is nudged to look at once rather than at its next poll.
bool is_inbound_text(const domain::webhook_event& event);
void nudge_reply_processor(caf::local_actor* self);

}  // namespace crmd
