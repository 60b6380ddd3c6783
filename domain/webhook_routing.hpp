#pragma once

#include "domain/webhook_event.hpp"

#include <string>

namespace crmd::domain {

// Which actor applies an event. Events of one conversation (our number + the external parties)
// share a key and so apply in arrival order; events that name only a call (summary, transcript,
// recording) are keyed by the call, and contact events by the contact. Keys never mix kinds.
std::string routing_key(const webhook_event& event);

}  // namespace crmd::domain
